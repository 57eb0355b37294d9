# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run pytest on test directories, keeping its closing summary line.

Usage: .venv/bin/python hack/run_pytest.py [--summary-file FILE] DIR... [-- PYTEST_ARGS...]

- pytest's exit code 5 ("no tests collected") is a failure when no test file exists under the directories; when
  test files exist but none was selected (for example a -k or -m filter), it is reported and counts as success.
- With --summary-file, pytest's closing summary line ("=== 12 passed in 3.4s ===") is written to FILE, so that
  `make test` can print it again as its very last line.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUMMARY_LINE = re.compile(r"^=+ .+ in [0-9.]+s( \([^)]*\))? =+$")
NO_TESTS_COLLECTED = 5


def test_files(directories: list[str]) -> list[str]:
    found = []
    for directory in directories:
        for root, dirs, files in os.walk(directory):
            dirs[:] = [name for name in dirs if not name.startswith(".") and name != "__pycache__"]
            found.extend(
                os.path.join(root, name)
                for name in files
                if name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))
            )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description="Run pytest on test directories, keeping its summary line.")
    parser.add_argument("--summary-file", help="write pytest's closing summary line to this file")
    parser.add_argument("directories", nargs="+", help="test directories, relative to the repository root")
    argv = sys.argv[1:]
    pytest_args: list[str] = []
    if "--" in argv:
        index = argv.index("--")
        argv, pytest_args = argv[:index], argv[index + 1 :]
    options = parser.parse_args(argv)

    os.chdir(REPO_ROOT)
    if options.summary_file and os.path.exists(options.summary_file):
        os.remove(options.summary_file)
    directories = options.directories
    files = test_files(directories)
    label = " ".join(directories)

    command = [sys.executable, "-m", "pytest"] + directories + pytest_args
    print("run_pytest: %s" % " ".join(["pytest"] + directories + pytest_args), flush=True)
    summary = None
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as process:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.decode("utf-8", errors="replace")
            sys.stdout.write(line)
            sys.stdout.flush()
            if SUMMARY_LINE.match(line.strip()):
                summary = line.strip()
    status = process.returncode

    if status == NO_TESTS_COLLECTED:
        if files:
            print("run_pytest: pytest selected no test, but %d test file(s) exist: not a failure." % len(files))
            status = 0
        else:
            print("run_pytest: there is no test at all under %s: failure." % label)
            status = 1
    if options.summary_file:
        os.makedirs(os.path.dirname(os.path.abspath(options.summary_file)), exist_ok=True)
        with open(options.summary_file, "w", encoding="utf-8") as handle:
            handle.write((summary or "") + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())

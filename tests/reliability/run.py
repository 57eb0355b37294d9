# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs the reliability scenarios against one emulator process and prints the table of results.

``python -m tests.reliability`` (from the checkout) runs the full suite; ``--reduced`` the pytest-sized one;
``--scenario NAME`` (repeatable) a selection; ``--keep`` keeps the run directories (outputs, -vvvv logs, reports).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
import traceback
from typing import Callable
from typing import List
from typing import Optional

from . import harness
from .scenarios import FULL
from .scenarios import REDUCED
from .scenarios import SCENARIOS
from .scenarios import Context
from .scenarios import Profile
from .scenarios import ScenarioResult

COLUMNS = ("scenario", "trials", "duplicates", "missing", "failed items", "result", "seconds")


def run_suite(
    profile: Profile,
    names: Optional[List[str]] = None,
    keep: bool = False,
    log: Callable[[str], None] = print,
    marker: Optional[str] = None,
) -> List[ScenarioResult]:
    """Every scenario (or those named) against one emulator process; every process started is gone afterwards."""
    names = names or list(SCENARIOS)
    root = harness.make_root()
    credentials = harness.Credentials.generate()
    marker = marker or harness.new_marker()
    rng = random.Random(profile.seed)
    results = []
    emulator = harness.Emulator(root, credentials, profile.engagements_needed)
    try:
        for name in names:
            directory = root / name
            directory.mkdir()
            workspace = harness.Workspace(directory, emulator, marker)
            ctx = Context(emulator, workspace, profile, rng, marker)
            started = time.monotonic()
            log(f"[reliability] {name} ...")
            try:
                result = SCENARIOS[name](ctx)
            except Exception:  # noqa: BLE001 - a broken scenario is a failed row, the others still run
                result = ScenarioResult(name, problems=[traceback.format_exc()])
            result.seconds = time.monotonic() - started
            leaks = workspace.leaks()
            result.problems.extend(leaks)
            files = sum(1 for path in directory.glob("run-*/**/*") if path.is_file())
            result.notes.append(f"secret scan: {files} files (outputs, -vvvv logs, reports), {len(leaks)} leaks")
            leftovers = harness.kill_marked(marker)
            result.expect(not leftovers, f"processes left running after the scenario: {leftovers}")
            results.append(result)
            log(f"[reliability] {name}: {'PASS' if result.passed else 'FAIL'} in {result.seconds:.0f} s")
    finally:
        harness.kill_marked(marker)
        emulator.stop()
        if keep:
            log(f"[reliability] run directories kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return results


def table(results: List[ScenarioResult]) -> str:
    rows = [COLUMNS] + [
        (
            result.name,
            str(result.trials),
            str(result.duplicates),
            str(result.missing),
            str(result.failed_items),
            "PASS" if result.passed else "FAIL",
            f"{result.seconds:.0f}",
        )
        for result in results
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(COLUMNS))]
    lines = ["| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def details(results: List[ScenarioResult]) -> str:
    lines = []
    for result in results:
        lines.append(f"{result.name}:")
        lines.extend(f"  - {note}" for note in result.notes)
        lines.extend(f"  ! {problem}" for problem in result.problems)
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability", description=__doc__)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--full", action="store_true", help="the full suite (default)")
    size.add_argument("--reduced", action="store_true", help="the reduced suite that pytest runs")
    parser.add_argument("--scenario", action="append", choices=list(SCENARIOS), help="run only this scenario")
    parser.add_argument("--seed", type=int, help="seed of the kill points")
    parser.add_argument("--keep", action="store_true", help="keep the run directories")
    args = parser.parse_args(argv)
    profile = REDUCED if args.reduced else FULL
    if args.seed is not None:
        profile = Profile(**{**profile.__dict__, "seed": args.seed})
    started = time.monotonic()
    results = run_suite(profile, args.scenario, keep=args.keep)
    print()
    print(details(results))
    print()
    print(f"Reliability suite ({profile.name}), {time.monotonic() - started:.0f} s:")
    print(table(results))
    return 0 if all(result.passed for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())

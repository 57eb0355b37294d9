# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run make targets in parallel lanes, then print their output, a step/result/time table and pytest's summary line.

Usage: python3 hack/run_steps.py --title TITLE [--live STEP] [--summary-file FILE] [--logs DIR] --lane LANE ...

A LANE is one quoted word list: ``@LABEL`` names it (default: none), ``NAME=VALUE`` words are make variables for its
steps, the other words are make targets, run one after the other (a failed step does not stop the lane). The lanes
run at the same time. Each step's output goes to a log file; the --live step also streams to the terminal, the
others' logs are printed when all lanes are done. Every step runs even when another fails; the exit status is 1
when any failed. With --summary-file, the last line printed is that file's last line (pytest's closing summary,
written by hack/run_pytest.py), so that `make test` ends the way pytest does. With --times-file, each lane's status,
start, duration and CPU time are also written to FILE, one tab-separated line per lane (.ci/run puts the compat
lanes in its own table).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from dataclasses import field

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class Step:
    lane: str
    target: str
    variables: list[str]
    log: str
    status: str = "-"
    started: float = 0.0
    seconds: float = 0.0
    cpu: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.lane} {self.target}".strip()


@dataclass
class Lane:
    label: str
    steps: list[Step] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.label or " ".join(step.target for step in self.steps)

    @property
    def status(self) -> str:
        return "PASS" if all(step.status == "PASS" for step in self.steps) else "FAIL"

    @property
    def started(self) -> float:
        return self.steps[0].started

    @property
    def seconds(self) -> float:
        last = self.steps[-1]
        return last.started + last.seconds - self.started


def parse_lane(words: str, logs: str) -> Lane:
    label = ""
    variables: list[str] = []
    targets: list[str] = []
    for word in shlex.split(words):
        if word.startswith("@"):
            label = word[1:]
        elif "=" in word:
            variables.append(word)
        else:
            targets.append(word)
    lane = Lane(label)
    for target in targets:
        log = os.path.join(logs, f"{label + '-' if label else ''}{target}.log")
        lane.steps.append(Step(label, target, variables, log))
    return lane


def run_step(step: Step, live: bool, t0: float) -> None:
    command = [os.environ.get("MAKE", "make"), "--no-print-directory", step.target, *step.variables]
    step.started = time.monotonic() - t0
    with open(step.log, "wb") as log, subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            if live:
                sys.stdout.buffer.write(line)
                sys.stdout.flush()
        # Reaped here rather than by Popen, for the CPU time of the step and everything it ran: unlike its duration,
        # that figure does not depend on what else runs on the machine.
        _pid, wait_status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(wait_status)
    step.seconds = time.monotonic() - t0 - step.started
    step.cpu = usage.ru_utime + usage.ru_stime
    step.status = "PASS" if process.returncode == 0 else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--title", required=True, help="what the table is the result of, e.g. 'make test'")
    parser.add_argument("--lane", action="append", required=True, help="'[@LABEL] [VAR=VALUE ...] TARGET ...'")
    parser.add_argument("--live", help="the target whose output streams to the terminal")
    parser.add_argument("--summary-file", help="print this file's last line as the very last line")
    parser.add_argument("--logs", default=os.path.join(REPO_ROOT, ".tmp", "logs"), help="directory of the logs")
    parser.add_argument("--times-file", help="write one line per lane: name, status, start, seconds, CPU seconds")
    options = parser.parse_args()

    os.makedirs(options.logs, exist_ok=True)
    if options.summary_file and os.path.exists(options.summary_file):
        os.remove(options.summary_file)  # a line left by an earlier run would pass for this one's
    if options.times_file and os.path.exists(options.times_file):
        os.remove(options.times_file)
    lanes = [parse_lane(words, options.logs) for words in options.lane]
    steps = [step for lane in lanes for step in lane.steps]
    live = [step for step in steps if step.target == options.live][:1]
    if live:
        print(f"===== {options.title}: {live[0].name} (output below); alongside it, in parallel lanes:", flush=True)
    else:
        print(f"===== {options.title}: in parallel lanes (output below when all are done):", flush=True)
    for lane in lanes:
        shown = [step.name for step in lane.steps if step not in live]
        if shown:
            print("  " + " -> ".join(shown), flush=True)

    t0 = time.monotonic()

    def run_lane(lane: Lane) -> None:
        for step in lane.steps:
            run_step(step, step in live, t0)

    threads = [threading.Thread(target=run_lane, args=(lane,)) for lane in lanes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - t0

    for step in steps:
        if step in live:
            continue
        print(f"\n===== make {step.name} =====", flush=True)
        with open(step.log, "rb") as handle:
            sys.stdout.buffer.write(handle.read())
        sys.stdout.flush()

    failed = any(step.status != "PASS" for step in steps)
    print(f"\n===== {options.title}: results (lanes run in parallel; start, duration and CPU time in seconds) =====")
    labelled = [lane for lane in lanes if lane.label]
    width = max([len(step.name) for step in steps] + [len(f"{lane.label} (lane)") for lane in labelled])
    for step in steps:
        print(
            f"{step.name:<{width}}  {step.status:<4}  start {step.started:5.0f}  took {step.seconds:5.0f}"
            f"  cpu {step.cpu:5.0f}"
        )
    # A lane's steps run one after the other; a labelled lane (one venv of make compat) gets a line of its own.
    for lane in labelled:
        name = f"{lane.label} (lane)"
        print(
            f"{name:<{width}}  {lane.status:<4}  start {lane.started:5.0f}  took {lane.seconds:5.0f}"
            f"  cpu {sum(step.cpu for step in lane.steps):5.0f}"
        )
    if options.times_file:
        with open(options.times_file, "w", encoding="utf-8") as handle:
            for lane in lanes:
                cpu = sum(step.cpu for step in lane.steps)
                handle.write(f"{lane.name}\t{lane.status}\t{lane.started:.0f}\t{lane.seconds:.0f}\t{cpu:.0f}\n")
    total_cpu = sum(step.cpu for step in steps)
    print(f"{'wall clock':<{width}}  {'':<4}  {'':11}  took {wall:5.0f}  cpu {total_cpu:5.0f}")
    print(f"{options.title}: {'FAILED' if failed else 'all steps passed'}")

    if options.summary_file:
        summary = ""
        if os.path.exists(options.summary_file):
            with open(options.summary_file, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
            summary = lines[-1].strip() if lines else ""
        print(summary or "pytest printed no closing summary line (see its output above)")
    sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

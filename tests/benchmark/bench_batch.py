#!/usr/bin/env python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark of the batch role against the local emulator: prints figures and PASS/FAIL per bound.

Not a test (no pytest, no timing assertions in CI): run it by hand or with `make bench`.

    python tests/benchmark/bench_batch.py [--count 300] [--naive-count 20] [--write-tps 10] [--read-tps 10]
                                          [--latency 5] [--keep]

Phases, each one ansible-playbook subprocess against one emulator (write quota --write-tps, read quota --read-tps,
task latency --latency):
  1. the role on one host with N engagements (partnercentral_write_rate = the write quota);
  2. the same role again (a re-run: no writes expected);
  3. a naive `loop:` over the single-engagement module with wait, on --naive-count other engagements.
Figures and bounds:
  - role wall time <= 1.15 x (N / write TPS + latency)
  - naive per-item time, projected to N, vs the role: speed-up >= 20x
  - writes per engagement = 1, reads per engagement <= 0.35 (emulator stats)
  - re-run: 0 writes, reads per engagement <= 0.2
  - average completion-detection delay <= max(1 s, 10% of the latency): the time the engine saw the task finish
    (detected_at in the item results) minus the time it finished at the emulator (StartTime + latency).
The exit status is 1 when a bound is missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any
from typing import Dict
from typing import List
from typing import Tuple

from partnercentral_emulator.admin import EmulatorAdmin
from partnercentral_emulator.config import DEFAULT_ACCESS_KEY
from partnercentral_emulator.config import DEFAULT_SECRET_KEY
from partnercentral_emulator.process import start_emulator_process
from partnercentral_emulator.process import stop_emulator_process

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS_ROOT = os.path.join(REPO_ROOT, ".tmp", "collections")

START = "StartOpportunityFromEngagementTask"
LIST = "ListOpportunityFromEngagementTasks"

ROLE_PLAYBOOK = """---
- name: Benchmark the batch role
  hosts: all
  gather_facts: false
  roles:
    - role: partnercentral.selling.opportunities_from_engagements
"""

NAIVE_PLAYBOOK = """---
- name: Benchmark a naive loop over the single-engagement module
  hosts: all
  gather_facts: false
  tasks:
    - name: Convert one engagement context per loop item
      partnercentral.selling.partnercentral_opportunity_from_engagement:
        catalog: Sandbox
        identifier: "{{ item.identifier }}"
        context_identifier: "{{ item.context_identifier }}"
      loop: "{{ partnercentral_engagements }}"
"""


def link_collection() -> None:
    """ansible_collections/partnercentral/selling -> this checkout (tests/conftest.py does the same)."""
    namespace_dir = os.path.join(COLLECTIONS_ROOT, "ansible_collections", "partnercentral")
    link = os.path.join(namespace_dir, "selling")
    os.makedirs(namespace_dir, exist_ok=True)
    if not os.path.islink(link) and not os.path.exists(link):
        os.symlink(REPO_ROOT, link)


def ansible_env(work: str, endpoint_url: str) -> Dict[str, str]:
    import ansible

    site_packages = os.path.dirname(os.path.dirname(ansible.__file__))
    env = dict(os.environ)
    for key in list(env):
        if key.startswith("AWS_"):
            del env[key]
    env.update(
        {
            "ANSIBLE_COLLECTIONS_PATH": os.pathsep.join([COLLECTIONS_ROOT, site_packages]),
            "ANSIBLE_HOME": os.path.join(work, "ansible-home"),
            "ANSIBLE_LOCAL_TEMP": os.path.join(work, "ansible-local-tmp"),
            "ANSIBLE_REMOTE_TMP": os.path.join(work, "ansible-remote-tmp"),
            "ANSIBLE_ASYNC_DIR": os.path.join(work, "ansible-async"),
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "AWS_ACCESS_KEY_ID": DEFAULT_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": DEFAULT_SECRET_KEY,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING": endpoint_url,
        }
    )
    return env


def write_inventory(path: str, host_vars: Dict[str, Any]) -> None:
    os.makedirs(path, exist_ok=True)
    inventory = {
        "all": {
            "hosts": {"bench": None},
            "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable},
        }
    }
    with open(os.path.join(path, "hosts.json"), "w", encoding="utf-8") as handle:
        json.dump(inventory, handle)
    os.makedirs(os.path.join(path, "host_vars"), exist_ok=True)
    with open(os.path.join(path, "host_vars", "bench.json"), "w", encoding="utf-8") as handle:
        json.dump(host_vars, handle)


def run_playbook(work: str, name: str, playbook: str, inventory: str, env: Dict[str, str]) -> Tuple[float, str]:
    path = os.path.join(work, f"{name}.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(playbook)
    command = [shutil.which("ansible-playbook", path=os.path.dirname(sys.executable)) or "ansible-playbook"]
    command += ["-i", inventory, path]
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    elapsed = time.monotonic() - started
    output = done.stdout + done.stderr
    with open(os.path.join(work, f"{name}.log"), "w", encoding="utf-8") as handle:
        handle.write(output)
    if done.returncode != 0:
        print(output[-4000:])
        raise SystemExit(f"{name}: ansible-playbook exited {done.returncode}")
    return elapsed, output


def request_counts(stats: Dict[str, Any], operation: str) -> Tuple[int, int]:
    """(all requests, accepted requests) of an operation."""
    counts = stats.get("requests", {}).get(operation, {})
    return sum(counts.values()), counts.get("200", 0)


def delta(before: Dict[str, Any], after: Dict[str, Any], operation: str) -> Tuple[int, int]:
    total_before, ok_before = request_counts(before, operation)
    total_after, ok_after = request_counts(after, operation)
    return total_after - total_before, ok_after - ok_before


def parse_time(text: str) -> float:
    return datetime.datetime.fromisoformat(text).timestamp()


def detection_delays(report_path: str, latency: float) -> List[float]:
    with open(report_path, encoding="utf-8") as handle:
        report = json.load(handle)
    delays = []
    for item in report["items"]:
        task = item.get("task") or {}
        if item.get("detected_at") and task.get("start_time"):
            delays.append(parse_time(item["detected_at"]) - (parse_time(task["start_time"]) + latency))
    return delays


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--count", type=int, default=300, help="engagements of the role run (N)")
    parser.add_argument("--naive-count", type=int, default=20, help="engagements of the naive loop")
    parser.add_argument("--write-tps", type=float, default=10.0)
    parser.add_argument("--read-tps", type=float, default=10.0)
    parser.add_argument("--latency", type=float, default=5.0, help="task latency of the emulator (s)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, reports)")
    args = parser.parse_args()

    link_collection()
    work = tempfile.mkdtemp(prefix="pcs-bench-")
    n, naive_n = args.count, args.naive_count
    proc, endpoint_url = start_emulator_process(
        [
            "--quiet",
            "--engagements",
            str(n + naive_n),
            "--write-tps",
            str(args.write_tps),
            "--read-tps",
            str(args.read_tps),
            "--task-latency",
            str(args.latency),
        ]
    )
    results: List[Tuple[str, bool, str]] = []

    def figure(name: str, ok: bool, text: str) -> None:
        results.append((name, ok, text))
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {text}", flush=True)

    try:
        admin = EmulatorAdmin(endpoint_url)
        engagements = [engagement["id"] for engagement in admin.engagements("Sandbox")]
        batch_ids, naive_ids = engagements[:n], engagements[n : n + naive_n]
        env = ansible_env(work, endpoint_url)
        reports = os.path.join(work, "reports")
        print(
            f"emulator {endpoint_url}: write quota {args.write_tps:g}/s, read quota {args.read_tps:g}/s, "
            f"task latency {args.latency:g} s; N = {n}, naive N = {naive_n}; work directory {work}",
            flush=True,
        )

        role_inventory = os.path.join(work, "inventory-role")
        write_inventory(
            role_inventory,
            {
                "partnercentral_catalog": "Sandbox",
                "partnercentral_engagements": [{"identifier": i, "context_identifier": "1"} for i in batch_ids],
                "partnercentral_write_rate": args.write_tps,
                "partnercentral_report_path": reports,
            },
        )
        # 1. the role
        before = admin.stats()
        role_time = run_playbook(work, "role", ROLE_PLAYBOOK, role_inventory, env)[0]
        after = admin.stats()
        writes, writes_ok = delta(before, after, START)
        reads = delta(before, after, LIST)[0]
        bound = 1.15 * (n / args.write_tps + args.latency)
        figure(
            "role wall time",
            role_time <= bound,
            f"{role_time:.1f} s (bound 1.15 x ({n}/{args.write_tps:g} + " f"{args.latency:g}) = {bound:.1f} s)",
        )
        figure(
            "writes per engagement",
            writes_ok == n and after["duplicates"] == 0,
            f"{writes_ok / n:.3f} accepted ({writes} requests incl. {writes - writes_ok} throttled; "
            f"{after['converted']} converted, {after['duplicates']} duplicates)",
        )
        figure("reads per engagement", reads / n <= 0.35, f"{reads / n:.3f} ({reads} List requests; bound 0.35)")
        delays = detection_delays(os.path.join(reports, "bench.json"), args.latency)
        delay_bound = max(1.0, 0.1 * args.latency)
        average = sum(delays) / len(delays) if delays else float("inf")
        figure(
            "completion-detection delay",
            average <= delay_bound and len(delays) == n,
            f"average {average:.2f} s, max {max(delays, default=0):.2f} s over {len(delays)} tasks "
            f"(bound {delay_bound:.2f} s)",
        )

        # 2. the re-run
        before = admin.stats()
        rerun_time, rerun_output = run_playbook(work, "rerun", ROLE_PLAYBOOK, role_inventory, env)
        after = admin.stats()
        writes = delta(before, after, START)[0]
        reads = delta(before, after, LIST)[0]
        unchanged = "changed=0" in rerun_output
        figure(
            "re-run writes",
            writes == 0 and unchanged,
            f"{writes} ({rerun_time:.1f} s; " f"{'nothing changed' if unchanged else 'CHANGED'})",
        )
        figure("re-run reads per engagement", reads / n <= 0.2, f"{reads / n:.3f} ({reads} List requests; bound 0.2)")

        # 3. the naive loop
        naive_inventory = os.path.join(work, "inventory-naive")
        write_inventory(
            naive_inventory,
            {"partnercentral_engagements": [{"identifier": i, "context_identifier": "1"} for i in naive_ids]},
        )
        naive_time = run_playbook(work, "naive", NAIVE_PLAYBOOK, naive_inventory, env)[0]
        per_item = naive_time / naive_n
        speedup = per_item * n / role_time
        figure(
            "naive loop",
            True,
            f"{naive_time:.1f} s for {naive_n} items = {per_item:.2f} s per item "
            f"(projected {per_item * n:.0f} s for {n})",
        )
        figure("speed-up of the role", speedup >= 20, f"{speedup:.1f}x (bound 20x)")
    finally:
        stop_emulator_process(proc)
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    failed = [result[0] for result in results if not result[1]]
    print(
        f"{len(results) - len(failed)}/{len(results)} figures within bounds"
        + (f"; missed: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

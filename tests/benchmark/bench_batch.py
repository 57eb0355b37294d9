#!/usr/bin/env python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark of the batch role against the local emulator: prints figures and PASS/FAIL per bound.

Not a test (no pytest, no timing assertions in CI): run it by hand, with `make bench` or `make bench-quick`.

    python -m tests.benchmark.bench_batch [--count 300] [--latency 5] [--fast-rate 10] [--accounts 20]
                                          [--account-count 30] [--naive-count 10] [--chart PATH] [--keep]

One emulator meets the role as the service meets a partner: strict buckets (one token at any rate), quotas per
account (access key), 1 write/s and 10 reads/s, task latency --latency. The role runs with its defaults unless a
phase says otherwise.
  1. the role on one host with N engagements at 1 write/s:            wall <= 1.05 x (N / 1 + latency);
  2. the same role again (a re-run):                                  0 writes, reads per engagement <= 0.1,
                                                                      extra GetEngagement reads per engagement <= 0.1;
  3. the role on N other engagements at --fast-rate writes/s (the emulator's write quota raised to match):
                                                                      wall <= 1.10 x (N / rate + latency);
     in runs 1 and 3: throttled Start requests <= 1% of N, writes per engagement = 1.00, reads per engagement <= 0.25;
  4. the single-engagement module on one engagement: completion seen within max(1 s, 10% of the latency);
  5. many accounts: one account's run of --account-count engagements, then --accounts hosts (one account each,
     each with its own access key) with --account-count engagements each, forks = accounts: wall <= 1.15 x the one
     account's run; the controller's CPU time is printed; twice, once per controller path: the batch module as a
     module process (the default) and in the opt-in controller fork (partnercentral_controller_fork);
  6. a naive `loop:` over the single-engagement module on --naive-count engagements (a figure, no bound).
A chart of started and finished items over time in run 1 is written to --chart (PNG, under .tmp/ by default).
The exit status is 1 when a bound is missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from .. import support

support.prepare()

from partnercentral_emulator.admin import EmulatorAdmin  # noqa: E402
from partnercentral_emulator.config import DEFAULT_ACCESS_KEY  # noqa: E402
from partnercentral_emulator.config import DEFAULT_SECRET_KEY  # noqa: E402
from partnercentral_emulator.process import start_emulator_process  # noqa: E402
from partnercentral_emulator.process import stop_emulator_process  # noqa: E402

START = "StartOpportunityFromEngagementTask"
LIST = "ListOpportunityFromEngagementTasks"
GET_ENGAGEMENT = "GetEngagement"

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


def ansible_env(work: str, endpoint_url: str) -> Dict[str, str]:
    env = support.clean_environ("AWS_")
    env.update(support.ansible_state_env(os.path.join(work, "ansible-home")))
    env.update(support.aws_env(endpoint_url, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY))
    env.update(
        {
            "ANSIBLE_ASYNC_DIR": os.path.join(work, "ansible-async"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
        }
    )
    return env


def write_inventory(path: str, host_vars: Dict[str, Any]) -> None:
    os.makedirs(path, exist_ok=True)
    inventory = {
        "all": {
            "hosts": {"bench": None},
            "vars": support.local_host(),
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
    command = support.ansible_playbook_command(inventory, path)
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


def parse_time(text: str) -> float:
    return datetime.datetime.fromisoformat(text).timestamp()


SINGLE_PLAYBOOK = """---
- name: Benchmark one call of the single-engagement module
  hosts: all
  gather_facts: false
  tasks:
    - name: Convert one engagement context and wait for it
      partnercentral.selling.partnercentral_opportunity_from_engagement:
        catalog: Sandbox
        identifier: "{{ partnercentral_engagements[0].identifier }}"
        context_identifier: "{{ partnercentral_engagements[0].context_identifier }}"
"""


def account_key(number: int) -> Tuple[str, str]:
    """Test credentials of the emulator's benchmark account `number` (they open nothing but the emulator)."""
    return f"AKIDPCSBENCHACCT{number:04d}", f"pcs-bench-secret-{number:04d}"


def write_hosts(path: str, hosts: Dict[str, Dict[str, Any]]) -> None:
    """An inventory of local hosts, each with its own variables (one host per partner account)."""
    os.makedirs(path, exist_ok=True)
    inventory = {
        "all": {
            "hosts": hosts,
            "vars": support.local_host(),
        }
    }
    with open(os.path.join(path, "hosts.json"), "w", encoding="utf-8") as handle:
        json.dump(inventory, handle)


def account_counts(stats: Dict[str, Any], access_key: str) -> Dict[str, int]:
    """Requests of one account: Start (all, accepted, throttled), List (all) and GetEngagement (all)."""
    account = stats.get("accounts", {}).get(access_key, {})
    starts = account.get("requests", {}).get(START, {})
    return {
        "starts": sum(starts.values()),
        "starts_ok": starts.get("200", 0),
        "throttled": account.get("throttled", {}).get(START, 0),
        "reads": sum(account.get("requests", {}).get(LIST, {}).values()),
        "engagement_reads": sum(account.get("requests", {}).get(GET_ENGAGEMENT, {}).values()),
    }


def count_delta(before: Dict[str, Any], after: Dict[str, Any], access_key: str) -> Dict[str, int]:
    first, last = account_counts(before, access_key), account_counts(after, access_key)
    return {key: last[key] - first[key] for key in last}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{os.cpu_count()} CPUs ({model}), python {platform.python_version()}, load average {load}"


def task_times(report_path: str, latency: float, origin: float) -> Tuple[List[float], List[float], List[float]]:
    """Seconds since `origin` at which each task started, finished at the service and was seen finished."""
    with open(report_path, encoding="utf-8") as handle:
        report = json.load(handle)
    started, finished, seen = [], [], []
    for item in report["items"]:
        task = item.get("task") or {}
        if task.get("start_time"):
            started.append(parse_time(task["start_time"]) - origin)
            finished.append(started[-1] + latency)
        if item.get("detected_at"):
            seen.append(parse_time(item["detected_at"]) - origin)
    return sorted(started), sorted(finished), sorted(seen)


def draw_chart(path: str, times: Tuple[List[float], List[float], List[float]], title: str) -> str:
    """Started, finished and seen-finished items over time, as a step chart (PNG)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        return "no chart: matplotlib is not installed (requirements-dev.txt)"
    figure, axes = pyplot.subplots(figsize=(8, 4.5), dpi=100)
    for values, label in zip(
        times, ("started (Start accepted)", "finished at the service", "seen finished by the batch")
    ):
        axes.step([0.0] + values, list(range(len(values) + 1)), where="post", label=label)
    axes.set_xlabel("seconds since ansible-playbook started")
    axes.set_ylabel("items")
    axes.set_title(title)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left")
    figure.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    figure.savefig(path)
    pyplot.close(figure)
    return f"chart written to {os.path.relpath(path, support.REPO_ROOT)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--count", type=int, default=300, help="engagements of runs 1 and 3 (N)")
    parser.add_argument("--latency", type=float, default=5.0, help="task latency of the emulator (s)")
    parser.add_argument("--fast-rate", type=float, default=10.0, help="write rate of run 3 (writes/s)")
    parser.add_argument("--accounts", type=int, default=20, help="accounts (hosts) of the many-accounts run")
    parser.add_argument("--account-count", type=int, default=30, help="engagements per account")
    parser.add_argument("--naive-count", type=int, default=10, help="engagements of the naive loop (0: skip)")
    parser.add_argument(
        "--chart",
        default=os.path.join(support.REPO_ROOT, ".tmp", "bench", "started-finished-1tps.png"),
        help="where the chart of run 1 goes (PNG)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs, reports)")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="pcs-bench-")
    n, latency, fast = args.count, args.latency, args.fast_rate
    per_account, accounts = args.account_count, args.accounts
    # Phase 5 runs once per controller path.
    paths = (("module process", False), ("controller fork", True))
    needed = 2 * n + 1 + len(paths) * per_account * (accounts + 1) + args.naive_count
    credentials = [{"access_key": DEFAULT_ACCESS_KEY, "secret_key": DEFAULT_SECRET_KEY}] + [
        dict(zip(("access_key", "secret_key"), account_key(number))) for number in range(accounts + 1)
    ]
    config_path = os.path.join(work, "emulator.json")
    with open(config_path, "w", encoding="utf-8") as handle:
        json.dump({"credentials": credentials}, handle)
    # Partner Central's quotas as a partner meets them: 1 write/s, 10 reads/s, per account, no burst.
    proc, endpoint_url = start_emulator_process(
        ["--quiet", "--config", config_path, "--engagements", str(needed), "--write-tps", "1", "--read-tps", "10"]
        + ["--task-latency", str(latency), "--strict-buckets", "--per-account-quotas"]
    )
    results: List[Tuple[str, bool, str]] = []

    def figure(name: str, ok: Any, text: str) -> None:
        """ok None: a figure without a bound."""
        results.append((name, ok is not False, text))
        print(f"{'INFO' if ok is None else 'PASS' if ok else 'FAIL'}  {name}: {text}", flush=True)

    def items(ids: List[str]) -> List[Dict[str, str]]:
        return [{"identifier": engagement_id, "context_identifier": "1"} for engagement_id in ids]

    try:
        admin = EmulatorAdmin(endpoint_url)
        engagements = [engagement["id"] for engagement in admin.engagements("Sandbox")]
        env = ansible_env(work, endpoint_url)
        reports = os.path.join(work, "reports")
        print(f"machine: {machine()}", flush=True)
        print(
            f"emulator {endpoint_url}: strict buckets per account, 1 write/s, 10 reads/s, task latency {latency:g} s; "
            f"N = {n}; work directory {work}",
            flush=True,
        )

        def role_run(name: str, ids: List[str], write_rate: Optional[float] = None) -> Tuple[float, str, Dict]:
            """The role on one host with the default account; the role's defaults unless write_rate is given."""
            host_vars: Dict[str, Any] = {
                "partnercentral_catalog": "Sandbox",
                "partnercentral_engagements": items(ids),
                "partnercentral_report_path": reports,
            }
            if write_rate is not None:
                host_vars["partnercentral_write_rate"] = write_rate
            inventory = os.path.join(work, f"inventory-{name}")
            write_inventory(inventory, host_vars)
            before = admin.stats()
            elapsed, output = run_playbook(work, name, ROLE_PLAYBOOK, inventory, env)
            return elapsed, output, count_delta(before, admin.stats(), DEFAULT_ACCESS_KEY)

        def batch_figures(label: str, count: int, rate: float, factor: float, elapsed: float, calls: Dict) -> None:
            bound = factor * (count / rate + latency)
            figure(
                f"{label}: wall time",
                elapsed <= bound,
                f"{elapsed:.1f} s (bound {factor:.2f} x ({count} / {rate:g} + {latency:g}) = {bound:.1f} s)",
            )
            figure(
                f"{label}: throttled Start requests",
                calls["throttled"] <= 0.01 * count,
                f"{calls['throttled']} of {calls['starts']} Start requests (bound 1% of N = {0.01 * count:g})",
            )
            figure(
                f"{label}: writes per engagement",
                calls["starts_ok"] == count,
                f"{calls['starts_ok'] / count:.2f} accepted Start requests per engagement (bound 1.00)",
            )
            figure(
                f"{label}: reads per engagement",
                calls["reads"] / count <= 0.25,
                f"{calls['reads'] / count:.3f} ({calls['reads']} List requests; bound 0.25)",
            )
            started, _finished, seen = task_times(os.path.join(reports, "bench.json"), latency, 0.0)
            if started and seen:
                figure(
                    f"{label}: first Start to last completion seen",
                    None,
                    f"{seen[-1] - started[0]:.1f} s ((N - 1) / rate + latency = {(count - 1) / rate + latency:.1f} s); "
                    f"the other {elapsed - (seen[-1] - started[0]):.1f} s of the wall time are Ansible's and the "
                    "module's start-up, the first lookup and the role's tasks after the batch",
                )

        # 1. the role at the defaults a partner gets: 1 write/s.
        slow_ids = engagements[:n]
        origin = time.time()
        elapsed, _output, calls = role_run("role-1tps", slow_ids)
        batch_figures("1 write/s", n, 1.0, 1.05, elapsed, calls)
        times = task_times(os.path.join(reports, "bench.json"), latency, origin)
        delays = [seen - done for seen, done in zip(times[2], times[1])]
        figure(
            "1 write/s: last completion seen",
            None,
            f"{(times[2] or [0])[-1] - (times[1] or [0])[-1]:.2f} s after the last task finished; items seen "
            f"{sum(delays) / max(1, len(delays)):.1f} s after they finished on average (no polls while starts are "
            "queued)",
        )
        figure("1 write/s: chart", None, draw_chart(args.chart, times, f"Run 1: {n} items at 1 write/s"))

        # 2. the re-run.
        before = admin.stats()
        rerun_time, rerun_output = run_playbook(
            work, "rerun", ROLE_PLAYBOOK, os.path.join(work, "inventory-role-1tps"), env
        )
        calls = count_delta(before, admin.stats(), DEFAULT_ACCESS_KEY)
        unchanged = "changed=0" in rerun_output
        figure(
            "re-run: writes",
            calls["starts"] == 0 and unchanged,
            f"{calls['starts']} ({rerun_time:.1f} s; {'nothing changed' if unchanged else 'CHANGED'}; bound 0)",
        )
        figure(
            "re-run: reads per engagement",
            calls["reads"] / n <= 0.1,
            f"{calls['reads'] / n:.3f} ({calls['reads']} List requests; bound 0.1); with the GetEngagement reads "
            f"{(calls['reads'] + calls['engagement_reads']) / n:.3f}",
        )
        # Single-lead engagements leave the List data no room for another lead once the run knows how the service
        # names a completed task's context: one engagement read per run, not one per engagement.
        figure(
            "re-run: extra GetEngagement reads per engagement",
            calls["engagement_reads"] / n <= 0.1,
            f"{calls['engagement_reads'] / n:.3f} ({calls['engagement_reads']} GetEngagement requests for {n} "
            "single-lead engagements; bound 0.1)",
        )

        # 3. a raised quota: --fast-rate writes/s on the emulator and in the role.
        admin.configure({"write_tps": fast})
        elapsed, _output, calls = role_run("role-fast", engagements[n : 2 * n], write_rate=fast)
        batch_figures(f"{fast:g} writes/s", n, fast, 1.10, elapsed, calls)
        admin.configure({"write_tps": 1.0})

        # 4. one call of the single-engagement module: its completion is seen fast.
        single_id = engagements[2 * n]
        inventory = os.path.join(work, "inventory-single")
        write_inventory(inventory, {"partnercentral_engagements": items([single_id])})
        single_env = dict(env, ANSIBLE_STDOUT_CALLBACK="json")
        single_time, output = run_playbook(work, "single", SINGLE_PLAYBOOK, inventory, single_env)
        play = json.loads(output[output.index("{") :])["plays"][0]["tasks"][0]
        answer = play["hosts"]["bench"]
        ended = parse_time(play["task"]["duration"]["end"].replace("Z", "+00:00"))
        seen_after = ended - (parse_time(answer["task"]["start_time"]) + latency)
        single_bound = max(1.0, 0.1 * latency)
        figure(
            "single module: completion seen",
            answer.get("status") == "created" and seen_after <= single_bound,
            f"{seen_after:.2f} s after the task finished, when the module's task ended ({answer.get('status')}; "
            f"bound max(1 s, 10% of {latency:g} s) = {single_bound:.2f} s)",
        )

        # 5. many accounts: each host its own account (profile with its own access key), one emulator.
        offset = 2 * n + 1
        # amazon.aws refuses a profile together with keys: the accounts' runs get profiles only.
        accounts_env = {k: v for k, v in env.items() if k not in support.AWS_KEY_VARIABLES}
        accounts_env.update(
            support.write_aws_files(
                os.path.join(work, "aws"),
                {
                    f"bench{number:02d}": dict(zip(("aws_access_key_id", "aws_secret_access_key"), account_key(number)))
                    for number in range(accounts + 1)
                },
            )
        )
        accounts_env["ANSIBLE_FORKS"] = str(max(accounts, 1))

        for path_index, (path_label, fork) in enumerate(paths):
            base = offset + path_index * per_account * (accounts + 1)

            def host(number: int) -> Dict[str, Any]:
                start = base + number * per_account  # pylint: disable=cell-var-from-loop
                return {
                    "partnercentral_catalog": "Sandbox",
                    "partnercentral_engagements": items(engagements[start : start + per_account]),
                    "partnercentral_profile": f"bench{number:02d}",
                    "partnercentral_controller_fork": fork,  # pylint: disable=cell-var-from-loop
                }

            suffix = "-fork" if fork else ""
            inventory = os.path.join(work, f"inventory-one-account{suffix}")
            write_hosts(inventory, {"account00": host(0)})
            cpu = children_cpu()
            one_time = run_playbook(work, f"one-account{suffix}", ROLE_PLAYBOOK, inventory, accounts_env)[0]
            one_cpu = children_cpu() - cpu
            inventory = os.path.join(work, f"inventory-accounts{suffix}")
            write_hosts(inventory, {f"account{number:02d}": host(number) for number in range(1, accounts + 1)})
            before = admin.stats()
            cpu = children_cpu()
            many_time = run_playbook(work, f"accounts{suffix}", ROLE_PLAYBOOK, inventory, accounts_env)[0]
            many_cpu = children_cpu() - cpu
            after = admin.stats()
            per_key = [count_delta(before, after, account_key(number)[0]) for number in range(1, accounts + 1)]
            bound = 1.15 * one_time
            label = f"{accounts} accounts x {per_account} ({path_label})"
            figure(
                f"{label}: wall time",
                many_time <= bound,
                f"{many_time:.1f} s (bound 1.15 x one account's {per_account}-engagement run {one_time:.1f} s "
                f"= {bound:.1f} s)",
            )
            figure(
                f"{label}: writes per engagement",
                all(calls["starts_ok"] == per_account for calls in per_key),
                f"{sum(calls['starts_ok'] for calls in per_key)} accepted Starts for {accounts * per_account} "
                f"engagements, each account's own (bound 1.00 per engagement); "
                f"{sum(calls['throttled'] for calls in per_key)} throttled, "
                f"{sum(calls['reads'] for calls in per_key) / (accounts * per_account):.3f} reads per engagement",
            )
            figure(
                f"{label}: controller CPU",
                None,
                f"{many_cpu:.1f} s user+sys ({100 * many_cpu / many_time:.0f}% of one core over the run; one account: "
                f"{one_cpu:.1f} s)",
            )

        # 6. the naive loop.
        if args.naive_count:
            start = offset + len(paths) * (accounts + 1) * per_account
            inventory = os.path.join(work, "inventory-naive")
            write_inventory(
                inventory, {"partnercentral_engagements": items(engagements[start : start + args.naive_count])}
            )
            naive_time = run_playbook(work, "naive", NAIVE_PLAYBOOK, inventory, env)[0]
            per_item = naive_time / args.naive_count
            figure(
                "naive loop over the single module",
                None,
                f"{naive_time:.1f} s for {args.naive_count} items = {per_item:.2f} s per item "
                f"(projected {per_item * n:.0f} s for {n}; the role took {n / 1.0 + latency:.0f} s at best)",
            )
    finally:
        stop_emulator_process(proc)
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"load average at the end: {load} (timings depend on what else the machine runs)")
    failed = [result[0] for result in results if not result[1]]
    print(
        f"{len(results) - len(failed)}/{len(results)} figures within bounds"
        + (f"; missed: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

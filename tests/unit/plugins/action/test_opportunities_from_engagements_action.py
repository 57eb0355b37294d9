# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The batch module's action plugin: when progress lines are printed, what they say, the async time limit."""

from __future__ import annotations

import json

from ansible_collections.partnercentral.selling.plugins.action import (
    partnercentral_opportunities_from_engagements as action,
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def progress(done: int, failed: int = 0, total: int = 100, **extra) -> dict:
    state = {
        "total": total,
        "done": done,
        "failed": failed,
        "in_progress": 5,
        "pending": total - done - failed - 5,
        "api_calls": {"writes": done + 5, "reads": 7},
        "elapsed": 12.4,
    }
    state.update(extra)
    return state


def test_line_text():
    assert action.ProgressLines.text(progress(40, 2)) == (
        "42/100 finished (42%): 40 done, 2 failed, 5 in progress, 53 pending; 45 writes, 7 reads; 12 s"
    )
    assert action.ProgressLines.text({"total": 0}).startswith("0/0 finished (100%)")


def test_a_line_every_ten_percent_and_every_interval():
    clock = Clock()
    lines = action.ProgressLines("account-a", 30.0, clock=clock)
    first = lines.line(progress(0))
    assert first == (
        "partnercentral batch progress [account-a]: 0/100 finished (0%): 0 done, 0 failed, 5 in progress, "
        "95 pending; 5 writes, 7 reads; 12 s"
    )
    clock.now += 1
    assert lines.line(progress(5)) is None  # less than 10% more, less than 30 s later
    assert lines.line(progress(9, 1)) is not None  # 10%
    clock.now += 1
    assert lines.line(progress(15)) is None
    clock.now += 30
    assert lines.line(progress(15)) is not None  # 30 s: a line even without news
    clock.now += 1
    assert lines.line(progress(35)) is not None  # jumps several steps: one line
    assert lines.line(progress(39)) is None
    final = lines.line(progress(39), final=True)
    assert final.startswith("partnercentral batch done [account-a]: 39/100")


def test_interval_zero_prints_only_the_final_line():
    lines = action.ProgressLines("h", 0, clock=Clock())
    assert lines.line(progress(50)) is None
    assert lines.line(progress(100), final=True) is not None


def test_async_limit_is_generous():
    args = {"engagements": [{}] * 300, "write_rate": 10, "read_rate": 5, "wait_timeout": 600}
    assert action.async_limit(args) == int(3 * 30 + 3 * 60 + 600 + 900)
    assert action.async_limit({"engagements": [], "wait": False}) == 900


def test_local_files(tmp_path):
    path = tmp_path / "p.json"
    assert action._read_local_json(str(path)) is None
    path.write_text("{not json")
    assert action._read_local_json(str(path)) is None
    path.write_text(json.dumps([1]))
    assert action._read_local_json(str(path)) is None
    path.write_text(json.dumps({"state": "running"}))
    assert action._read_local_json(str(path)) == {"state": "running"}
    job = tmp_path / "job"
    job.write_text(json.dumps({"started": True, "finished": False}))
    assert action._job_file_ended(str(job)) is False
    job.write_text(json.dumps({"changed": True, "batch": {}}))
    assert action._job_file_ended(str(job)) is True

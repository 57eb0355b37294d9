# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""_progress.py: the progress document written by the module, completed at the end, read and printed as lines."""

from __future__ import annotations

import json
import os

from ansible_collections.partnercentral.selling.plugins.module_utils._progress import ProgressFile
from ansible_collections.partnercentral.selling.plugins.module_utils._progress import ProgressLines
from ansible_collections.partnercentral.selling.plugins.module_utils._progress import read_document
from ansible_collections.partnercentral.selling.tests.unit.batch_samples import NOW
from ansible_collections.partnercentral.selling.tests.unit.batch_samples import SAMPLE


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_progress_file_is_throttled_and_finished(tmp_path):
    clock = Clock()
    path = tmp_path / "sub" / "progress.json"
    progress = ProgressFile(str(path), min_interval=1.0, clock=clock)
    state = {"total": 3, "done": 0, "failed": 0, "in_progress": 0, "pending": 3, "counts": {}, "api_calls": {}}
    progress.update(state)
    first = json.loads(path.read_text())
    assert first["state"] == "running" and first["pending"] == 3 and first["elapsed"] == 0
    clock.now += 0.5
    progress.update(dict(state, done=1, pending=2))
    assert json.loads(path.read_text())["done"] == 0  # within the interval: not written
    clock.now += 0.6
    progress.update(dict(state, done=2, pending=1))
    assert json.loads(path.read_text())["done"] == 2
    clock.now += 0.1
    progress.finish(SAMPLE)
    final = json.loads(path.read_text())
    assert final["state"] == "finished"
    assert (final["total"], final["done"], final["failed"], final["pending"]) == (6, 2, 4, 0)
    assert final["updated_at"] == "2026-09-21T14:13:21+00:00"
    assert os.listdir(path.parent) == ["progress.json"]


def test_progress_file_problems_do_not_stop_the_batch(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    progress = ProgressFile(str(blocker / "progress.json"))
    progress.update({"total": 1})
    progress.finish(SAMPLE)
    assert progress.last_write is None


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
    assert ProgressLines.text(progress(40, 2)) == (
        "42/100 finished (42%): 40 done, 2 failed, 5 in progress, 53 pending; 45 writes, 7 reads; 12 s"
    )
    assert ProgressLines.text({"total": 0}).startswith("0/0 finished (100%)")


def test_a_line_every_ten_percent_and_every_interval():
    clock = Clock(100.0)
    lines = ProgressLines("account-a", 30.0, clock=clock)
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
    lines = ProgressLines("h", 0, clock=Clock(100.0))
    assert lines.line(progress(50)) is None
    assert lines.line(progress(100), final=True) is not None


def test_read_document(tmp_path):
    path = tmp_path / "p.json"
    assert read_document(str(path)) is None
    path.write_text("{not json")
    assert read_document(str(path)) is None
    path.write_text(json.dumps([1]))
    assert read_document(str(path)) is None
    path.write_text(json.dumps({"state": "running"}))
    assert read_document(str(path)) == {"state": "running"}

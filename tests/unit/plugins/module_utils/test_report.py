# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""_report.py: report file names, failures grouped by reason, the JSON and Markdown reports; batch.py's helpers."""

from __future__ import annotations

import json
import os

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils import _report
from ansible_collections.partnercentral.selling.plugins.module_utils._api import REASON_HINTS
from ansible_collections.partnercentral.selling.plugins.module_utils._engine import SUMMARY_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._module.batch import ProgressFile
from ansible_collections.partnercentral.selling.plugins.module_utils._module.batch import normalize_items
from ansible_collections.partnercentral.selling.plugins.module_utils._module.batch import option_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._module.batch import summary_message

ENG = "eng-abcdefghij0123"
NOW = 1_790_000_000.0


def item(index: int, status: str, **extra) -> dict:
    result = {
        "index": index,
        "identifier": ENG,
        "engagement_id": ENG,
        "context_identifier": "1",
        "catalog": "Sandbox",
        "status": status,
        "changed": status == "created",
        "client_token": None,
        "task": None,
        "task_id": None,
        "opportunity_id": None,
        "reason_code": None,
        "message": "",
        "detected_at": None,
    }
    result.update(extra)
    return result


def summary(*items: dict, stopped=None) -> dict:
    counts = {status: 0 for status in SUMMARY_STATUSES}
    for entry in items:
        counts[entry["status"]] += 1
    counts["total"] = len(items)
    counts["errors"] = sum(counts[s] for s in ("failed", "timed_out", "invalid", "not_started"))
    return {
        "changed": any(entry["changed"] for entry in items),
        "catalog": "Sandbox",
        "counts": counts,
        "items": list(items),
        "api_calls": {"reads": 3, "writes": 2},
        "stopped": stopped,
    }


SAMPLE = summary(
    item(0, "created", task_id="task-aaaaaaaaaaaaa", opportunity_id="O1001", message="converted"),
    item(
        1,
        "failed",
        reason_code="DisqualifiedLeadNotPermitted",
        task_id="task-bbbbbbbbbbbbb",
        message="task task-bbbbbbbbbbbbb FAILED: DisqualifiedLeadNotPermitted: lead | disqualified",
        hint=REASON_HINTS["DisqualifiedLeadNotPermitted"],
    ),
    item(
        2,
        "invalid",
        identifier="eng-BAD",
        engagement_id=None,
        message="identifier 'eng-BAD' must match",
        hint="Fix the item in the list; the rest of the batch is not affected.",
    ),
    item(3, "duplicate", duplicate_of=0, message="same engagement and context as item 0: processed once"),
    item(
        4,
        "invalid",
        identifier=None,
        engagement_id=None,
        context_identifier=None,
        message="not a dictionary",
        hint="Fix the item in the list; the rest of the batch is not affected.",
    ),
    item(5, "failed", reason_code="ContextNotFound", message="no such context"),
)


# ---- paths ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "given, expected",
    [
        ("out/report", "out/report"),
        ("out/report.json", "out/report"),
        ("out/report.MD", "out/report"),
        ("out/report.v2", "out/report.v2"),
        ("out/dir/", "out/dir/partnercentral-batch"),
        ("out/./x/../report", "out/report"),
    ],
)
def test_report_paths(given, expected):
    assert _report.report_paths(given) == (expected + ".json", expected + ".md")


def test_report_paths_existing_directory(tmp_path):
    base = os.path.join(str(tmp_path), "partnercentral-batch")
    assert _report.report_paths(str(tmp_path)) == (base + ".json", base + ".md")


# ---- grouping ------------------------------------------------------------------------------------------------------
def test_failures_grouped_by_reason_biggest_first_with_hints():
    groups = _report.failures_by_reason(SAMPLE)
    assert list(groups) == ["invalid", "ContextNotFound", "DisqualifiedLeadNotPermitted"]
    assert groups["invalid"] == {
        "count": 2,
        "hint": "Fix the item in the list; the rest of the batch is not affected.",
        "items": [2, 4],
    }
    # No hint on the item: the hint of the reason code.
    assert groups["ContextNotFound"]["hint"] == REASON_HINTS["ContextNotFound"]
    assert groups["DisqualifiedLeadNotPermitted"]["items"] == [1]


def test_no_failures_no_groups():
    assert _report.failures_by_reason(summary(item(0, "created"), item(1, "duplicate"))) == {}


# ---- JSON ----------------------------------------------------------------------------------------------------------
def test_build_report():
    built = _report.build_report(SAMPLE, title="Account A", now=NOW)
    assert built["format_version"] == 1
    assert built["title"] == "Account A"
    assert built["generated_at"] == "2026-09-21T14:13:20+00:00"
    assert built["counts"]["total"] == 6 and built["counts"]["errors"] == 4
    assert built["items"] == SAMPLE["items"]
    assert built["api_calls"] == {"reads": 3, "writes": 2}
    assert set(built["failures_by_reason"]) == {"invalid", "ContextNotFound", "DisqualifiedLeadNotPermitted"}


def test_default_title_names_the_catalog():
    assert _report.build_report(SAMPLE, now=NOW)["title"] == "Batch in catalog Sandbox"


# ---- Markdown ------------------------------------------------------------------------------------------------------
def test_markdown_table_totals_and_failures():
    text = _report.render_markdown(_report.build_report(SAMPLE, title="Account A", now=NOW))
    lines = text.splitlines()
    assert lines[0] == "# Account A"
    assert "- Items: 6, problems: 4" in lines
    assert "- API calls: 2 writes, 3 reads" in lines
    assert "| created | 1 |" in lines and "| failed | 2 |" in lines and "| **total** | **6** |" in lines
    assert "| already_done |" not in text  # statuses with no item are left out
    assert "### invalid (2)" in lines
    assert "What to do: " + REASON_HINTS["DisqualifiedLeadNotPermitted"] in lines
    assert "- item 2: engagement `eng-BAD`, context `1`: identifier 'eng-BAD' must match" in lines
    assert "- item 4: engagement (none), context (none): not a dictionary" in lines
    rows = [line for line in lines if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 6
    assert rows[0] == f"| 0 | `{ENG}` | 1 | created | `task-aaaaaaaaaaaaa` | `O1001` | converted |"
    # A pipe in a message cannot break the table.
    assert rows[1].endswith("lead \\| disqualified |")
    assert "**DisqualifiedLeadNotPermitted**: task" in rows[1]
    assert rows[3].split(" | ")[3] == "duplicate"


def test_markdown_without_failures_and_with_a_stop():
    text = _report.render_markdown(_report.build_report(summary(item(0, "created"), stopped="access denied"), now=NOW))
    assert "## Failures by reason\n\nNone.\n" in text
    assert "- **The batch stopped**: access denied" in text


def test_markdown_cells_are_one_line():
    assert _report._cell("a\nb | c\\d") == "a b \\| c\\\\d"
    assert _report._cell(None) == "" and _report._code("") == ""


# ---- files ---------------------------------------------------------------------------------------------------------
def test_write_reports(tmp_path):
    paths = _report.write_reports(SAMPLE, str(tmp_path / "new" / "dir" / "account-a"), title="Account A")
    assert paths == {
        "json": str(tmp_path / "new" / "dir" / "account-a.json"),
        "markdown": str(tmp_path / "new" / "dir" / "account-a.md"),
    }
    with open(paths["json"], encoding="utf-8") as handle:
        assert json.load(handle)["title"] == "Account A"
    with open(paths["markdown"], encoding="utf-8") as handle:
        assert handle.read().startswith("# Account A\n")
    assert sorted(os.listdir(tmp_path / "new" / "dir")) == ["account-a.json", "account-a.md"]  # no temporary left


def test_write_reports_into_a_directory(tmp_path):
    paths = _report.write_reports(SAMPLE, str(tmp_path) + "/")
    assert os.path.basename(paths["json"]) == "partnercentral-batch.json"


def test_write_reports_fails_with_oserror(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        _report.write_reports(SAMPLE, str(blocker / "report"))


# ---- batch.py ------------------------------------------------------------------------------------------------------
def test_normalize_items_spells_out_aliases_and_keeps_the_rest():
    given = [{"engagement_id": ENG, "context_id": 1}, "text", None, {"identifier": ENG, "engagement_id": "x"}]
    assert normalize_items(given) == [
        {"identifier": ENG, "context_identifier": 1},
        "text",
        None,
        {"identifier": ENG, "engagement_id": "x"},  # both spellings: the engine reports the unknown key
    ]
    assert given[0] == {"engagement_id": ENG, "context_id": 1}  # not changed in place


def test_option_problems():
    good = {"wait_timeout": 600, "write_rate": 1.0, "read_rate": 5.0, "progress_interval": 30.0}
    assert option_problems(good) == []
    bad = dict(good, wait_timeout=0, write_rate=0.0, read_rate=-1.0, progress_interval=-1.0)
    problems = option_problems(bad)
    assert len(problems) == 4
    assert problems[1] == "write_rate must be a positive number of requests per second (got 0)"


def test_summary_message():
    assert summary_message(SAMPLE) == (
        "6 items in catalog Sandbox: 1 created, 2 failed, 2 invalid, 1 duplicate; 4 not converted; 2 writes, 3 reads"
    )
    assert summary_message(summary()).startswith("0 items in catalog Sandbox: nothing to do;")
    assert summary_message(summary(stopped="quota")).endswith("; the batch stopped: quota")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

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

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""_report.py: report file names, failures grouped by reason, the JSON and Markdown reports."""

from __future__ import annotations

import json
import os

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils import _report
from ansible_collections.partnercentral.selling.plugins.module_utils._hints import REASON_HINTS
from ansible_collections.partnercentral.selling.tests.unit.batch_samples import ENG
from ansible_collections.partnercentral.selling.tests.unit.batch_samples import NOW
from ansible_collections.partnercentral.selling.tests.unit.batch_samples import SAMPLE
from ansible_collections.partnercentral.selling.tests.unit.batch_samples import item
from ansible_collections.partnercentral.selling.tests.unit.batch_samples import summary


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
    assert rows[0] == f"| 0 | `{ENG}` | 1 | list | created | `task-aaaaaaaaaaaaa` | `O1001` | converted |"
    # A pipe in a message cannot break the table.
    assert rows[1].endswith("lead \\| disqualified |")
    assert "**DisqualifiedLeadNotPermitted**: task" in rows[1]
    assert rows[3].split(" | ")[4] == "duplicate"


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

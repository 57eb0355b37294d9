# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The reduced reliability suite under pytest (the full one: ``python -m tests.reliability``).

Every scenario runs once against one emulator process (1 kill trial in one mode, ~60 engagements); each test then
judges one scenario's row. The suite's own tools (secret scan, opportunity check, catalogue table) are tested too.
"""

from __future__ import annotations

import os
import re
import types

import pytest
from ansible_collections.partnercentral.selling.tests.rulebook_support import rulebook_problem

from . import REPO_ROOT
from . import harness
from .bad_input import ITEM_CASES
from .bad_input import RUN_CASES
from .bad_input import VALID_ITEMS
from .run import details
from .run import run_suite
from .run import table
from .scenarios import REDUCED
from .scenarios import SCENARIOS

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DOC = os.path.join(REPO_ROOT, "docs", "reliability.md")


@pytest.fixture(scope="module")
def reduced_suite():
    marker = harness.new_marker()
    results = run_suite(REDUCED, log=lambda line: None, marker=marker)
    print("\n" + details(results) + "\n\n" + table(results))
    return marker, dict(zip(SCENARIOS, results))


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario(reduced_suite, name):
    if name == "eda_kill" and rulebook_problem():
        pytest.skip(rulebook_problem())
    result = reduced_suite[1][name]
    report = details([result])
    assert result.trials >= 1, report
    assert result.duplicates == 0, report
    assert result.missing == 0, report
    assert result.failed_items == 0, report
    assert result.problems == [], report


def test_no_process_of_the_suite_survives(reduced_suite):
    # Every process the suite started carries its marker: async jobs and workers in sessions of their own included.
    marker, results = reduced_suite
    assert len(results) == len(SCENARIOS)
    assert harness.marked_processes(marker) == []


# ---- the suite's own tools -------------------------------------------------------------------------------------


def test_secret_scan_finds_each_secret_and_signatures(tmp_path):
    credentials = harness.Credentials.generate()
    workspace = types.SimpleNamespace(root=tmp_path, emulator=types.SimpleNamespace(credentials=credentials))
    run = tmp_path / "run-01-x" / "reports"
    run.mkdir(parents=True)
    (run / "clean.json").write_text('{"status": "created"}', encoding="utf-8")
    assert harness.Workspace.leaks(workspace) == []
    (run / "leak.md").write_text(f"token {credentials.session_token}", encoding="utf-8")
    (tmp_path / "run-01-x" / "ansible.log").write_text("Authorization: AWS4 ... Signature=abc", encoding="utf-8")
    leaks = harness.Workspace.leaks(workspace)
    assert len(leaks) == 2
    assert any("leak.md" in leak for leak in leaks)
    assert any("ansible.log holds Signature=" in leak for leak in leaks)


def test_opportunity_check_counts_duplicates_missing_and_strays():
    stats = {
        "opportunities": {
            "Sandbox/eng-a/1": ["O1"],
            "Sandbox/eng-b/1": ["O2", "O3"],
            "Sandbox/eng-x/1": ["O4"],
        },
        "duplicates": 1,
    }
    check = harness.opportunity_check(stats, ["eng-a", "eng-b", "eng-c"])
    assert check["duplicates"] == 1
    assert check["duplicated"] == ["Sandbox/eng-b/1"]
    assert check["missing"] == 1
    assert check["missing_keys"] == ["Sandbox/eng-c/1"]
    assert check["unexpected"] == ["Sandbox/eng-x/1"]


def test_catalogue_has_at_least_25_bad_input_cases():
    assert len(ITEM_CASES) + len(RUN_CASES) >= 25
    ids = [case.case for case in ITEM_CASES] + [case.case for case in RUN_CASES] + [case[0] for case in VALID_ITEMS]
    assert len(ids) == len(set(ids))


def test_docs_table_matches_the_catalogue():
    with open(DOC, encoding="utf-8") as handle:
        doc = handle.read()
    rows = {}
    for line in doc.splitlines():
        match = re.match(r"\|\s*(V\d+|B\d+|R\d+)\s*\|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    for case in ITEM_CASES:
        assert case.case in rows, case.case
        assert f"`{case.status}`" in rows[case.case], case.case
        assert case.fragment.replace("|", "\\|") in rows[case.case], case.case
    for case in RUN_CASES:
        assert case.case in rows, case.case
        assert case.fragment in rows[case.case], case.case
    for case, _what, _item in VALID_ITEMS:
        assert "`created`" in rows[case], case

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""_module/batch.py: the batch module's item spelling, option checks and summary line."""

from __future__ import annotations

from ansible_collections.partnercentral.selling.plugins.module_utils._module.batch import normalize_items
from ansible_collections.partnercentral.selling.plugins.module_utils._module.batch import option_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._module.batch import summary_message
from ansible_collections.partnercentral.selling.tests.unit.batch_samples import ENG
from ansible_collections.partnercentral.selling.tests.unit.batch_samples import SAMPLE
from ansible_collections.partnercentral.selling.tests.unit.batch_samples import summary


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

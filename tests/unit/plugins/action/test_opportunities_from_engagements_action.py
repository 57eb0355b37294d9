# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The batch module's action plugin: when progress lines are printed, what they say, the async time limit."""

from __future__ import annotations

import json

from ansible_collections.partnercentral.selling.plugins.action import (
    partnercentral_opportunities_from_engagements as action,
)


def test_async_limit_is_generous():
    args = {"engagements": [{}] * 300, "write_rate": 10, "read_rate": 5, "wait_timeout": 600}
    assert action.async_limit(args) == int(3 * 30 + 3 * 60 + 600 + 900)
    assert action.async_limit({"engagements": [], "wait": False}) == 900


def test_job_file(tmp_path):
    job = tmp_path / "job"
    job.write_text(json.dumps({"started": True, "finished": False}))
    assert action._job_file_ended(str(job)) is False
    job.write_text(json.dumps({"changed": True, "batch": {}}))
    assert action._job_file_ended(str(job)) is True

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Start/List/Get over real boto3 clients, and the shape of the answers."""

from __future__ import annotations

import datetime
import re

import pytest
from emulator_helpers import sandbox_engagement

pytestmark = pytest.mark.emulator_config(write_tps=0)


def test_get_engagement_has_qualified_lead(emulator):
    client = emulator.client()
    eng_id = sandbox_engagement(emulator)
    answer = client.get_engagement(Catalog="Sandbox", Identifier=eng_id)
    assert answer["Id"] == eng_id
    assert re.fullmatch(r"eng-[0-9a-z]{14}", eng_id)
    assert answer["Arn"].endswith(f":catalog/Sandbox/engagement/{eng_id}")
    assert isinstance(answer["CreatedAt"], datetime.datetime)
    [context] = answer["Contexts"]
    assert context["Id"] == "1" and context["Type"] == "Lead"
    assert context["Payload"]["Lead"]["QualificationStatus"] == "Qualified"


def test_start_converts_and_list_shows_it(emulator):
    client = emulator.client()
    eng_id = sandbox_engagement(emulator)
    task = client.start_opportunity_from_engagement_task(Catalog="Sandbox", Identifier=eng_id, ContextIdentifier="1")
    assert task["TaskStatus"] == "COMPLETE"
    assert re.fullmatch(r"task-[0-9a-z]{13}", task["TaskId"])
    assert re.fullmatch(r"O[0-9]+", task["OpportunityId"])
    assert re.fullmatch(r"job-[0-9a-z]{13}", task["ResourceSnapshotJobId"])
    assert task["EngagementId"] == eng_id
    # As in AWS's sample: the task names the NEW CustomerProject context, not the requested one.
    assert task["ContextId"] == "2"
    assert task["TaskArn"].endswith("/" + task["TaskId"])
    summaries = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox")["TaskSummaries"]
    assert [summary["TaskId"] for summary in summaries] == [task["TaskId"]]
    contexts = client.get_engagement(Catalog="Sandbox", Identifier=eng_id)["Contexts"]
    assert [(c["Id"], c["Type"]) for c in contexts] == [("1", "Lead"), ("2", "CustomerProject")]
    stats = emulator.stats()
    assert stats["opportunities"] == {f"Sandbox/{eng_id}/1": [task["OpportunityId"]]}
    assert stats["converted"] == 1 and stats["duplicates"] == 0


def test_catalogs_are_separate(emulator):
    client = emulator.client()
    sandbox = {e["Id"] for e in client.list_engagements(Catalog="Sandbox", MaxResults=100)["EngagementSummaryList"]}
    aws = {e["Id"] for e in client.list_engagements(Catalog="AWS", MaxResults=100)["EngagementSummaryList"]}
    assert len(sandbox) == len(aws) == 20
    assert not sandbox & aws
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_engagement(Catalog="AWS", Identifier=sorted(sandbox)[0])

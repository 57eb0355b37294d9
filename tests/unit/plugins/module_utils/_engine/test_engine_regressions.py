# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Regressions found by the reliability suite (tests/reliability), each reproduced without network."""

from __future__ import annotations

import datetime
from typing import Any
from typing import Dict
from typing import List

from ansible_collections.partnercentral.selling.plugins.module_utils._engine.engine import ConversionEngine

ENG = "eng-abcdefghij0123"
JSON_HEADERS = {"content-type": "application/x-amz-json-1.0"}
HTML_HEADERS = {"content-type": "text/html"}


class FakeClient:
    """Answers as botocore does for the bodies given: a body that is not JSON parses to an empty result."""

    def __init__(self, list_answer: Dict[str, Any], start_answer: Dict[str, Any]) -> None:
        self.list_answer = list_answer
        self.start_answer = start_answer
        self.starts: List[Dict[str, Any]] = []
        self.lists = 0

    def list_opportunity_from_engagement_tasks(self, **params: Any) -> Dict[str, Any]:
        self.lists += 1
        return dict(self.list_answer)

    def start_opportunity_from_engagement_task(self, **params: Any) -> Dict[str, Any]:
        self.starts.append(params)
        return dict(self.start_answer)


def _engine(client: FakeClient) -> ConversionEngine:
    return ConversionEngine(client, "Sandbox", write_rate=0, read_rate=0, sleep=lambda seconds: None)


def _meta(headers: Dict[str, str], status: int = 200) -> Dict[str, Any]:
    return {"ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": dict(headers)}}


def test_html_answer_with_status_200_stops_the_batch_before_any_start():
    # An endpoint answering HTML with 200 (captive portal, misrouted proxy) parsed to an empty List answer: the engine
    # read it as "no earlier tasks", started, and crashed with KeyError 'TaskId' on the empty Start answer.
    client = FakeClient(_meta(HTML_HEADERS), _meta(HTML_HEADERS))
    engine = _engine(client)
    summary = engine.run([{"identifier": ENG, "context_identifier": "1"}])
    assert client.starts == []
    assert summary["counts"]["not_started"] == 1
    assert "text/html" in summary["stopped"]
    assert "not the API's JSON" in summary["items"][0]["message"]


def test_start_answer_without_task_id_fails_the_item_without_crashing():
    client = FakeClient(dict(_meta(JSON_HEADERS), TaskSummaries=[]), _meta(JSON_HEADERS))
    engine = _engine(client)
    summary = engine.run(
        [{"identifier": ENG, "context_identifier": "1"}, {"identifier": ENG[:-1] + "4", "context_identifier": "1"}]
    )
    assert len(client.starts) == 2
    assert [item["status"] for item in summary["items"]] == ["failed", "failed"]
    assert "no TaskId or TaskStatus" in summary["items"][0]["message"]


def test_json_answer_still_accepted():
    task = {
        "TaskId": "task-abcdefghij012",
        "TaskStatus": "COMPLETE",
        "OpportunityId": "O1",
        "EngagementId": ENG,
        "ContextId": "1",
        "StartTime": datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc),
    }
    client = FakeClient(dict(_meta(JSON_HEADERS), TaskSummaries=[]), dict(_meta(JSON_HEADERS), **task))
    summary = _engine(client).run([{"identifier": ENG, "context_identifier": "1"}])
    assert summary["items"][0]["status"] == "created"
    assert summary["items"][0]["opportunity_id"] == "O1"

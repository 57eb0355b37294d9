# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ListOpportunityFromEngagementTasks filters, sort and pagination; ListEngagements."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.emulator_config(write_tps=0, read_tps=0, second_conversion="duplicate")


def _tasks(emulator, count=5):
    client = emulator.client()
    engagements = emulator.engagements("Sandbox")
    tasks = []
    for index in range(count):
        tasks.append(
            client.start_opportunity_from_engagement_task(
                Catalog="Sandbox", Identifier=engagements[index % 3]["id"], ContextIdentifier="1"
            )
        )
    return client, engagements, tasks


def _ids(answer):
    return [task["TaskId"] for task in answer["TaskSummaries"]]


def test_filters(emulator):
    client, engagements, tasks = _tasks(emulator)
    # One failed task, too, for the status filter.
    failed = client.start_opportunity_from_engagement_task(
        Catalog="Sandbox", Identifier=engagements[4]["id"], ContextIdentifier="7"
    )
    list_ = client.list_opportunity_from_engagement_tasks
    assert _ids(list_(Catalog="Sandbox", TaskIdentifier=[tasks[1]["TaskId"]])) == [tasks[1]["TaskId"]]
    assert _ids(list_(Catalog="Sandbox", TaskIdentifier=[tasks[2]["TaskArn"]])) == [tasks[2]["TaskId"]]
    by_engagement = list_(Catalog="Sandbox", EngagementIdentifier=[engagements[0]["id"]], Sort=_asc())
    assert _ids(by_engagement) == [tasks[0]["TaskId"], tasks[3]["TaskId"]]
    by_arn = list_(Catalog="Sandbox", EngagementIdentifier=[engagements[1]["arn"]], Sort=_asc())
    assert _ids(by_arn) == [tasks[1]["TaskId"], tasks[4]["TaskId"]]
    assert _ids(list_(Catalog="Sandbox", OpportunityIdentifier=[tasks[3]["OpportunityId"]])) == [tasks[3]["TaskId"]]
    assert _ids(list_(Catalog="Sandbox", TaskStatus=["FAILED"])) == [failed["TaskId"]]
    assert len(_ids(list_(Catalog="Sandbox", TaskStatus=["COMPLETE", "FAILED"]))) == 6
    assert _ids(list_(Catalog="AWS")) == []


def test_context_filter_matches_the_shown_context_by_default(emulator):
    client, _engagements, tasks = _tasks(emulator, 2)
    # Tasks show ContextId "2" (the new context) although "1" was requested.
    assert _ids(client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", ContextIdentifier=["1"])) == []
    assert len(_ids(client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", ContextIdentifier=["2"]))) == 2


@pytest.mark.emulator_config(list_context_filter="requested")
def test_context_filter_requested(emulator):
    client, _engagements, _tasks_ = _tasks(emulator, 2)
    assert len(_ids(client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", ContextIdentifier=["1"]))) == 2
    assert _ids(client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", ContextIdentifier=["2"])) == []


@pytest.mark.emulator_config(list_context_filter="either")
def test_context_filter_either(emulator):
    client, _engagements, _tasks_ = _tasks(emulator, 2)
    for context in ("1", "2"):
        assert (
            len(_ids(client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", ContextIdentifier=[context])))
            == 2
        )


def _asc():
    return {"SortBy": "StartTime", "SortOrder": "ASCENDING"}


def test_sort(emulator):
    client, _engagements, tasks = _tasks(emulator)
    started = [task["TaskId"] for task in tasks]
    ascending = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", Sort=_asc())
    descending = client.list_opportunity_from_engagement_tasks(
        Catalog="Sandbox", Sort={"SortBy": "StartTime", "SortOrder": "DESCENDING"}
    )
    assert _ids(ascending) == started
    assert _ids(descending) == started[::-1]
    # The default order is newest first.
    assert _ids(client.list_opportunity_from_engagement_tasks(Catalog="Sandbox")) == started[::-1]


def test_pagination(emulator):
    client, _engagements, tasks = _tasks(emulator)
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", MaxResults=2, Sort=_asc(), **kwargs)
        pages += 1
        seen += _ids(page)
        token = page.get("NextToken")
        if not token:
            break
        assert "task-" not in token  # opaque
    assert pages == 3 and seen == [task["TaskId"] for task in tasks]
    paginator = client.get_paginator("list_opportunity_from_engagement_tasks")
    pages = list(paginator.paginate(Catalog="Sandbox", PaginationConfig={"PageSize": 2}))
    assert sum(len(page["TaskSummaries"]) for page in pages) == 5


def test_pagination_is_stable_under_inserts(emulator):
    client, engagements, tasks = _tasks(emulator, 4)
    first = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", MaxResults=2, Sort=_asc())
    client.start_opportunity_from_engagement_task(
        Catalog="Sandbox", Identifier=engagements[5]["id"], ContextIdentifier="1"
    )
    second = client.list_opportunity_from_engagement_tasks(
        Catalog="Sandbox", MaxResults=2, Sort=_asc(), NextToken=first["NextToken"]
    )
    assert _ids(second) == [tasks[2]["TaskId"], tasks[3]["TaskId"]]


def test_bad_tokens(emulator):
    client, _engagements, _tasks_ = _tasks(emulator)
    page = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", MaxResults=2)
    with pytest.raises(client.exceptions.ValidationException):
        client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", NextToken="garbage")
    with pytest.raises(client.exceptions.ValidationException):
        client.list_opportunity_from_engagement_tasks(
            Catalog="Sandbox", TaskStatus=["FAILED"], NextToken=page["NextToken"]
        )
    emulator.reset(write_tps=0, read_tps=0)
    with pytest.raises(client.exceptions.ValidationException):
        client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", MaxResults=2, NextToken=page["NextToken"])


def test_list_engagements_paginates(emulator):
    client = emulator.client()
    paginator = client.get_paginator("list_engagements")
    pages = list(paginator.paginate(Catalog="Sandbox", PaginationConfig={"PageSize": 7}))
    ids = [item["Id"] for page in pages for item in page["EngagementSummaryList"]]
    assert len(pages) == 3 and len(ids) == 20 == len(set(ids))
    assert sorted(ids) == sorted(e["id"] for e in emulator.engagements("Sandbox"))


@pytest.mark.emulator_config(
    engagements=2,
    fixture={"engagements": [{"id": "eng-projectonly001", "contexts": [{"id": "1", "type": "CustomerProject"}]}]},
)
def test_list_engagements_filters(emulator):
    client = emulator.client()
    list_ = client.list_engagements
    project = "eng-projectonly001"
    assert [e["Id"] for e in list_(Catalog="Sandbox", ContextTypes=["CustomerProject"])["EngagementSummaryList"]] == [
        project
    ]
    without = list_(Catalog="Sandbox", ExcludeContextTypes=["CustomerProject"])["EngagementSummaryList"]
    assert len(without) == 2 and project not in {e["Id"] for e in without}
    assert [e["Id"] for e in list_(Catalog="Sandbox", EngagementIdentifier=[project])["EngagementSummaryList"]] == [
        project
    ]
    assert list_(Catalog="Sandbox", CreatedBy=["999999999999"])["EngagementSummaryList"] == []
    assert list_(Catalog="Sandbox", ExcludeCreatedBy=["111122223333"])["EngagementSummaryList"] == []
    ascending = list_(Catalog="Sandbox", Sort={"SortBy": "CreatedDate", "SortOrder": "ASCENDING"})[
        "EngagementSummaryList"
    ]
    created = [e["CreatedAt"] for e in ascending]
    assert created == sorted(created)
    [summary] = list_(Catalog="Sandbox", EngagementIdentifier=[project])["EngagementSummaryList"]
    assert summary["ContextTypes"] == ["CustomerProject"]

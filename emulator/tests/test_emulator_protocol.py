# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Protocol errors and request validation against the model (pattern, min/max, enums)."""

from __future__ import annotations

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from emulator_helpers import raw_call
from emulator_helpers import sandbox_engagement

pytestmark = pytest.mark.emulator_config(write_tps=0, read_tps=0)


def _unchecked_client(emulator):
    # Client-side validation off, so the server's own validation is what answers.
    return emulator.client(config=Config(retries={"total_max_attempts": 1}, parameter_validation=False))


def _validation(emulator, call, **params):
    client = _unchecked_client(emulator)
    with pytest.raises(client.exceptions.ValidationException) as caught:
        getattr(client, call)(**params)
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Reason"] in ("REQUEST_VALIDATION_FAILED", "BUSINESS_VALIDATION_FAILED")
    return response


def test_unknown_operation(emulator):
    status, headers, parsed = raw_call(emulator, "FlyToTheMoon", {})
    assert status == 400
    assert parsed["Error"]["Code"] == "UnknownOperationException"
    assert headers["x-amzn-ErrorType"] == "UnknownOperationException"


def test_modelled_but_not_implemented(emulator):
    client = emulator.client()
    with pytest.raises(ClientError) as caught:
        client.list_engagement_members(Catalog="Sandbox", Identifier="eng-abcdefghij0123")
    assert caught.value.response["Error"]["Code"] == "NotImplementedException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert "ListEngagementMembers" in caught.value.response["Error"]["Message"]


def test_body_not_json(emulator):
    status, _headers, parsed = raw_call(emulator, "ListEngagements", b"{not json")
    assert status == 400 and parsed["Error"]["Code"] == "SerializationException"


def test_pattern(emulator):
    response = _validation(
        emulator,
        "start_opportunity_from_engagement_task",
        Catalog="Sandbox",
        ClientToken="t1",
        Identifier=sandbox_engagement(emulator),
        ContextIdentifier="01",
    )
    [error] = response["ErrorList"]
    assert error["FieldName"] == "ContextIdentifier" and error["Code"] == "INVALID_STRING_FORMAT"
    assert "regular expression pattern: [1-9][0-9]*" in error["Message"]
    assert "ContextIdentifier" in response["Error"]["Message"]


def test_identifier_pattern(emulator):
    response = _validation(emulator, "get_engagement", Catalog="Sandbox", Identifier="eng-TOOSHORT")
    assert response["ErrorList"][0]["FieldName"] == "Identifier"


def test_list_too_long_and_max_results(emulator):
    response = _validation(
        emulator,
        "list_opportunity_from_engagement_tasks",
        Catalog="Sandbox",
        MaxResults=1001,
        ContextIdentifier=[str(n) for n in range(1, 12)],
    )
    by_field = {error["FieldName"]: error for error in response["ErrorList"]}
    assert by_field["MaxResults"]["Code"] == "VALUE_OUT_OF_RANGE"
    assert "less than or equal to 1000" in by_field["MaxResults"]["Message"]
    assert by_field["ContextIdentifier"]["Code"] == "TOO_MANY_VALUES"
    assert response["Error"]["Message"].startswith("2 validation errors detected")


def test_minimums(emulator):
    response = _validation(
        emulator, "list_opportunity_from_engagement_tasks", Catalog="Sandbox", MaxResults=0, TaskStatus=[]
    )
    codes = {error["FieldName"]: error["Code"] for error in response["ErrorList"]}
    assert codes == {"MaxResults": "VALUE_OUT_OF_RANGE", "TaskStatus": "NOT_ENOUGH_VALUES"}


def test_enums(emulator):
    response = _validation(
        emulator,
        "list_opportunity_from_engagement_tasks",
        Catalog="Sandbox",
        TaskStatus=["DONE"],
        Sort={"SortBy": "EndTime", "SortOrder": "UP"},
    )
    fields = {error["FieldName"]: error["Code"] for error in response["ErrorList"]}
    assert fields == {
        "TaskStatus[0]": "INVALID_ENUM_VALUE",
        "Sort.SortBy": "INVALID_ENUM_VALUE",
        "Sort.SortOrder": "INVALID_ENUM_VALUE",
    }


def test_required_and_unknown_members(emulator):
    status, _headers, parsed = raw_call(
        emulator, "StartOpportunityFromEngagementTask", {"Catalog": "Sandbox", "Identifier": "eng-x", "Colour": 1}
    )
    assert status == 400
    fields = {error["FieldName"]: error["Code"] for error in parsed["ErrorList"]}
    assert fields["ClientToken"] == "REQUIRED_FIELD_MISSING"
    assert fields["ContextIdentifier"] == "REQUIRED_FIELD_MISSING"
    assert fields["Colour"] == "INVALID_VALUE"
    assert fields["Identifier"] == "INVALID_STRING_FORMAT"


def test_wrong_type(emulator):
    status, _headers, parsed = raw_call(emulator, "ListEngagements", {"Catalog": "Sandbox", "MaxResults": "ten"})
    assert status == 400 and parsed["ErrorList"][0] == {
        "FieldName": "MaxResults",
        "Message": parsed["ErrorList"][0]["Message"],
        "Code": "INVALID_VALUE",
    }


def test_tags_are_checked(emulator):
    response = _validation(
        emulator,
        "start_opportunity_from_engagement_task",
        Catalog="Sandbox",
        ClientToken="t1",
        Identifier=sandbox_engagement(emulator),
        ContextIdentifier="1",
        Tags=[{"Key": "k" * 129, "Value": "ok"}, {"Key": "bad#char", "Value": "ünïcode välue"}],
    )
    fields = {error["FieldName"] for error in response["ErrorList"]}
    assert fields == {"Tags[0].Key", "Tags[1].Key"}


def test_unicode_tags_are_accepted(emulator):
    client = emulator.client()
    answer = client.start_opportunity_from_engagement_task(
        Catalog="Sandbox",
        Identifier=sandbox_engagement(emulator),
        ContextIdentifier="1",
        Tags=[{"Key": "Ünïcode Key", "Value": "välue 1 _.:/=+-@"}],
    )
    assert answer["TaskStatus"] == "COMPLETE"


def test_unknown_catalog(emulator):
    response = _validation(emulator, "list_engagements", Catalog="Marketplace")
    assert response["Reason"] == "BUSINESS_VALIDATION_FAILED"
    assert response["ErrorList"][0]["FieldName"] == "Catalog"
    assert "Marketplace" in response["Error"]["Message"]

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The bytes on the wire as the JSON 1.0 protocol and the model say: timestamp formats, strict numbers, depth."""

from __future__ import annotations

import datetime
import json
import logging
import re

import pytest
from botocore.model import ShapeResolver
from emulator_helpers import raw_call
from emulator_helpers import raw_exchange
from emulator_helpers import sandbox_engagement
from partnercentral_emulator import model

pytestmark = pytest.mark.emulator_config(write_tps=0, read_tps=0)

# What AWS's JSON services send for an iso8601 timestamp: UTC, milliseconds, "Z".
ISO8601_WIRE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def _timestamps(value, shape, path=""):
    """(path, raw value, shape) of every timestamp member in a raw (unparsed) answer, found through the model."""
    if shape.type_name == "timestamp":
        yield path, value, shape
    elif shape.type_name == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                yield from _timestamps(value[name], member, f"{path}.{name}" if path else name)
    elif shape.type_name == "list" and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _timestamps(item, shape.member, f"{path}[{index}]")
    elif shape.type_name == "map" and isinstance(value, dict):
        for key, item in value.items():
            yield from _timestamps(item, shape.value, f"{path}.{key}")


def _check_timestamps(emulator, operation, body):
    status, _headers, payload, parsed = raw_exchange(emulator, operation, body)
    assert status == 200, parsed
    raw = json.loads(payload)
    found = list(_timestamps(raw, model.operation_model(operation).output_shape))
    assert found, f"{operation} answered no timestamp"
    for path, value, shape in found:
        assert shape.serialization.get("timestampFormat") == "iso8601"
        assert isinstance(value, str) and ISO8601_WIRE.fullmatch(value), (path, value)
    return raw, parsed


def test_timestamps_go_on_the_wire_as_the_model_says(emulator):
    engagement = sandbox_engagement(emulator)
    raw, parsed = _check_timestamps(emulator, "GetEngagement", {"Catalog": "Sandbox", "Identifier": engagement})
    # botocore still reads them into aware datetimes, to the millisecond of the stored time.
    assert isinstance(parsed["CreatedAt"], datetime.datetime) and parsed["CreatedAt"].tzinfo is not None
    wire = datetime.datetime.strptime(raw["CreatedAt"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    assert parsed["CreatedAt"] == wire
    _check_timestamps(emulator, "ListEngagements", {"Catalog": "Sandbox", "MaxResults": 3})
    start = {"Catalog": "Sandbox", "ClientToken": "wire-1", "Identifier": engagement, "ContextIdentifier": "1"}
    _check_timestamps(emulator, "StartOpportunityFromEngagementTask", start)
    _check_timestamps(emulator, "ListOpportunityFromEngagementTasks", {"Catalog": "Sandbox"})


def test_generated_engagements_start_at_the_documented_base_time(emulator):
    engagements = emulator.client().list_engagements(
        Catalog="Sandbox", Sort={"SortBy": "CreatedDate", "SortOrder": "ASCENDING"}
    )
    _status, _headers, payload, _parsed = raw_exchange(
        emulator, "GetEngagement", {"Catalog": "Sandbox", "Identifier": engagements["EngagementSummaryList"][0]["Id"]}
    )
    assert json.loads(payload)["CreatedAt"] == "2025-01-06T09:00:00.000Z"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("iso8601", "2025-01-06T09:00:00.250Z"),
        ("unixTimestamp", 1736154000.25),
        ("rfc822", "Mon, 06 Jan 2025 09:00:00 GMT"),
        (None, 1736154000.25),  # no trait: the JSON protocols' default, epoch seconds
    ],
)
def test_every_timestamp_format_of_a_model_is_honoured(fmt, expected):
    stamp = {"type": "timestamp"}
    if fmt:
        stamp["timestampFormat"] = fmt
    resolver = ShapeResolver(
        {
            "Out": {"type": "structure", "members": {"When": {"shape": "Stamp"}, "Items": {"shape": "Items"}}},
            "Items": {"type": "list", "member": {"shape": "Item"}},
            "Item": {"type": "structure", "members": {"At": {"shape": "Stamp"}, "Name": {"shape": "Name"}}},
            "Stamp": stamp,
            "Name": {"type": "string"},
        }
    )
    when = datetime.datetime(2025, 1, 6, 9, 0, 0, 250000, tzinfo=datetime.timezone.utc).timestamp()
    value = {"When": when, "Items": [{"At": when, "Name": "n"}]}
    wire = model.serialize(value, resolver.get_shape_by_name("Out"), protocol="json")
    assert wire == {"When": expected, "Items": [{"At": expected, "Name": "n"}]}
    assert value["When"] == when  # the stored value is left as it was


@pytest.mark.parametrize("flag", [True, False])
def test_a_boolean_is_not_an_integer(emulator, flag):
    status, _headers, parsed = raw_call(emulator, "ListEngagements", {"Catalog": "Sandbox", "MaxResults": flag})
    assert status == 400 and parsed["Error"]["Code"] == "ValidationException"
    [error] = parsed["ErrorList"]
    assert error["FieldName"] == "MaxResults" and error["Code"] == "INVALID_VALUE"
    # Integers are still integers.
    status, _headers, parsed = raw_call(emulator, "ListEngagements", {"Catalog": "Sandbox", "MaxResults": 2})
    assert status == 200 and len(parsed["EngagementSummaryList"]) == 2


def test_a_boolean_is_not_an_integer_for_the_validator():
    shape = model.operation_model("ListEngagements").input_shape
    errors = model.validate({"Catalog": "Sandbox", "MaxResults": False}, shape)
    assert [(error["FieldName"], error["Code"]) for error in errors] == [("MaxResults", "INVALID_VALUE")]
    assert "Member must be of type int" in errors[0]["Message"]
    assert model.validate({"Catalog": "Sandbox", "MaxResults": 5}, shape) == []


def _nested(depth, leaf=b"1"):
    return b"[" * depth + leaf + b"]" * depth


@pytest.mark.parametrize(
    "body",
    [
        b'{"Catalog": ' + _nested(1000) + b"}",
        _nested(1000),
        b'{"Catalog": "Sandbox", "Colour": ' + b'{"a": ' * 1000 + b"1" + b"}" * 1000 + b"}",
        b'{"Catalog": "Sandbox", "Colour": ' + _nested(100_000) + b"}",
    ],
    ids=["member", "top-level", "objects-in-unknown-member", "100k"],
)
def test_deep_nesting_is_a_client_error(emulator, caplog, body):
    caplog.set_level(logging.INFO, logger="partnercentral_emulator")
    status, _headers, parsed = raw_call(emulator, "ListEngagements", body)
    assert status == 400 and parsed["Error"]["Code"] == "SerializationException"
    assert "deeper" in parsed["Error"]["Message"]
    assert "Traceback" not in caplog.text and "RecursionError" not in caplog.text
    # The emulator goes on serving.
    status, _headers, _parsed = raw_call(emulator, "ListEngagements", {"Catalog": "Sandbox", "MaxResults": 1})
    assert status == 200


def test_moderate_nesting_is_still_validated(emulator):
    # Deep, but within the limit: an ordinary validation answer (unknown member), not a protocol error.
    body = b'{"Catalog": "Sandbox", "Colour": ' + _nested(50) + b"}"
    status, _headers, parsed = raw_call(emulator, "ListEngagements", body)
    assert status == 400 and parsed["Error"]["Code"] == "ValidationException"
    assert parsed["ErrorList"][0]["FieldName"] == "Colour"
    # Brackets inside strings are text, not nesting.
    status, _headers, parsed = raw_call(emulator, "ListEngagements", {"Catalog": "Sandbox", "NextToken": "[" * 2000})
    assert status == 400 and parsed["Error"]["Code"] == "ValidationException"


def test_deep_admin_body_is_a_client_error(emulator):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        emulator.endpoint_url + "/_emulator/config", data=b'{"seed": ' + _nested(1000) + b"}", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - local emulator
    assert caught.value.code == 400 and "deeper" in json.loads(caught.value.read())["error"]

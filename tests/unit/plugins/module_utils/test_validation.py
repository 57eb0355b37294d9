# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The request rules of _validation.py, one by one, and their agreement with botocore's service model."""

from __future__ import annotations

import re

import botocore.session
import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils import _validation
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import FATAL_ERROR_CODES
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import API_FILTER_MAX_VALUES
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import LIST_PAGE_SIZE
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import RETRY_ERROR_CODES
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import TERMINAL_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._hints import REASON_HINTS
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import engagement_id_of
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import request_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import tags_problems

ENG = "eng-abcdefghij0123"
ARN_AWS = f"arn:aws:partnercentral:us-east-1:123456789012:catalog/AWS/engagement/{ENG}"
# The form the service itself answers (GetEngagement Arn, AWS's lead-to-opportunity sample): no account field.
ARN_SERVICE = f"arn:aws:partnercentral:us-east-1::catalog/AWS/engagement/{ENG}"
ARN_SANDBOX = f"arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement/{ENG}"


def problems(catalog="Sandbox", identifier=ENG, context="1", tags=None, token=None):
    return request_problems(catalog, identifier, context, tags=tags, client_token=token)


def test_valid_request_has_no_problem():
    assert problems() == []
    assert problems(catalog="AWS", identifier=ARN_AWS, tags={"a": "b"}, token="t") == []


@pytest.mark.parametrize("catalog", ["AWS", "Sandbox"])
def test_catalog_accepted(catalog):
    assert problems(catalog=catalog) == []


@pytest.mark.parametrize("catalog", ["aws", "sandbox", "", None, "Production"])
def test_catalog_refused(catalog):
    found = problems(catalog=catalog)
    assert len(found) == 1
    assert found[0].startswith("catalog must be one of AWS, Sandbox")


@pytest.mark.parametrize("identifier", [ENG, "eng-0123456789abcd"])
def test_engagement_id_accepted(identifier):
    assert problems(identifier=identifier) == []


@pytest.mark.parametrize(
    "identifier",
    ["eng-ABCDEFGHIJ0123", "eng-abcdefghij012", "eng-abcdefghij01234", "abcdefghij0123", " eng-abcdefghij0123"],
)
def test_engagement_id_refused(identifier):
    found = problems(identifier=identifier)
    assert len(found) == 1
    assert "identifier" in found[0] and "eng-[0-9a-z]{14}" in found[0]


@pytest.mark.parametrize("identifier", [None, "", 12])
def test_engagement_id_missing(identifier):
    found = problems(identifier=identifier)
    assert len(found) == 1
    assert found[0].startswith("identifier is required")


@pytest.mark.parametrize("identifier", [ARN_AWS, ARN_SERVICE])
def test_engagement_arn_accepted(identifier):
    assert problems(catalog="AWS", identifier=identifier) == []
    assert engagement_id_of(identifier) == ENG


def test_engagement_arn_of_another_catalog_refused():
    found = problems(catalog="AWS", identifier=ARN_SANDBOX)
    assert found == [f"identifier {ARN_SANDBOX!r} belongs to catalog Sandbox, not AWS"]
    assert problems(catalog="Sandbox", identifier=ARN_SANDBOX) == []


@pytest.mark.parametrize(
    "identifier",
    [
        "arn:aws:s3:::bucket",
        f"arn:aws:partnercentral:us-east-1::catalog/AWS/opportunity/{ENG}",
        f"arn:aws:partnercentral:us-east-1:12345:catalog/AWS/engagement/{ENG}",
        f"arn:aws:partnercentral:us-east-1::catalog/Other/engagement/{ENG}",
        f"{ARN_AWS}/extra",
    ],
)
def test_not_an_engagement_arn_refused(identifier):
    found = problems(catalog="AWS", identifier=identifier)
    assert len(found) == 1
    assert "is not an engagement ARN" in found[0]


def test_engagement_id_of_leaves_an_id_and_foreign_text_alone():
    assert engagement_id_of(ENG) == ENG
    assert engagement_id_of("arn:aws:s3:::bucket") == "arn:aws:s3:::bucket"


@pytest.mark.parametrize("context", ["1", "2", "10", "987654321", 1, 42])
def test_context_accepted(context):
    assert problems(context=context) == []


@pytest.mark.parametrize("context", ["0", 0, "-1", -1, "abc", "01", "1.0", "", " 1"])
def test_context_refused(context):
    found = problems(context=context)
    assert len(found) == 1
    assert found[0].startswith("context_identifier must match [1-9][0-9]*")


@pytest.mark.parametrize("context", [None, True, 1.5, ["1"]])
def test_context_of_wrong_type_refused(context):
    found = problems(context=context)
    assert len(found) == 1
    assert found[0].startswith("context_identifier must be a positive whole number")


@pytest.mark.parametrize("token", ["x", "x" * 255, "ansible-pcs-0123"])
def test_client_token_accepted(token):
    assert problems(token=token) == []


@pytest.mark.parametrize("token", ["", "x" * 256, 5])
def test_client_token_refused(token):
    assert problems(token=token) == ["client_token must be a string of 1 to 255 characters"]


@pytest.mark.parametrize("token", ["tok\n", "tok\r", "tok\r\n", "line\nbreak", "\n", "tok\u2028"])
def test_client_token_with_a_line_break_refused(token):
    # A YAML block scalar (|) ends in a line break; the model's .{1,255} matches no line terminator.
    found = problems(token=token)
    assert len(found) == 1 and found[0].startswith("client_token must match .{1,255}")


# One value per pattern-checked field with a trailing line break (what a YAML block scalar gives): never accepted.
@pytest.mark.parametrize(
    "field, kwargs",
    [
        ("catalog", {"catalog": "Sandbox\n"}),
        ("identifier", {"identifier": ENG + "\n"}),
        ("identifier", {"catalog": "AWS", "identifier": ARN_AWS + "\n"}),
        ("context_identifier", {"context": "1\n"}),
        ("client_token", {"token": "ansible-pcs-0123\n"}),
        ("tag key", {"tags": {"key\n": "v"}}),
        ("tag 'k' value", {"tags": {"k": "value\n"}}),
    ],
)
def test_trailing_line_break_refused(field, kwargs):
    found = problems(**kwargs)
    assert len(found) == 1 and field in found[0]


def test_tags_none_is_fine():
    assert tags_problems(None) == []


def test_empty_tags_mean_no_tags():
    # The API refuses an empty TagList; an empty dict is sent as no tags at all.
    assert tags_problems({}) == []
    assert tags_problems(None) == []


def test_tags_with_200_keys_accepted_201_refused():
    assert tags_problems({f"k{i}": "v" for i in range(200)}) == []
    found = tags_problems({f"k{i}": "v" for i in range(201)})
    assert found == ["tags must hold 1 to 200 keys (got 201); omit tags for none"]


def test_tag_key_length():
    assert tags_problems({"k" * 128: "v"}) == []
    found = tags_problems({"k" * 129: "v"})
    assert len(found) == 1
    assert "must be 1 to 128 characters long (got 129)" in found[0]
    assert tags_problems({"": "v"}) == ["tag key '' must be 1 to 128 characters long (got 0)"]


def test_tag_value_length():
    assert tags_problems({"k": "v" * 256}) == []
    assert tags_problems({"k": ""}) == []
    found = tags_problems({"k": "v" * 257})
    assert found == ["tag 'k' value must be at most 256 characters (got 257)"]


@pytest.mark.parametrize("text", ["a#b", "tab\there", "semi;colon", "emoji \U0001f600", "quote'", "new\nline"])
def test_tag_illegal_characters_refused(text):
    key_problems = tags_problems({text: "v"})
    value_problems = tags_problems({"k": text})
    assert len(key_problems) == 1 and "is not allowed" in key_problems[0]
    assert len(value_problems) == 1 and "is not allowed" in value_problems[0]
    assert value_problems[0].startswith("tag 'k' value:")


@pytest.mark.parametrize(
    "text", ["Grüße", "日本語", "Ωmega", "with space", "nbsp\u00a0sep", "_.:/=+-@", "٣٤", "cost-center:42"]
)
def test_tag_unicode_letters_numbers_separators_allowed(text):
    assert tags_problems({text: text}) == []


@pytest.mark.parametrize("value", [None, {"a": 1}, ["a"]])
def test_tag_value_must_be_text(value):
    assert tags_problems({"k": value}) == ["tag 'k' must have a string value"]


def test_tag_scalar_values_are_sent_as_text():
    assert tags_problems({"k": 5, "b": True}) == []


def test_tags_not_a_dict_refused():
    assert tags_problems(["a=b"]) == ["tags must be a dictionary of key: value, got list"]


def test_every_broken_rule_is_reported_with_its_option():
    found = request_problems("aws", "eng-x", "0", tags={"a#": "b"}, client_token="")
    joined = " | ".join(found)
    assert len(found) == 5
    for option in ("catalog", "identifier", "context_identifier", "client_token", "tag key"):
        assert option in joined


# ---- the constants against botocore's service model --------------------------------------------------------------


@pytest.fixture(scope="module")
def model():
    return botocore.session.get_session().get_service_model("partnercentral-selling")


@pytest.fixture(scope="module")
def start_input(model):
    return model.operation_model("StartOpportunityFromEngagementTask").input_shape.members


@pytest.fixture(scope="module")
def list_input(model):
    return model.operation_model("ListOpportunityFromEngagementTasks").input_shape.members


def test_model_catalog_pattern_admits_the_catalogs(start_input):
    pattern = start_input["Catalog"].metadata["pattern"]
    assert pattern == "[a-zA-Z]+"
    assert all(re.fullmatch(pattern, catalog) for catalog in _validation.CATALOGS)


def test_model_identifier_pattern(start_input):
    pattern = start_input["Identifier"].metadata["pattern"]
    assert pattern == f"(arn:.*|{_validation.ENGAGEMENT_ID_PATTERN})"
    for arn in (ARN_AWS, ARN_SERVICE, ARN_SANDBOX):
        assert re.fullmatch(_validation.ENGAGEMENT_ARN_PATTERN, arn)
        assert re.fullmatch(pattern, arn)


def test_model_context_pattern(start_input, list_input):
    assert start_input["ContextIdentifier"].metadata["pattern"] == _validation.CONTEXT_ID_PATTERN
    assert list_input["ContextIdentifier"].member.metadata["pattern"] == _validation.CONTEXT_ID_PATTERN


def test_model_client_token(start_input):
    token = start_input["ClientToken"]
    assert token.metadata["pattern"] == ".{1,%d}" % _validation.CLIENT_TOKEN_MAX_LENGTH
    assert token.metadata["pattern"] == _validation.CLIENT_TOKEN_PATTERN
    assert token.metadata.get("idempotencyToken") is True


def test_model_patterns_are_applied_as_the_model_writes_them(start_input):
    assert start_input["Catalog"].metadata["pattern"] == _validation.CATALOG_PATTERN
    assert start_input["Identifier"].metadata["pattern"] == _validation.IDENTIFIER_PATTERN
    assert start_input["ClientToken"].metadata["pattern"] == _validation.CLIENT_TOKEN_PATTERN
    # The whole value, with ECMAScript's "." (no line terminator): what the service applies.
    assert _validation.matches_model(_validation.CLIENT_TOKEN_PATTERN, "x" * 255)
    assert not _validation.matches_model(_validation.CLIENT_TOKEN_PATTERN, "x" * 256)
    assert not _validation.matches_model(_validation.CLIENT_TOKEN_PATTERN, "x\n")
    assert not _validation.matches_model(_validation.IDENTIFIER_PATTERN, "arn:aws:x\ny")
    assert _validation.matches_model("[.]", ".") and not _validation.matches_model("[.]", "a")


def test_model_required_members(model):
    required = model.operation_model("StartOpportunityFromEngagementTask").input_shape.required_members
    assert sorted(required) == ["Catalog", "ClientToken", "ContextIdentifier", "Identifier"]


def test_model_tag_list_bounds(start_input):
    tag_list = start_input["Tags"]
    assert tag_list.metadata["min"] == _validation.TAGS_MIN
    assert tag_list.metadata["max"] == _validation.TAGS_MAX


def _tag_rule(pattern):
    match = re.fullmatch(r"\(\?=\.\{(\d+),(\d+)\}\$\)\(\[(.*)\]\*\)", pattern)
    assert match, f"the model's tag pattern changed shape: {pattern}"
    low, high, char_class = int(match.group(1)), int(match.group(2)), match.group(3)
    categories = tuple(re.findall(r"\\p\{(\w)\}", char_class))
    extra = re.sub(r"\\p\{\w\}", "", char_class).replace("\\-", "-")
    return low, high, categories, frozenset(extra)


def test_model_tag_key_and_value_rules(start_input):
    members = start_input["Tags"].member.members
    key_low, key_high, key_categories, key_extra = _tag_rule(members["Key"].metadata["pattern"])
    value_low, value_high, value_categories, value_extra = _tag_rule(members["Value"].metadata["pattern"])
    assert (key_low, key_high) == (1, _validation.TAG_KEY_MAX_LENGTH)
    assert (value_low, value_high) == (0, _validation.TAG_VALUE_MAX_LENGTH)
    assert key_categories == value_categories == _validation.TAG_UNICODE_CATEGORIES
    assert key_extra == value_extra == _validation.TAG_EXTRA_CHARACTERS


def test_model_list_filters_and_page_size(list_input):
    for name in ("TaskIdentifier", "EngagementIdentifier", "ContextIdentifier", "OpportunityIdentifier"):
        assert list_input[name].metadata["max"] == API_FILTER_MAX_VALUES, name
    assert list_input["MaxResults"].metadata["min"] <= LIST_PAGE_SIZE <= list_input["MaxResults"].metadata["max"]
    assert set(TERMINAL_STATUSES) < set(list_input["TaskStatus"].member.enum)
    assert list_input["TaskStatus"].member.enum == ["IN_PROGRESS", "COMPLETE", "FAILED"]


def test_model_reason_codes_have_hints_for_known_codes_only(model):
    output = model.operation_model("StartOpportunityFromEngagementTask").output_shape.members
    reason_codes = set(output["ReasonCode"].enum)
    assert set(REASON_HINTS) <= reason_codes
    for code in ("ContextNotFound", "CustomerProjectContextNotPermitted", "DisqualifiedLeadNotPermitted"):
        assert code in REASON_HINTS


def test_model_error_codes_known(model):
    errors = {shape.name for shape in model.operation_model("StartOpportunityFromEngagementTask").error_shapes}
    assert {"ConflictException", "ThrottlingException", "AccessDeniedException"} <= errors
    assert {"AccessDeniedException", "ServiceQuotaExceededException"} <= FATAL_ERROR_CODES
    assert "ThrottlingException" in RETRY_ERROR_CODES and "InternalServerException" in RETRY_ERROR_CODES
    assert "ConflictException" not in FATAL_ERROR_CODES | set(RETRY_ERROR_CODES)

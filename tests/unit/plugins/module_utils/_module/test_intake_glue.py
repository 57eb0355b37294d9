# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The option checks of the intake modules' glue, made before any API call."""

from __future__ import annotations

import datetime

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import REQUEST_KEYS
from ansible_collections.partnercentral.selling.plugins.module_utils._module import engagement_info
from ansible_collections.partnercentral.selling.plugins.module_utils._module import invitation_info

ENGAGEMENT_DEFAULTS = dict(
    max_results=0,
    max_count=0,
    read_rate=5.0,
    engagement_ids=[],
    exclude_engagement_ids=[],
    created_by=[],
    exclude_created_by=[],
    created_after=None,
    unconverted_leads=False,
    context_types=[],
    exclude_context_types=[],
    qualification_statuses=["Qualified"],
)


def engagement_problems(**params):
    return engagement_info.option_problems(dict(ENGAGEMENT_DEFAULTS, **params))


def test_defaults_have_no_problem():
    assert engagement_problems() == []
    assert engagement_problems(unconverted_leads=True) == []


@pytest.mark.parametrize(
    "params, words",
    [
        ({"unconverted_leads": True, "context_types": ["CustomerProject"]}, "context_types must include Lead"),
        ({"unconverted_leads": True, "exclude_context_types": ["Lead"]}, "must not include Lead"),
        ({"unconverted_leads": True, "qualification_statuses": []}, "qualification_statuses must name"),
        ({"exclude_engagement_ids": ["eng-1"]}, "exclude_engagement_ids: 'eng-1'"),
        ({"exclude_created_by": ["12345678901234"]}, "exclude_created_by"),
        ({"read_rate": -1.0}, "read_rate must be a positive number"),
        ({"max_results": -5}, "max_results must be 0 (all) or more (got -5)"),
        ({"created_after": "2026-13-01"}, "created_after must be an ISO 8601 date"),
    ],
)
def test_engagement_info_problems(params, words):
    found = engagement_problems(**params)
    assert len(found) == 1 and words in found[0], found


def test_created_after_forms():
    utc = datetime.timezone.utc
    assert engagement_info.parse_created_after("2026-11-01") == datetime.datetime(2026, 11, 1, tzinfo=utc)
    assert engagement_info.parse_created_after("2026-11-01T08:00:00Z") == datetime.datetime(2026, 11, 1, 8, tzinfo=utc)
    plus_two = engagement_info.parse_created_after("2026-11-01T10:00:00+02:00")
    assert plus_two == datetime.datetime(2026, 11, 1, 8, tzinfo=utc)
    assert engagement_info.parse_created_after(None) is None


def test_the_items_for_the_role_are_request_keys_only():
    assert engagement_info.ITEM_KEYS == ("identifier", "context_identifier")
    assert set(engagement_info.ITEM_KEYS) <= set(REQUEST_KEYS)


def test_invitation_info_problems():
    params = dict(max_results=0, identifier=None, catalog="Sandbox", sender_aws_account_ids=[], engagement_ids=[])
    assert invitation_info.option_problems(params) == []
    bad = dict(params, identifier="engi-x", sender_aws_account_ids=["12-34"], engagement_ids=["eng-y"], max_results=-1)
    found = invitation_info.option_problems(bad)
    assert len(found) == 4

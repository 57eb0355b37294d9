# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The lead intake's calls of _api/intake.py on a stubbed client: filters split at 10 values, merged pages, local
filters, the error path naming the IAM action, snake_case answers."""

from __future__ import annotations

import datetime
from typing import Any
from typing import Dict

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import snake_answer
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import accept_invitation
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import get_engagement
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import get_invitation
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import list_engagements
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import list_invitations
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import reject_invitation
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import T0
from ansible_collections.partnercentral.selling.tests.unit.pcs_stubs import engagement
from botocore.stub import ANY

INV = "engi-0123456789abc"


def invitation(n: int, **extra: Any) -> Dict[str, Any]:
    return dict(
        {
            "Id": f"engi-{n:013d}",
            "Catalog": "Sandbox",
            "Status": "PENDING",
            "PayloadType": "LeadInvitation",
            "InvitationDate": T0 + datetime.timedelta(minutes=n),
        },
        **extra,
    )


def test_list_invitations_splits_sender_filters_and_merges_newest_first(api):
    senders = [f"{n:012d}" for n in range(12)]
    base = {"Catalog": "Sandbox", "ParticipantType": "RECEIVER", "MaxResults": 100, "Sort": ANY}
    api.stubber.add_response(
        "list_engagement_invitations",
        {"EngagementInvitationSummaries": [invitation(1), invitation(3)], "NextToken": "t"},
        dict(base, PayloadType=["LeadInvitation"], SenderAwsAccountId=senders[:10]),
    )
    api.stubber.add_response(
        "list_engagement_invitations",
        {"EngagementInvitationSummaries": [invitation(2)]},
        dict(base, PayloadType=["LeadInvitation"], SenderAwsAccountId=senders[:10], NextToken="t"),
    )
    api.stubber.add_response(
        "list_engagement_invitations",
        {"EngagementInvitationSummaries": [invitation(3), invitation(4)]},
        dict(base, PayloadType=["LeadInvitation"], SenderAwsAccountId=senders[10:]),
    )
    found = list_invitations(api.client, "Sandbox", payload_types=["LeadInvitation"], sender_account_ids=senders)
    assert [item["Id"] for item in found] == [invitation(n)["Id"] for n in (4, 3, 2, 1)]


def test_list_invitations_stops_paging_at_max_results(api):
    api.stubber.add_response(
        "list_engagement_invitations",
        {"EngagementInvitationSummaries": [invitation(1), invitation(2)], "NextToken": "more"},
        {"Catalog": "Sandbox", "ParticipantType": "RECEIVER", "MaxResults": 100, "Sort": ANY, "Status": ["PENDING"]},
    )
    found = list_invitations(api.client, "Sandbox", statuses=["PENDING"], max_results=1, sort_order="ASCENDING")
    assert [item["Id"] for item in found] == [invitation(1)["Id"]]


def summary(n: int, created_by: str = "111122223333") -> Dict[str, Any]:
    return {"Id": engagement(n), "CreatedAt": T0 + datetime.timedelta(days=n), "CreatedBy": created_by}


def test_list_engagements_excludes_more_than_ten_accounts_and_old_engagements(api):
    excluded = [f"{n:012d}" for n in range(12)]
    api.stubber.add_response(
        "list_engagements",
        {"EngagementSummaryList": [summary(5), summary(4, excluded[11]), summary(3), summary(1)], "NextToken": "x"},
        {
            "Catalog": "Sandbox",
            "MaxResults": 100,
            "Sort": {"SortBy": "CreatedDate", "SortOrder": "DESCENDING"},
            "ExcludeCreatedBy": excluded[:10],
            "ContextTypes": ["Lead"],
        },
    )
    # The page reached engagements older than created_after: no second page is asked for.
    found = list_engagements(
        api.client,
        "Sandbox",
        exclude_created_by=excluded,
        context_types=["Lead"],
        created_after=T0 + datetime.timedelta(days=2),
    )
    assert [item["Id"] for item in found] == [engagement(5), engagement(3)]


def test_list_engagements_splits_engagement_ids(api):
    ids = [engagement(n) for n in range(11)]
    for chunk in (ids[:10], ids[10:]):
        api.stubber.add_response(
            "list_engagements",
            {"EngagementSummaryList": [summary(int(i[-2:])) for i in chunk]},
            {"Catalog": "Sandbox", "MaxResults": 100, "Sort": ANY, "EngagementIdentifier": chunk},
        )
    found = list_engagements(api.client, "Sandbox", engagement_ids=ids, sort_order="ASCENDING")
    assert [item["Id"] for item in found] == ids


@pytest.mark.parametrize(
    "call, method, iam",
    [
        (lambda c: get_invitation(c, "Sandbox", INV), "get_engagement_invitation", "GetEngagementInvitation"),
        (
            lambda c: accept_invitation(c, "Sandbox", INV),
            "accept_engagement_invitation",
            "AcceptEngagementInvitation",
        ),
        (
            lambda c: reject_invitation(c, "Sandbox", INV, "Other"),
            "reject_engagement_invitation",
            "RejectEngagementInvitation",
        ),
        (lambda c: get_engagement(c, "Sandbox", engagement(1)), "get_engagement", "GetEngagement"),
        (lambda c: list_engagements(c, "Sandbox"), "list_engagements", "ListEngagements"),
        (lambda c: list_invitations(c, "Sandbox"), "list_engagement_invitations", "ListEngagementInvitations"),
    ],
)
def test_access_denied_names_the_iam_action(api, call, method, iam):
    api.expect_error(method, "AccessDeniedException", request_id="req-1")
    with pytest.raises(PartnerCentralError) as raised:
        call(api.client)
    assert f"partnercentral:{iam}" in raised.value.message
    assert raised.value.code == "AccessDeniedException" and raised.value.request_id == "req-1"


def test_throttled_accept_is_retried(api, retry_sleeps):
    api.expect_error("accept_engagement_invitation", "ThrottlingException", status=429)
    api.stubber.add_response("accept_engagement_invitation", {}, {"Catalog": "Sandbox", "Identifier": INV})
    accept_invitation(api.client, "Sandbox", INV)
    assert len(retry_sleeps) == 1


def test_reject_without_reason_sends_none(api):
    api.stubber.add_response("reject_engagement_invitation", {}, {"Catalog": "Sandbox", "Identifier": INV})
    reject_invitation(api.client, "Sandbox", INV)


def test_snake_answer_turns_nested_timestamps_into_iso_text():
    answer = snake_answer(
        {
            "ResponseMetadata": {"RequestId": "x"},
            "InvitationDate": T0,
            "Payload": {"LeadInvitation": {"Customer": {"CompanyName": "A"}}},
            "Contexts": [{"Payload": {"Lead": {"Interactions": [{"InteractionDate": T0}]}}}],
        }
    )
    assert answer == {
        "invitation_date": T0.isoformat(),
        "payload": {"lead_invitation": {"customer": {"company_name": "A"}}},
        "contexts": [{"payload": {"lead": {"interactions": [{"interaction_date": T0.isoformat()}]}}}],
    }

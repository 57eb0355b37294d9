# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The lead intake: engagement invitations, lead contexts, qualification, conversion of several leads, admin."""

from __future__ import annotations

import itertools
import time
import uuid

import pytest
from partnercentral_emulator.admin import EmulatorAdminError
from partnercentral_emulator.leads import invitation_arn

ACCOUNT = "111122223333"
AWS_SENDER = "999988887777"
OTHER_SENDER = "444455556666"
OTHER_PARTNER = "222233334444"


def eng(number: int) -> str:
    return f"eng-intake{number:08d}"


def inv(number: int) -> str:
    return f"engi-invite{number:07d}"


PENDING_ENG, EXPIRED_ENG, ACCEPTED_ENG, REJECTED_ENG, NO_LEAD_ENG, OTHERS_ENG, SENT_ENG, LATE_ENG = (
    eng(n) for n in range(1, 9)
)
FIXTURE = {
    "engagements": [
        {
            "id": PENDING_ENG,
            "title": "Pending lead",
            "contexts": [
                {
                    "id": "1",
                    "type": "Lead",
                    "qualification_status": "Unqualified",
                    "customer": {
                        "company_name": "Octank",
                        "industry": "Healthcare",
                        "segment": "Enterprise",
                        "country_code": "DE",
                    },
                }
            ],
            "invitation": {
                "id": inv(1),
                "sender_account": AWS_SENDER,
                "invited_at": "2026-01-05T10:00:00Z",
                "expires_in": 86400,
            },
        },
        {
            "id": EXPIRED_ENG,
            "contexts": [{"id": "1", "type": "Lead"}],
            "invitation": {"id": inv(2), "status": "EXPIRED", "invited_at": "2026-01-04T10:00:00Z"},
        },
        {
            "id": ACCEPTED_ENG,
            "contexts": [
                {"id": "1", "type": "Lead", "qualification_status": "Qualified"},
                {"id": "2", "type": "Lead", "qualification_status": "Disqualified"},
            ],
            "invitation": {
                "id": inv(3),
                "status": "ACCEPTED",
                "sender_account": OTHER_SENDER,
                "invited_at": "2026-01-03T10:00:00Z",
            },
        },
        {
            "id": REJECTED_ENG,
            "contexts": [{"id": "1", "type": "Lead"}],
            "invitation": {
                "id": inv(4),
                "status": "REJECTED",
                "rejection_reason": "Other",
                "invited_at": "2026-01-02T10:00:00Z",
            },
        },
        {"id": NO_LEAD_ENG, "contexts": [{"id": "1", "type": "CustomerProject"}]},
        {
            "id": OTHERS_ENG,
            "contexts": [{"id": "1", "type": "Lead"}],
            "invitation": {"id": inv(6), "receiver_account": OTHER_PARTNER},
        },
        {
            "id": SENT_ENG,
            "contexts": [{"id": "1", "type": "Lead"}],
            "invitation": {"id": inv(7), "sender_account": ACCOUNT, "receiver_account": OTHER_PARTNER},
        },
        {
            "id": LATE_ENG,
            "contexts": [{"id": "1", "type": "Lead", "qualification_status": "Qualified"}],
            "invitation": {"id": inv(8), "expires_at": "2020-01-01T00:00:00Z", "invited_at": "2019-12-01T00:00:00Z"},
        },
    ]
}
RECEIVED = {inv(1): "PENDING", inv(2): "EXPIRED", inv(3): "ACCEPTED", inv(4): "REJECTED", inv(8): "EXPIRED"}

pytestmark = pytest.mark.emulator_config(write_tps=0, fixture=FIXTURE, engagements=2)


def _invitations(client, **filters):
    filters.setdefault("ParticipantType", "RECEIVER")
    return client.list_engagement_invitations(Catalog="Sandbox", **filters)["EngagementInvitationSummaries"]


def _lead(client, eng_id, context_id="1"):
    engagement = client.get_engagement(Catalog="Sandbox", Identifier=eng_id)
    context = next(c for c in engagement["Contexts"] if c["Id"] == context_id)
    return engagement, context["Payload"]["Lead"]


def _qualify(client, eng_id, context_id, status, modified_at=None):
    engagement, lead = _lead(client, eng_id, context_id)
    return client.update_engagement_context(
        Catalog="Sandbox",
        EngagementIdentifier=eng_id,
        ContextIdentifier=context_id,
        EngagementLastModifiedAt=modified_at or engagement["ModifiedAt"],
        Type="Lead",
        Payload={"Lead": {"Customer": lead["Customer"], "QualificationStatus": status}},
    )


def _convert(client, eng_id, context_id):
    return client.start_opportunity_from_engagement_task(
        Catalog="Sandbox", ClientToken=str(uuid.uuid4()), Identifier=eng_id, ContextIdentifier=context_id
    )


# ------------------------------------------------------------------ invitations


def test_health_lists_the_intake_operations(emulator):
    implemented = emulator.admin.health()["implemented"]
    for operation in ("ListEngagementInvitations", "AcceptEngagementInvitation", "CreateEngagementContext"):
        assert operation in implemented


def test_receiver_sees_its_invitations_with_computed_status(emulator):
    client = emulator.client()
    received = _invitations(client)
    assert {item["Id"]: item["Status"] for item in received} == RECEIVED
    first = next(item for item in received if item["Id"] == inv(1))
    assert first["EngagementId"] == PENDING_ENG and first["EngagementTitle"] == "Pending lead"
    assert first["PayloadType"] == "LeadInvitation" and first["ParticipantType"] == "RECEIVER"
    assert first["SenderAwsAccountId"] == AWS_SENDER and first["Receiver"] == {"Account": {"AwsAccountId": ACCOUNT}}
    assert first["ExpirationDate"] > first["InvitationDate"]
    # The invitation another partner received is not visible at all; the one this account sent is SENDER's.
    sent = _invitations(client, ParticipantType="SENDER")
    assert [(item["Id"], item["ParticipantType"]) for item in sent] == [(inv(7), "SENDER")]


def test_list_filters(emulator):
    client = emulator.client()
    assert [item["Id"] for item in _invitations(client, Status=["PENDING"])] == [inv(1)]
    assert {item["Id"] for item in _invitations(client, Status=["EXPIRED", "REJECTED"])} == {inv(2), inv(4), inv(8)}
    assert len(_invitations(client, PayloadType=["LeadInvitation"])) == len(RECEIVED)
    assert _invitations(client, PayloadType=["OpportunityInvitation"]) == []
    assert [item["Id"] for item in _invitations(client, SenderAwsAccountId=[OTHER_SENDER])] == [inv(3)]
    arn = f"arn:aws:partnercentral:us-east-1:{ACCOUNT}:catalog/Sandbox/engagement/{ACCEPTED_ENG}"
    assert [item["Id"] for item in _invitations(client, EngagementIdentifier=[PENDING_ENG, arn])] == [inv(1), inv(3)]
    with pytest.raises(client.exceptions.ValidationException):
        _invitations(client, Status=["OPEN"])


@pytest.mark.emulator_config(fixture=None, lead_invitations=7)
def test_sort_and_pagination(emulator):
    client = emulator.client()
    everything = _invitations(client)
    assert len(everything) == 7
    dates = [item["InvitationDate"] for item in everything]
    assert dates == sorted(dates, reverse=True)  # newest first without Sort
    pages, token = [], None
    while True:
        answer = client.list_engagement_invitations(
            Catalog="Sandbox", ParticipantType="RECEIVER", MaxResults=3, **({"NextToken": token} if token else {})
        )
        pages.append([item["Id"] for item in answer["EngagementInvitationSummaries"]])
        token = answer.get("NextToken")
        if not token:
            break
    assert [len(page) for page in pages] == [3, 3, 1]
    assert sum(pages, []) == [item["Id"] for item in everything]
    ascending = _invitations(client, Sort={"SortBy": "InvitationDate", "SortOrder": "ASCENDING"})
    assert [item["Id"] for item in ascending] == [item["Id"] for item in reversed(everything)]
    with pytest.raises(client.exceptions.ValidationException):
        client.list_engagement_invitations(Catalog="Sandbox", ParticipantType="SENDER", NextToken="bogus.token")


def test_get_invitation_shows_the_lead_without_contacts(emulator):
    client = emulator.client()
    answer = client.get_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))
    assert answer["Status"] == "PENDING" and answer["EngagementId"] == PENDING_ENG
    payload = answer["Payload"]["LeadInvitation"]
    assert payload["Customer"]["CompanyName"] == "Octank"
    assert payload["Customer"]["Industry"] == "Healthcare"
    assert payload["Customer"]["MarketSegment"] == "Enterprise"
    assert payload["Customer"]["CountryCode"] == "DE"
    assert payload["Interaction"]["ContactBusinessTitle"] and payload["Interaction"]["Usecase"]
    assert "@" not in str(answer["Payload"])  # no contact e-mail before acceptance
    by_arn = client.get_engagement_invitation(Catalog="Sandbox", Identifier=invitation_arn(ACCOUNT, "Sandbox", inv(1)))
    assert by_arn["Id"] == inv(1)
    # Before acceptance the engagement itself is not the partner's to read.
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_engagement(Catalog="Sandbox", Identifier=PENDING_ENG)
    for hidden in ("engi-0000000000000", inv(6)):
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_engagement_invitation(Catalog="Sandbox", Identifier=hidden)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_engagement_invitation(Catalog="AWS", Identifier=inv(1))
    with pytest.raises(client.exceptions.ValidationException):
        client.get_engagement_invitation(Catalog="Sandbox", Identifier="inv-1")


def test_accept_makes_the_engagement_visible(emulator):
    client = emulator.client()
    listed = {item["Id"] for item in client.list_engagements(Catalog="Sandbox")["EngagementSummaryList"]}
    assert PENDING_ENG not in listed and ACCEPTED_ENG in listed and SENT_ENG in listed
    assert not {EXPIRED_ENG, REJECTED_ENG, OTHERS_ENG, LATE_ENG} & listed
    answer = client.accept_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))
    assert set(answer) == {"ResponseMetadata"}  # no output
    assert client.get_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))["Status"] == "ACCEPTED"
    _engagement, lead = _lead(client, PENDING_ENG)
    assert lead["QualificationStatus"] == "Unqualified" and lead["Customer"]["CompanyName"] == "Octank"
    assert lead["Interactions"][0]["Contact"]["Email"]  # the contacts come with the engagement
    listed = {item["Id"] for item in client.list_engagements(Catalog="Sandbox")["EngagementSummaryList"]}
    assert PENDING_ENG in listed


@pytest.mark.parametrize("identifier", [inv(2), inv(3), inv(4), inv(8)])
def test_only_pending_invitations_can_be_answered(emulator, identifier):
    client = emulator.client()
    with pytest.raises(client.exceptions.ConflictException, match="only a PENDING invitation"):
        client.accept_engagement_invitation(Catalog="Sandbox", Identifier=identifier)
    with pytest.raises(client.exceptions.ConflictException):
        client.reject_engagement_invitation(Catalog="Sandbox", Identifier=identifier, RejectionReason="Other")
    assert _invitations(client, EngagementIdentifier=[eng(int(identifier[-1]))])[0]["Status"] == RECEIVED[identifier]


def test_reject_keeps_the_reason_and_the_engagement_hidden(emulator):
    client = emulator.client()
    client.reject_engagement_invitation(Catalog="Sandbox", Identifier=inv(1), RejectionReason="Unable to support")
    answer = client.get_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))
    assert answer["Status"] == "REJECTED" and answer["RejectionReason"] == "Unable to support"
    with pytest.raises(client.exceptions.ConflictException):
        client.accept_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_engagement(Catalog="Sandbox", Identifier=PENDING_ENG)


def test_rejection_reason_must_be_a_documented_one(emulator):
    client = emulator.client()
    with pytest.raises(client.exceptions.ValidationException, match="Unable to support") as caught:
        client.reject_engagement_invitation(Catalog="Sandbox", Identifier=inv(1), RejectionReason="Not today")
    assert caught.value.response["Reason"] == "BUSINESS_VALIDATION_FAILED"
    assert client.get_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))["Status"] == "PENDING"
    client.reject_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))  # the reason is optional
    assert "RejectionReason" not in client.get_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))


def test_expiry_is_computed_on_read(emulator):
    client = emulator.client()
    assert emulator.admin.expire_invitation(inv(1)) == {"id": inv(1), "status": "EXPIRED"}
    answer = client.get_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))
    assert answer["Status"] == "EXPIRED" and answer["ExpirationDate"] > answer["InvitationDate"]
    assert [item["Id"] for item in _invitations(client, Status=["EXPIRED"], EngagementIdentifier=[PENDING_ENG])] == [
        inv(1)
    ]
    with pytest.raises(client.exceptions.ConflictException, match="EXPIRED"):
        client.accept_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))


def test_expires_when_the_clock_passes_the_expiration(emulator):
    client = emulator.client()
    created = emulator.admin.add_lead(invitation={"expires_in": 0.2})
    assert client.get_engagement_invitation(Catalog="Sandbox", Identifier=created["invitation_id"])["Status"] == (
        "PENDING"
    )
    time.sleep(0.3)
    assert client.get_engagement_invitation(Catalog="Sandbox", Identifier=created["invitation_id"])["Status"] == (
        "EXPIRED"
    )


def test_only_the_receiver_answers(emulator):
    client = emulator.client()
    with pytest.raises(client.exceptions.AccessDeniedException):
        client.accept_engagement_invitation(Catalog="Sandbox", Identifier=inv(7))
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.reject_engagement_invitation(Catalog="Sandbox", Identifier=inv(6))


# -------------------------------------------------------------- lead contexts


def test_update_engagement_context_uses_optimistic_locking(emulator):
    client = emulator.client()
    before, _lead_payload = _lead(client, ACCEPTED_ENG)
    stale = before["ModifiedAt"]
    answer = _qualify(client, ACCEPTED_ENG, "2", "Qualified", modified_at=stale)
    assert answer["ContextId"] == "2" and answer["EngagementId"] == ACCEPTED_ENG
    assert answer["EngagementLastModifiedAt"] > stale
    with pytest.raises(client.exceptions.ConflictException, match="modified since"):
        _qualify(client, ACCEPTED_ENG, "1", "Disqualified", modified_at=stale)
    after, lead = _lead(client, ACCEPTED_ENG, "2")
    assert lead["QualificationStatus"] == "Qualified" and after["ModifiedAt"] == answer["EngagementLastModifiedAt"]
    _qualify(client, ACCEPTED_ENG, "1", "Disqualified", modified_at=answer["EngagementLastModifiedAt"])
    assert _lead(client, ACCEPTED_ENG, "1")[1]["QualificationStatus"] == "Disqualified"


def test_update_engagement_context_errors(emulator):
    client = emulator.client()
    engagement, lead = _lead(client, ACCEPTED_ENG)
    common = {
        "Catalog": "Sandbox",
        "EngagementIdentifier": ACCEPTED_ENG,
        "EngagementLastModifiedAt": engagement["ModifiedAt"],
    }
    payload = {"Lead": {"Customer": lead["Customer"], "QualificationStatus": "Qualified"}}
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.update_engagement_context(ContextIdentifier="9", Type="Lead", Payload=payload, **common)
    with pytest.raises(client.exceptions.ValidationException, match="exactly the member named by Type"):
        client.update_engagement_context(ContextIdentifier="1", Type="CustomerProject", Payload=payload, **common)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.update_engagement_context(
            **{**common, "EngagementIdentifier": PENDING_ENG}, ContextIdentifier="1", Type="Lead", Payload=payload
        )
    empty_status = {"Lead": {"Customer": lead["Customer"], "QualificationStatus": ""}}
    with pytest.raises(client.exceptions.ValidationException, match="QualificationStatus"):
        client.update_engagement_context(ContextIdentifier="1", Type="Lead", Payload=empty_status, **common)


def test_update_appends_an_interaction(emulator):
    client = emulator.client()
    engagement, lead = _lead(client, ACCEPTED_ENG)
    interaction = dict(lead["Interactions"][0], CustomerAction="Asked for a demo")
    client.update_engagement_context(
        Catalog="Sandbox",
        EngagementIdentifier=ACCEPTED_ENG,
        ContextIdentifier="1",
        EngagementLastModifiedAt=engagement["ModifiedAt"],
        Type="Lead",
        Payload={"Lead": {"Customer": dict(lead["Customer"], Industry="Retail"), "Interaction": interaction}},
    )
    _after, lead = _lead(client, ACCEPTED_ENG)
    assert lead["Customer"]["Industry"] == "Retail" and lead["QualificationStatus"] == "Qualified"
    assert [item.get("CustomerAction") for item in lead["Interactions"]][-1] == "Asked for a demo"


def test_create_engagement_context_is_idempotent(emulator):
    client = emulator.client()
    _engagement, lead = _lead(client, ACCEPTED_ENG)
    new_lead = dict(lead, QualificationStatus="Unqualified")
    request = {
        "Catalog": "Sandbox",
        "EngagementIdentifier": ACCEPTED_ENG,
        "ClientToken": "lead-3",
        "Type": "Lead",
        "Payload": {"Lead": new_lead},
    }
    first = client.create_engagement_context(**request)
    assert first["ContextId"] == "3" and first["EngagementId"] == ACCEPTED_ENG
    arn = f"arn:aws:partnercentral:us-east-1:{ACCOUNT}:catalog/Sandbox/engagement/{ACCEPTED_ENG}"
    again = client.create_engagement_context(**{**request, "EngagementIdentifier": arn})
    assert {k: again[k] for k in ("ContextId", "EngagementLastModifiedAt")} == {
        k: first[k] for k in ("ContextId", "EngagementLastModifiedAt")
    }
    assert emulator.stats()["replays"] == 1
    engagement = client.get_engagement(Catalog="Sandbox", Identifier=ACCEPTED_ENG)
    assert [c["Id"] for c in engagement["Contexts"]] == ["1", "2", "3"]
    assert engagement["Contexts"][2]["Payload"]["Lead"]["QualificationStatus"] == "Unqualified"
    assert engagement["ModifiedAt"] == first["EngagementLastModifiedAt"]
    with pytest.raises(client.exceptions.ConflictException, match="Conflicting client token"):
        client.create_engagement_context(**{**request, "Payload": {"Lead": dict(new_lead, QualificationStatus="X")}})
    assert client.create_engagement_context(**{**request, "ClientToken": "lead-4"})["ContextId"] == "4"
    assert client.create_engagement_context(**{**request, "ClientToken": "lead-5"})["ContextId"] == "5"
    with pytest.raises(client.exceptions.ServiceQuotaExceededException):
        client.create_engagement_context(**{**request, "ClientToken": "lead-6"})
    with pytest.raises(client.exceptions.ValidationException, match="exactly the member named by Type"):
        client.create_engagement_context(**{**request, "ClientToken": "bad", "Type": "CustomerProject"})
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.create_engagement_context(**{**request, "ClientToken": "hidden", "EngagementIdentifier": PENDING_ENG})


def test_create_a_lead_on_an_engagement_without_one(emulator):
    client = emulator.client()
    _engagement, lead = _lead(client, ACCEPTED_ENG)
    answer = client.create_engagement_context(
        Catalog="Sandbox", EngagementIdentifier=NO_LEAD_ENG, ClientToken="t", Type="Lead", Payload={"Lead": lead}
    )
    assert answer["ContextId"] == "2"
    summary = client.list_engagements(Catalog="Sandbox", EngagementIdentifier=[NO_LEAD_ENG])["EngagementSummaryList"]
    assert summary[0]["ContextTypes"] == ["CustomerProject", "Lead"]


# ------------------------------------------------------------------ conversion


def test_disqualified_lead_conversion_fails(emulator):
    client = emulator.client()
    task = _convert(client, ACCEPTED_ENG, "2")
    assert task["TaskStatus"] == "FAILED" and task["ReasonCode"] == "DisqualifiedLeadNotPermitted"
    engagement = client.get_engagement(Catalog="Sandbox", Identifier=ACCEPTED_ENG)
    assert [c["Type"] for c in engagement["Contexts"]] == ["Lead", "Lead"]


def test_both_leads_of_an_engagement_convert_separately(emulator):
    client = emulator.client()
    open_leads = {"Catalog": "Sandbox", "ContextTypes": ["Lead"], "ExcludeContextTypes": ["CustomerProject"]}
    assert ACCEPTED_ENG in {e["Id"] for e in client.list_engagements(**open_leads)["EngagementSummaryList"]}
    _qualify(client, ACCEPTED_ENG, "2", "Qualified")
    first = _convert(client, ACCEPTED_ENG, "1")
    second = _convert(client, ACCEPTED_ENG, "2")
    assert first["TaskStatus"] == second["TaskStatus"] == "COMPLETE"
    assert first["OpportunityId"] != second["OpportunityId"]
    # context_id_mode "new": each task names the CustomerProject context it created.
    assert (first["ContextId"], second["ContextId"]) == ("3", "4")
    engagement = client.get_engagement(Catalog="Sandbox", Identifier=ACCEPTED_ENG)
    assert [(c["Id"], c["Type"]) for c in engagement["Contexts"]] == [
        ("1", "Lead"),
        ("2", "Lead"),
        ("3", "CustomerProject"),
        ("4", "CustomerProject"),
    ]
    assert set(emulator.stats()["opportunities"]) == {f"Sandbox/{ACCEPTED_ENG}/1", f"Sandbox/{ACCEPTED_ENG}/2"}
    # The List call's ContextIdentifier filter matches the shown ContextId by default, not the lead.
    by_lead = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", ContextIdentifier=["2"])
    assert by_lead["TaskSummaries"] == []
    assert ACCEPTED_ENG not in {e["Id"] for e in client.list_engagements(**open_leads)["EngagementSummaryList"]}


@pytest.mark.emulator_config(context_id_mode="requested", list_context_filter="requested")
def test_second_lead_is_distinguishable_in_requested_mode(emulator):
    client = emulator.client()
    _qualify(client, ACCEPTED_ENG, "2", "Qualified")
    first, second = _convert(client, ACCEPTED_ENG, "1"), _convert(client, ACCEPTED_ENG, "2")
    assert (first["ContextId"], second["ContextId"]) == ("1", "2")
    listed = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", ContextIdentifier=["2"])
    assert [task["TaskId"] for task in listed["TaskSummaries"]] == [second["TaskId"]]


THREE_LEAD_ORDERS = list(itertools.permutations(["1", "2", "3"]))


@pytest.mark.parametrize("mode", ["new", "requested"])
@pytest.mark.parametrize("order", THREE_LEAD_ORDERS, ids=["-".join(order) for order in THREE_LEAD_ORDERS])
def test_three_leads_convert_one_at_a_time_until_the_engagement_is_full(emulator, mode, order):
    # Three lead contexts added one by one (CreateEngagementContext, as AWS adds them), converted one at a time in
    # every order: each conversion is its own lead's, with a CustomerProject context of its own; the third does not
    # fit (the model's EngagementContexts holds at most 5) and FAILS without an opportunity.
    emulator.configure(context_id_mode=mode)
    client = emulator.client()
    first = emulator.admin.add_lead(qualification_status="Qualified")
    eng_id = first["engagement_id"]
    added = [emulator.admin.add_lead(engagement=eng_id, qualification_status="Qualified") for _number in range(2)]
    assert [first["context_id"]] + [lead["context_id"] for lead in added] == ["1", "2", "3"]
    tasks = [_convert(client, eng_id, lead) for lead in order]
    assert [task["TaskStatus"] for task in tasks] == ["COMPLETE", "COMPLETE", "FAILED"]
    assert tasks[2]["ReasonCode"] == "EngagementValidationFailed" and tasks[2]["ContextId"] == order[2]
    # "new": each task names the context its conversion created, in the order of the conversions; "requested": the lead.
    expected = ["4", "5"] if mode == "new" else list(order[:2])
    assert [task["ContextId"] for task in tasks[:2]] == expected
    assert tasks[0]["OpportunityId"] != tasks[1]["OpportunityId"]
    stats = emulator.stats()
    assert {key: len(ids) for key, ids in stats["opportunities"].items()} == {
        f"Sandbox/{eng_id}/{lead}": 1 for lead in order[:2]
    }
    contexts = client.get_engagement(Catalog="Sandbox", Identifier=eng_id)["Contexts"]
    assert [(c["Id"], c["Type"]) for c in contexts] == [
        ("1", "Lead"),
        ("2", "Lead"),
        ("3", "Lead"),
        ("4", "CustomerProject"),
        ("5", "CustomerProject"),
    ]


def test_conversion_makes_an_earlier_modified_at_stale(emulator):
    client = emulator.client()
    engagement, _lead_payload = _lead(client, ACCEPTED_ENG)
    _convert(client, ACCEPTED_ENG, "1")
    with pytest.raises(client.exceptions.ConflictException):
        _qualify(client, ACCEPTED_ENG, "2", "Qualified", modified_at=engagement["ModifiedAt"])


@pytest.mark.emulator_config(task_latency=0.2)
def test_a_context_created_during_a_conversion_gets_its_own_id(emulator):
    client = emulator.client()
    _engagement, lead = _lead(client, ACCEPTED_ENG)
    task = _convert(client, ACCEPTED_ENG, "1")
    assert task["TaskStatus"] == "IN_PROGRESS"
    created = client.create_engagement_context(
        Catalog="Sandbox", EngagementIdentifier=ACCEPTED_ENG, ClientToken="t", Type="Lead", Payload={"Lead": lead}
    )
    assert created["ContextId"] == "4"  # 3 is reserved for the conversion's CustomerProject context
    time.sleep(0.3)
    done = client.list_opportunity_from_engagement_tasks(Catalog="Sandbox", TaskIdentifier=[task["TaskId"]])
    assert done["TaskSummaries"][0]["ContextId"] == "3"
    engagement = client.get_engagement(Catalog="Sandbox", Identifier=ACCEPTED_ENG)
    assert sorted((c["Id"], c["Type"]) for c in engagement["Contexts"]) == [
        ("1", "Lead"),
        ("2", "Lead"),
        ("3", "CustomerProject"),
        ("4", "Lead"),
    ]


# ------------------------------------------------------------------ quotas


def test_intake_reads_and_writes_use_the_quotas(emulator):
    client = emulator.client()
    _invitations(client)
    client.get_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))
    client.accept_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))
    stats = emulator.stats()
    assert (stats["reads_accepted"], stats["writes_accepted"]) == (2, 1)


@pytest.mark.emulator_config(write_tps=1, quota_clock="manual")
def test_accept_and_reject_are_rate_limited_as_writes(emulator):
    client = emulator.client()
    client.accept_engagement_invitation(Catalog="Sandbox", Identifier=inv(1))
    with pytest.raises(client.exceptions.ThrottlingException):
        client.reject_engagement_invitation(Catalog="Sandbox", Identifier=inv(3))


# ------------------------------------------------------------------ data and admin


@pytest.mark.emulator_config(fixture=None, lead_invitations=10)
def test_generated_invitations_are_deterministic(emulator):
    invitations = emulator.admin.invitations("Sandbox")
    assert len(invitations) == 10
    assert {item["status"] for item in invitations} == {"PENDING", "ACCEPTED", "EXPIRED", "REJECTED"}
    engagements = {item["id"]: item for item in emulator.engagements("Sandbox")}
    leads = [len(engagements[item["engagement_id"]]["contexts"]) for item in invitations]
    assert set(leads) == {1, 2}
    statuses = {
        c["qualification_status"] for item in invitations for c in engagements[item["engagement_id"]]["contexts"]
    }
    assert {"Qualified", "Disqualified", "Unqualified"} <= statuses
    emulator.reset(fixture=None, lead_invitations=10, engagements=2)
    again = emulator.admin.invitations("Sandbox")
    assert [(i["id"], i["engagement_id"], i["status"]) for i in again] == [
        (i["id"], i["engagement_id"], i["status"]) for i in invitations
    ]
    # The generated engagements without invitations are the same as without lead_invitations.
    plain = [item["id"] for item in engagements.values() if "invitation_id" not in item]
    emulator.reset(fixture=None, engagements=2)
    assert [item["id"] for item in emulator.engagements("Sandbox")] == plain
    assert emulator.admin.invitations("Sandbox") == []


def test_admin_adds_a_lead_with_an_invitation(emulator):
    client = emulator.client()
    created = emulator.admin.add_lead(
        customer={"company_name": "AnyCompany", "industry": "Retail", "segment": "SMB", "country_code": "FR"},
        qualification_status="Unqualified",
        invitation={"sender_account": OTHER_SENDER, "expires_in": 3600},
    )
    assert set(created) == {"catalog", "engagement_id", "context_id", "invitation_id"}
    assert created["context_id"] == "1"
    invitation = client.get_engagement_invitation(Catalog="Sandbox", Identifier=created["invitation_id"])
    assert invitation["Status"] == "PENDING" and invitation["SenderAwsAccountId"] == OTHER_SENDER
    assert invitation["Payload"]["LeadInvitation"]["Customer"]["CountryCode"] == "FR"
    client.accept_engagement_invitation(Catalog="Sandbox", Identifier=created["invitation_id"])
    _engagement, lead = _lead(client, created["engagement_id"])
    assert lead["QualificationStatus"] == "Unqualified" and lead["Customer"]["MarketSegment"] == "SMB"
    second = emulator.admin.add_lead(engagement=created["engagement_id"], qualification_status="Qualified")
    assert second == {"catalog": "Sandbox", "engagement_id": created["engagement_id"], "context_id": "2"}
    answer = emulator.admin.set_qualification(created["engagement_id"], "1", "Disqualified")
    engagement, lead = _lead(client, created["engagement_id"])
    assert lead["QualificationStatus"] == "Disqualified" and engagement["ModifiedAt"].timestamp() == pytest.approx(
        answer["modified_at"]
    )
    assert _convert(client, created["engagement_id"], "1")["ReasonCode"] == "DisqualifiedLeadNotPermitted"
    assert _convert(client, created["engagement_id"], "2")["TaskStatus"] == "COMPLETE"


def test_admin_lead_without_invitation_is_visible_at_once(emulator):
    client = emulator.client()
    created = emulator.admin.add_lead(catalog="AWS", title="Direct lead")
    assert "invitation_id" not in created
    engagement = client.get_engagement(Catalog="AWS", Identifier=created["engagement_id"])
    assert engagement["Title"] == "Direct lead" and engagement["Contexts"][0]["Type"] == "Lead"


def test_admin_lists_and_errors(emulator):
    listed = {item["id"]: item for item in emulator.admin.invitations(None)}
    assert listed[inv(1)]["status"] == "PENDING" and listed[inv(6)]["receiver_account"] == OTHER_PARTNER
    assert {e["id"]: e.get("invitation_id") for e in emulator.engagements("Sandbox")}[PENDING_ENG] == inv(1)
    for call in (
        lambda: emulator.admin.add_lead(colour="red"),
        lambda: emulator.admin.add_lead(customer={"shoe_size": 9}),
        lambda: emulator.admin.add_lead(engagement="eng-00000000000000"),
        lambda: emulator.admin.add_lead(invitation={"status": "MAYBE"}),
        lambda: emulator.admin.add_lead(invitation={"sender_account": "x" * 13}),
        lambda: emulator.admin.add_lead(engagement=PENDING_ENG, invitation={}),
        lambda: emulator.admin.add_lead(customer={"company_name": ""}),
        lambda: emulator.admin.expire_invitation("engi-0000000000000"),
        lambda: emulator.admin.set_qualification(NO_LEAD_ENG, "1", "Qualified"),
        lambda: emulator.admin.set_qualification(ACCEPTED_ENG, "1", ""),
    ):
        with pytest.raises(EmulatorAdminError, match="400"):
            call()
    # A refused request changes nothing.
    assert len(emulator.engagements(None)) == len(FIXTURE["engagements"]) + 2 * 2
    assert len(emulator.admin.invitations(None)) == len(listed)
    assert [c["id"] for c in {e["id"]: e for e in emulator.engagements("Sandbox")}[PENDING_ENG]["contexts"]] == ["1"]


@pytest.mark.parametrize(
    "invitation, message",
    [
        ({"colour": "red"}, "unknown invitation keys"),
        ({"status": "EXPIRED", "expires_in": 60}, "EXPIRED with an expiration in the future"),
        ({"id": "engi-1"}, "must match the model"),
        ({"context": "7"}, "needs a Lead context"),
        ({"sender_account": "x" * 13}, "SenderAwsAccountId"),
    ],
)
def test_bad_fixture_invitations_are_refused(emulator, invitation, message):
    fixture = {"engagements": [{"id": eng(1), "contexts": [{"id": "1", "type": "Lead"}], "invitation": invitation}]}
    with pytest.raises(EmulatorAdminError, match=message):
        emulator.admin.reset(fixture=fixture)


def test_bad_fixture_customer_is_refused(emulator):
    fixture = {"engagements": [{"contexts": [{"id": "1", "type": "Lead", "customer": {"colour": "red"}}]}]}
    with pytest.raises(EmulatorAdminError, match="unknown customer keys"):
        emulator.admin.reset(fixture=fixture)


def test_cli_option(emulator):
    from partnercentral_emulator.__main__ import parse_args
    from partnercentral_emulator.__main__ import settings_from

    assert settings_from(parse_args(["--lead-invitations", "4"]))["lead_invitations"] == 4


def test_one_emulator_per_partner_account(emulator):
    """Three partner accounts: the session's emulator and two more, each with its own account, keys and data."""
    from partnercentral_emulator.pytest_plugin import EmulatorHandle
    from partnercentral_emulator.server import EmulatorServer

    accounts = {"111122223333": emulator}
    servers = []
    try:
        for number, account in enumerate(("222233334444", "333344445555"), start=2):
            key = f"AKIDPCSEMULATORACCT{number}"
            server = EmulatorServer(
                {
                    "account_id": account,
                    "seed": f"partner-{number}",
                    "engagements": 0,
                    "lead_invitations": 3,
                    "write_tps": 0,
                    "credentials": [{"access_key": key, "secret_key": f"secret-{number}"}],
                }
            ).start()
            servers.append(server)
            handle = EmulatorHandle(server)
            handle.access_key, handle.secret_key = key, f"secret-{number}"
            accounts[account] = handle
        seen = {}
        for account, handle in accounts.items():
            client = handle.client()
            received = client.list_engagement_invitations(Catalog="Sandbox", ParticipantType="RECEIVER")
            summaries = received["EngagementInvitationSummaries"]
            assert {item["Receiver"]["Account"]["AwsAccountId"] for item in summaries} == {account}
            seen[account] = {item["Id"] for item in summaries}
        assert not seen["222233334444"] & seen["333344445555"]
        # Another account's keys open nothing here.
        stranger = accounts["222233334444"].client(
            aws_access_key_id="AKIDPCSEMULATORACCT3", aws_secret_access_key="secret-3", check=False
        )
        with pytest.raises(stranger.exceptions.ClientError, match="UnrecognizedClient"):
            stranger.list_engagement_invitations(Catalog="Sandbox", ParticipantType="RECEIVER")
    finally:
        for server in servers:
            server.stop()


def test_modification_times_are_whole_increasing_milliseconds():
    from partnercentral_emulator.timestamps import same_instant
    from partnercentral_emulator.timestamps import stamp

    assert stamp(1764320000.123, 1764320000.1234) == 1764320000.124  # same millisecond: one later
    assert stamp(1764320000.123, 1764320005.98765) == 1764320005.987
    assert same_instant(1764320000.123, 1764320000.1230004) and not same_instant(1764320000.123, 1764320000.124)


def test_request_timestamps_in_every_form():
    import datetime

    from partnercentral_emulator.timestamps import instant

    moment = datetime.datetime(2026, 1, 5, 10, 0, 0, 123000, tzinfo=datetime.timezone.utc)
    for form in (moment, moment.timestamp(), "2026-01-05T10:00:00.123Z", "2026-01-05T10:00:00.123+00:00"):
        assert instant(form) == pytest.approx(moment.timestamp())

#!/usr/bin/env python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Test leads in the real Sandbox catalog for `make sandbox-test`, the way AWS's lead-to-opportunity sample makes them.

Two Partner Central accounts in Sandbox, each an AWS profile: the sender plays AWS (CreateEngagement with a Lead
context, then CreateEngagementInvitation with a LeadInvitation payload to the receiver), the receiver is the partner
that runs the role.

    sandbox_leads.py check                    exit 0 when both profiles have credentials, 3 (skip) with why not
    sandbox_leads.py create STATE.json [N]    N test leads (default 2) and their invitations; the ids to STATE.json
    sandbox_leads.py cleanup STATE.json       reject the test invitations still pending (what the API can undo)

Profiles: PCS_SANDBOX_SENDER_PROFILE and PCS_SANDBOX_RECEIVER_PROFILE. No secret is printed.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import uuid
from typing import Any

CATALOG = "Sandbox"
SKIP = 3
PROFILE_VARIABLES = ("PCS_SANDBOX_SENDER_PROFILE", "PCS_SANDBOX_RECEIVER_PROFILE")
# The customers of the test leads: the first matches the test's policy (US), the second does not (left pending).
CUSTOMERS = (
    {"CompanyName": "AnyCompany Sandbox Test", "Industry": "Retail", "CountryCode": "US"},
    {"CompanyName": "Example Sandbox Test", "Industry": "Manufacturing", "CountryCode": "JP"},
)


def session(variable: str) -> Any:
    import boto3

    return boto3.session.Session(profile_name=os.environ[variable], region_name="us-east-1")


def check() -> int:
    missing = [name for name in PROFILE_VARIABLES if not os.environ.get(name)]
    if missing:
        print(
            f"sandbox-test: skipped: set {' and '.join(missing)} to two AWS profiles of Partner Central accounts in "
            "the Sandbox catalog (see docs/development.md, 'The Sandbox test')."
        )
        return SKIP
    try:
        import botocore.exceptions

        for name in PROFILE_VARIABLES:
            if session(name).get_credentials() is None:
                print(f"sandbox-test: skipped: the profile in {name} ({os.environ[name]}) has no credentials.")
                return SKIP
    except botocore.exceptions.ProfileNotFound as error:
        print(f"sandbox-test: skipped: {error}")
        return SKIP
    return 0


def lead_context(customer: dict[str, str]) -> dict[str, Any]:
    return {
        "Type": "Lead",
        "Payload": {
            "Lead": {
                "QualificationStatus": "Qualified",
                "Customer": {
                    "CompanyName": customer["CompanyName"],
                    "Industry": customer["Industry"],
                    "Address": {"CountryCode": customer["CountryCode"]},
                },
                "Interactions": [
                    {
                        "SourceType": "Event",
                        "SourceId": "partnercentral-selling-sandbox-test",
                        "SourceName": "partnercentral.selling sandbox test",
                        "Usecase": "Migration",
                        "Contact": {
                            "BusinessTitle": "CTO",
                            "Email": "cto@example.com",
                            "FirstName": "Mary",
                            "LastName": "Major",
                        },
                    }
                ],
            }
        },
    }


def create(state_path: str, count: int) -> int:
    sender = session("PCS_SANDBOX_SENDER_PROFILE").client("partnercentral-selling")
    receiver_account = session("PCS_SANDBOX_RECEIVER_PROFILE").client("sts").get_caller_identity()["Account"]
    started = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    state: dict[str, Any] = {"created_after": started.isoformat(), "receiver": receiver_account, "leads": []}
    for index in range(count):
        customer = CUSTOMERS[index % len(CUSTOMERS)]
        engagement = sender.create_engagement(
            Catalog=CATALOG,
            ClientToken=str(uuid.uuid4()),
            Title=f"pcs sandbox test {started:%Y%m%d%H%M} {index}",
            Description="A test lead of the partnercentral.selling collection (make sandbox-test).",
            Contexts=[lead_context(customer)],
        )
        invitation = sender.create_engagement_invitation(
            Catalog=CATALOG,
            ClientToken=str(uuid.uuid4()),
            EngagementIdentifier=engagement["Id"],
            Invitation={
                "Message": "A test lead of make sandbox-test.",
                "Receiver": {"Account": {"AwsAccountId": receiver_account}},
                "Payload": {
                    "LeadInvitation": {
                        "Customer": customer,
                        "Interaction": {"SourceType": "Event", "Usecase": "Migration", "ContactBusinessTitle": "CTO"},
                    }
                },
            },
        )
        state["leads"].append(
            {"engagement_id": engagement["Id"], "invitation_id": invitation["Id"], "country": customer["CountryCode"]}
        )
        print(f"created engagement {engagement['Id']} and invitation {invitation['Id']} ({customer['CountryCode']})")
    with open(state_path, "w", encoding="utf-8") as handle:
        json.dump(state, handle, indent=2)
    return 0


def cleanup(state_path: str) -> int:
    """Engagements and opportunities cannot be deleted with the API; a pending test invitation can be rejected."""
    if not os.path.exists(state_path):
        print("nothing to clean up")
        return 0
    with open(state_path, encoding="utf-8") as handle:
        state = json.load(handle)
    receiver = session("PCS_SANDBOX_RECEIVER_PROFILE").client("partnercentral-selling")
    for lead in state["leads"]:
        status = receiver.get_engagement_invitation(Catalog=CATALOG, Identifier=lead["invitation_id"])["Status"]
        if status == "PENDING":
            receiver.reject_engagement_invitation(
                Catalog=CATALOG, Identifier=lead["invitation_id"], RejectionReason="Other"
            )
            status = "REJECTED (cleanup)"
        print(f"invitation {lead['invitation_id']}: {status}; engagement {lead['engagement_id']} stays in Sandbox")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in ("check", "create", "cleanup"):
        print(__doc__)
        return 2
    if argv[1] == "check":
        return check()
    if len(argv) < 3:
        print(__doc__)
        return 2
    if argv[1] == "create":
        return create(argv[2], int(argv[3]) if len(argv) > 3 else 2)
    return cleanup(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))

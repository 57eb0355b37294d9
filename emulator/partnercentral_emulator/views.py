# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Answers of the API built from stored records: engagements and invitations as the model's shapes show them.

Fixture data and admin additions are checked through the same views (see `check`), so the emulator never stores
what no real service could answer.
"""

from __future__ import annotations

import copy
from typing import Any

from partnercentral_emulator import model
from partnercentral_emulator.config import ConfigError
from partnercentral_emulator.vocabulary import ParticipantType


def engagement_view(engagement: dict[str, Any]) -> dict[str, Any]:
    """GetEngagement's answer."""
    contexts = []
    for context in engagement["contexts"]:
        item: dict[str, Any] = {"Id": context["id"], "Type": context["type"]}
        if context.get("payload"):
            item["Payload"] = copy.deepcopy(context["payload"])
        contexts.append(item)
    return {
        "Id": engagement["id"],
        "Arn": engagement["arn"],
        "Title": engagement["title"],
        "Description": engagement["description"],
        "CreatedAt": engagement["created_at"],
        "CreatedBy": engagement["created_by"],
        "MemberCount": engagement["member_count"],
        "ModifiedAt": engagement["modified_at"],
        "ModifiedBy": engagement["modified_by"],
        "Contexts": contexts,
    }


def engagement_summary(engagement: dict[str, Any]) -> dict[str, Any]:
    """An EngagementSummary of ListEngagements: the context types once each, in the order of the contexts."""
    types: list[str] = []
    for context in engagement["contexts"]:
        if context["type"] not in types:
            types.append(context["type"])
    return {
        "Arn": engagement["arn"],
        "Id": engagement["id"],
        "Title": engagement["title"],
        "CreatedAt": engagement["created_at"],
        "CreatedBy": engagement["created_by"],
        "MemberCount": engagement["member_count"],
        "ModifiedAt": engagement["modified_at"],
        "ModifiedBy": engagement["modified_by"],
        "ContextTypes": types,
    }


def invitation_summary(
    invitation: dict[str, Any], engagement: dict[str, Any], status: str, account_id: str
) -> dict[str, Any]:
    """An EngagementInvitationSummary as `account_id` sees it."""
    receiver = invitation["receiver_account"] == account_id
    return {
        "Arn": invitation["arn"],
        "PayloadType": invitation["payload_type"],
        "Id": invitation["id"],
        "EngagementId": invitation["engagement_id"],
        "EngagementTitle": engagement["title"],
        "Status": status,
        "InvitationDate": invitation["invited_at"],
        "ExpirationDate": invitation["expires_at"],
        "SenderAwsAccountId": invitation["sender_account"],
        "SenderCompanyName": invitation["sender_company"],
        "Receiver": {"Account": {"AwsAccountId": invitation["receiver_account"]}},
        "Catalog": invitation["catalog"],
        "ParticipantType": ParticipantType.RECEIVER if receiver else ParticipantType.SENDER,
    }


def invitation_view(invitation: dict[str, Any], engagement: dict[str, Any], status: str) -> dict[str, Any]:
    """GetEngagementInvitation's answer."""
    view = invitation_summary(invitation, engagement, status, invitation["receiver_account"])
    del view["ParticipantType"]  # not a member of GetEngagementInvitationResponse
    view["Payload"] = copy.deepcopy(invitation["payload"])
    view["InvitationMessage"] = invitation["message"]
    view["EngagementDescription"] = engagement["description"]
    if invitation.get("rejection_reason"):
        view["RejectionReason"] = invitation["rejection_reason"]
    return view


def check(view: dict[str, Any], operation: str, name: str) -> None:
    """Stored data must fit the model: its view as `operation` answers it, or a ConfigError naming `name`."""
    errors = model.validate(view, model.operation_model(operation).output_shape)
    if errors:
        raise ConfigError(f"{name}: {model.describe(errors)}")

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The lead intake's invitations: ListEngagementInvitations, GetEngagementInvitation, Accept- and Reject-."""

from __future__ import annotations

from typing import Any

from partnercentral_emulator import views
from partnercentral_emulator.errors import ApiError
from partnercentral_emulator.errors import validation_error
from partnercentral_emulator.operations.registry import Operations
from partnercentral_emulator.operations.registry import operation
from partnercentral_emulator.vocabulary import INVITATION_ARN
from partnercentral_emulator.vocabulary import InvitationStatus
from partnercentral_emulator.vocabulary import ParticipantType

# The values RejectEngagementInvitation's documentation lists for RejectionReason (the model only has a pattern);
# the stricter reading: other values are refused.
REJECTION_REASONS = (
    "Customer problem unclear",
    "Next steps unclear",
    "Unable to support",
    "Duplicate of partner referral",
    "Other",
)


class InvitationOperations(Operations):
    @operation("ListEngagementInvitations")
    def list(self, params: dict[str, Any]) -> dict[str, Any]:
        store = self.store
        catalog = params["Catalog"]
        account = store.config["account_id"]
        receiving = params["ParticipantType"] == ParticipantType.RECEIVER
        side = "receiver_account" if receiving else "sender_account"
        items = [inv for inv in store.invitations[catalog].values() if inv[side] == account]
        if params.get("PayloadType"):
            items = [inv for inv in items if inv["payload_type"] in params["PayloadType"]]
        if params.get("Status"):
            items = [inv for inv in items if store.invitation_status(inv) in params["Status"]]
        if params.get("SenderAwsAccountId"):
            items = [inv for inv in items if inv["sender_account"] in params["SenderAwsAccountId"]]
        if params.get("EngagementIdentifier"):
            wanted = store.engagement_ids(catalog, params["EngagementIdentifier"])
            items = [inv for inv in items if inv["engagement_id"] in wanted]
        page, token = self.pager.page(params, items, lambda inv: [inv["invited_at"], inv["id"]])
        summaries = [
            views.invitation_summary(inv, self._engagement_of(inv), store.invitation_status(inv), account)
            for inv in page
        ]
        result: dict[str, Any] = {"EngagementInvitationSummaries": summaries}
        if token:
            result["NextToken"] = token
        return result

    @operation("GetEngagementInvitation")
    def get(self, params: dict[str, Any]) -> dict[str, Any]:
        invitation = self._visible(params["Catalog"], params["Identifier"])
        return views.invitation_view(
            invitation, self._engagement_of(invitation), self.store.invitation_status(invitation)
        )

    @operation("AcceptEngagementInvitation")
    def accept(self, params: dict[str, Any]) -> dict[str, Any]:
        self._answer(params, "accept", InvitationStatus.ACCEPTED)
        return {}

    @operation("RejectEngagementInvitation")
    def reject(self, params: dict[str, Any]) -> dict[str, Any]:
        reason = params.get("RejectionReason")
        if reason is not None and reason not in REJECTION_REASONS:
            raise validation_error(
                f"RejectionReason '{reason}' is not one of: {', '.join(REJECTION_REASONS)}.",
                [{"FieldName": "RejectionReason", "Message": "Unknown rejection reason", "Code": "INVALID_VALUE"}],
                business=True,
            )
        invitation = self._answer(params, "reject", InvitationStatus.REJECTED)
        if reason:
            invitation["rejection_reason"] = reason
        return {}

    # ----------------------------------------------------------------- helpers

    def _engagement_of(self, invitation: dict[str, Any]) -> dict[str, Any]:
        return self.store.engagements[invitation["catalog"]][invitation["engagement_id"]]

    def _visible(self, catalog: str, identifier: str) -> dict[str, Any]:
        """The invitation by id or ARN, if this account sent or received it; else ResourceNotFoundException."""
        inv_id = identifier
        if identifier.startswith("arn:"):
            match = INVITATION_ARN.fullmatch(identifier)
            if not match:
                raise validation_error(
                    f"Identifier '{identifier}' is not a valid engagement invitation ARN.",
                    [{"FieldName": "Identifier", "Message": "Not an invitation ARN", "Code": "INVALID_STRING_FORMAT"}],
                )
            inv_id = match.group("id") if match.group("catalog") == catalog else ""
        invitation = self.store.invitations[catalog].get(inv_id)
        account = self.store.config["account_id"]
        if invitation is None or account not in (invitation["receiver_account"], invitation["sender_account"]):
            raise ApiError(
                "ResourceNotFoundException", f"Engagement invitation {identifier} was not found in catalog {catalog}."
            )
        return invitation

    def _answer(self, params: dict[str, Any], action: str, status: str) -> dict[str, Any]:
        """Accept or reject: only the receiver, only a PENDING invitation."""
        invitation = self._visible(params["Catalog"], params["Identifier"])
        if invitation["receiver_account"] != self.store.config["account_id"]:
            raise ApiError(
                "AccessDeniedException",
                f"Only the receiver of engagement invitation {invitation['id']} can {action} it.",
            )
        current = self.store.invitation_status(invitation)
        if current != InvitationStatus.PENDING:
            # ConflictException: the request conflicts with the invitation's current state (the model's wording).
            raise ApiError(
                "ConflictException",
                f"Engagement invitation {invitation['id']} is {current}; only a PENDING invitation can be "
                f"{action}ed.",
            )
        invitation["status"] = status
        invitation["answered_at"] = self.store.now()
        return invitation

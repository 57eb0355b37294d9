# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CreateEngagementContext and UpdateEngagementContext: lead contexts added or qualified by the partner."""

from __future__ import annotations

import copy
from typing import Any

from partnercentral_emulator.errors import ApiError
from partnercentral_emulator.errors import validation_error
from partnercentral_emulator.operations.registry import Operations
from partnercentral_emulator.operations.registry import operation
from partnercentral_emulator.timestamps import instant
from partnercentral_emulator.timestamps import same_instant
from partnercentral_emulator.vocabulary import MAX_CONTEXTS
from partnercentral_emulator.vocabulary import ContextType

CREATE = "CreateEngagementContext"
# LeadInteractionList holds at most this many; the newest are kept.
_MAX_INTERACTIONS = 10


class ContextOperations(Operations):
    @operation("CreateEngagementContext")
    def create(self, params: dict[str, Any]) -> dict[str, Any]:
        store = self.store
        catalog = params["Catalog"]
        eng_id, request, now, remembered = self.recall(CREATE, params, "EngagementIdentifier")
        if remembered is not None:
            return copy.deepcopy(remembered)
        engagement = store.engagement(catalog, eng_id)
        _payload_matches_type(params)
        if store.contexts_full(engagement):
            raise ApiError(
                "ServiceQuotaExceededException",
                f"Engagement {eng_id} already has the maximum of {MAX_CONTEXTS} contexts.",
            )
        new_id = store.next_context_id(catalog, engagement)
        store.next_context[(catalog, eng_id)] = new_id + 1
        engagement["contexts"].append(
            {"id": str(new_id), "type": params["Type"], "payload": copy.deepcopy(params["Payload"])}
        )
        store.touch(engagement)
        result = _answer(engagement, str(new_id))
        self.tokens.remember(CREATE, request, copy.deepcopy(result), now)
        return result

    @operation("UpdateEngagementContext")
    def update(self, params: dict[str, Any]) -> dict[str, Any]:
        store = self.store
        catalog = params["Catalog"]
        eng_id = store.engagement_id(catalog, params["EngagementIdentifier"], "EngagementIdentifier")
        engagement = store.engagement(catalog, eng_id)
        context = next((c for c in engagement["contexts"] if c["id"] == params["ContextIdentifier"]), None)
        if context is None:
            raise ApiError(
                "ResourceNotFoundException",
                f"Context {params['ContextIdentifier']} was not found on engagement {eng_id}.",
            )
        _payload_matches_type(params)
        if context["type"] != params["Type"]:
            raise validation_error(
                f"Context {context['id']} is of type {context['type']}, not {params['Type']}.",
                [{"FieldName": "Type", "Message": "Type does not match the context", "Code": "INVALID_VALUE"}],
                business=True,
            )
        # Optimistic locking: the caller's copy of the engagement must be the current one.
        if not same_instant(instant(params["EngagementLastModifiedAt"]), engagement["modified_at"]):
            raise ApiError(
                "ConflictException",
                f"Engagement {eng_id} was modified since the given EngagementLastModifiedAt; get the engagement "
                "again and retry with its ModifiedAt.",
            )
        update = params["Payload"][params["Type"]]
        if params["Type"] == ContextType.Lead:
            lead = context["payload"]["Lead"]
            lead["Customer"] = copy.deepcopy(update["Customer"])
            for member in ("QualificationStatus", "Insights"):
                if member in update:
                    lead[member] = copy.deepcopy(update[member])
            if "Interaction" in update:
                interactions = lead.get("Interactions", []) + [copy.deepcopy(update["Interaction"])]
                lead["Interactions"] = interactions[-_MAX_INTERACTIONS:]
        else:
            context["payload"] = {params["Type"]: copy.deepcopy(update)}
        store.touch(engagement)
        return _answer(engagement, context["id"])


def _answer(engagement: dict[str, Any], context_id: str) -> dict[str, Any]:
    return {
        "EngagementId": engagement["id"],
        "EngagementArn": engagement["arn"],
        "EngagementLastModifiedAt": engagement["modified_at"],
        "ContextId": context_id,
    }


def _payload_matches_type(params: dict[str, Any]) -> None:
    members = [key for key, value in params["Payload"].items() if value is not None]
    if members != [params["Type"]]:
        raise validation_error(
            f"The Payload must hold exactly the member named by Type ({params['Type']}), got {members}.",
            [{"FieldName": "Payload", "Message": "Payload does not match Type", "Code": "INVALID_VALUE"}],
            business=True,
        )

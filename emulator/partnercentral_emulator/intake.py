# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The lead intake: engagement invitations, lead contexts added or qualified by the partner.

Data (fixture `invitation` entries, generated `lead_invitations`, the admin endpoints) and the operations
ListEngagementInvitations, GetEngagementInvitation, AcceptEngagementInvitation, RejectEngagementInvitation,
CreateEngagementContext and UpdateEngagementContext. `IntakeOperations` is mixed into the Backend, whose lock,
clock, tokens and pagination it uses.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import math
import random
import re
from typing import Any

from partnercentral_emulator import data
from partnercentral_emulator import model
from partnercentral_emulator.config import CATALOGS
from partnercentral_emulator.config import ConfigError
from partnercentral_emulator.errors import ApiError
from partnercentral_emulator.errors import validation_error

INTAKE_OPERATIONS = (
    "ListEngagementInvitations",
    "GetEngagementInvitation",
    "AcceptEngagementInvitation",
    "RejectEngagementInvitation",
    "CreateEngagementContext",
    "UpdateEngagementContext",
)
# Stored statuses; EXPIRED is never stored: a PENDING invitation is EXPIRED once its ExpirationDate has passed.
PENDING, ACCEPTED, REJECTED, EXPIRED = "PENDING", "ACCEPTED", "REJECTED", "EXPIRED"
INVITATION_STATUSES = (PENDING, ACCEPTED, REJECTED, EXPIRED)
# AWS's public lead-to-opportunity sample saw its lead invitation expire 15 days after it was sent.
DEFAULT_EXPIRY = 15 * 86400.0
# The values RejectEngagementInvitation's documentation lists for RejectionReason (the model only has a pattern);
# the stricter reading: other values are refused.
REJECTION_REASONS = (
    "Customer problem unclear",
    "Next steps unclear",
    "Unable to support",
    "Duplicate of partner referral",
    "Other",
)
DEFAULT_SENDER = "999988887777"
DEFAULT_SENDER_COMPANY = "Amazon Web Services"
MAX_CONTEXTS = 5  # EngagementContexts has max 5 in the model

_INVITATION_ARN = re.compile(
    r"arn:aws:partnercentral:[a-z0-9-]*:[0-9]{12}:catalog/(?P<catalog>[A-Za-z]+)/engagement-invitation/"
    r"(?P<id>engi-[0-9a-z]{13})"
)
_INVITATION_KEYS = {
    "id",
    "status",
    "sender_account",
    "sender_company",
    "receiver_account",
    "invited_at",
    "expires_at",
    "expires_in",
    "context",
    "rejection_reason",
    "message",
}
# Variety for generated leads, so that policies by country, segment or sender have something to choose from.
_COUNTRIES = ("US", "DE", "FR", "JP", "BR", "IN", "GB")
_SEGMENTS = ("Enterprise", "Mid-Market", "SMB", "Strategic")
_SENDERS = (("999988887777", "Amazon Web Services"), ("444455556666", "Example Distributor"))
_GENERATED_STATUSES = (PENDING, PENDING, ACCEPTED, EXPIRED, REJECTED)
_GENERATED_QUALIFICATION = ("Qualified", "Qualified", "Unqualified", "Disqualified")


def invitation_id(seed: Any, catalog: str, key: Any) -> str:
    return "engi-" + data.base36(hashlib.sha256(f"invitation:{seed}:{catalog}:{key}".encode()).digest(), 13)


def invitation_arn(account_id: str, catalog: str, inv_id: str) -> str:
    return f"arn:aws:partnercentral:us-east-1:{account_id}:catalog/{catalog}/engagement-invitation/{inv_id}"


def stamp(previous: float, now: float) -> float:
    """A new modification time: whole milliseconds (the wire precision) and strictly after `previous`.

    EngagementLastModifiedAt comes back from clients at millisecond precision; two modifications in the same
    millisecond would otherwise carry the same time and a stale update would go unnoticed.
    """
    # `previous` is whole milliseconds already: round, as floor could land on the millisecond below it.
    return max(math.floor(now * 1000), round(previous * 1000) + 1) / 1000


def same_instant(given: float, stored: float) -> bool:
    # Stored modification times are whole milliseconds (see build_invitations and stamp), so a client's copy at
    # millisecond or microsecond precision is within rounding of it, and a stale one at least 1 ms away.
    return abs(given - stored) < 0.0005


def instant(value: Any) -> float:
    """Epoch seconds of a request timestamp, whichever form the front end hands over (number, ISO 8601, datetime)."""
    if isinstance(value, datetime.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)).timestamp()
    return data._timestamp(value)


def generated_customer(rng: random.Random) -> dict[str, str]:
    return {
        "company_name": rng.choice(data._COMPANIES),
        "industry": rng.choice(data._INDUSTRIES),
        "market_segment": rng.choice(_SEGMENTS),
        "country_code": rng.choice(_COUNTRIES),
    }


def lead_invitation_payload(lead: dict[str, Any]) -> dict[str, Any]:
    """What the receiver sees before accepting: the model's LeadInvitationPayload, which has no contact names,
    emails or phones (only the contact's business title)."""
    customer = lead.get("Customer", {})
    shown: dict[str, Any] = {"CompanyName": customer.get("CompanyName", "Example Corp")}
    for member in ("Industry", "WebsiteUrl", "AwsMaturity", "MarketSegment"):
        if member in customer:
            shown[member] = customer[member]
    country = customer.get("Address", {}).get("CountryCode")
    if country:
        shown["CountryCode"] = country
    interaction = (lead.get("Interactions") or [{}])[0]
    seen: dict[str, Any] = {"ContactBusinessTitle": interaction.get("Contact", {}).get("BusinessTitle", "")}
    for member in ("SourceType", "SourceId", "SourceName", "Usecase"):
        if member in interaction:
            seen[member] = interaction[member]
    return {"LeadInvitation": {"Customer": shown, "Interaction": seen}}


def _lead_context(engagement: dict[str, Any], context_id: str | None) -> dict[str, Any]:
    for context in engagement["contexts"]:
        if context["type"] == "Lead" and (context_id is None or context["id"] == str(context_id)):
            return context
    raise ConfigError(
        f"engagement {engagement['id']}: an invitation needs a Lead context"
        + (f" with id {context_id}" if context_id else "")
    )


def new_invitation(
    account_id: str, catalog: str, engagement: dict[str, Any], inv_id: str, spec: dict[str, Any], now: float
) -> dict[str, Any]:
    """An invitation for `engagement` from a fixture / admin spec (see docs/emulator.md)."""
    if not isinstance(spec, dict):
        raise ConfigError(f"an invitation is an object, got {spec!r}")
    unknown = set(spec) - _INVITATION_KEYS
    if unknown:
        raise ConfigError(f"unknown invitation keys: {sorted(unknown)}; known: {sorted(_INVITATION_KEYS)}")
    status = spec.get("status", PENDING)
    if status not in INVITATION_STATUSES:
        raise ConfigError(f"invitation status must be one of {list(INVITATION_STATUSES)}, got {status!r}")
    invited = data._timestamp(spec["invited_at"]) if "invited_at" in spec else now - 3600.0
    if "expires_at" in spec:
        expires = data._timestamp(spec["expires_at"])
    elif "expires_in" in spec:
        if isinstance(spec["expires_in"], bool) or not isinstance(spec["expires_in"], (int, float)):
            raise ConfigError(f"expires_in must be a number of seconds, got {spec['expires_in']!r}")
        expires = now + float(spec["expires_in"])
    elif status == EXPIRED:
        expires = now - 1.0
    else:
        expires = invited + DEFAULT_EXPIRY
    if status == EXPIRED and expires > now:
        raise ConfigError(f"invitation {inv_id}: status EXPIRED with an expiration in the future")
    lead = _lead_context(engagement, spec.get("context"))
    invitation = {
        "id": inv_id,
        "catalog": catalog,
        "arn": invitation_arn(account_id, catalog, inv_id),
        "engagement_id": engagement["id"],
        "payload_type": "LeadInvitation",
        # EXPIRED is computed from the expiration date: stored as PENDING.
        "status": PENDING if status == EXPIRED else status,
        "invited_at": invited,
        "expires_at": expires,
        "sender_account": str(spec.get("sender_account", DEFAULT_SENDER)),
        "sender_company": str(spec.get("sender_company", DEFAULT_SENDER_COMPANY)),
        "receiver_account": str(spec.get("receiver_account", account_id)),
        "payload": lead_invitation_payload(lead["payload"]["Lead"]),
        "message": spec.get("message", "AWS shares a lead with you."),
    }
    if spec.get("rejection_reason") is not None:
        invitation["rejection_reason"] = str(spec["rejection_reason"])
    check_invitation(invitation, engagement)
    engagement["invitation"] = inv_id
    return invitation


def build_invitations(
    config: dict[str, Any], engagements: dict[str, dict[str, dict[str, Any]]], now: float
) -> dict[str, dict[str, dict[str, Any]]]:
    """catalog -> invitation id -> invitation: the fixture's, then `lead_invitations` generated ones per catalog.

    Generated invitations come with their own new engagements, appended after the other generated ones, so
    that the ids and data of existing engagements do not change. Dates are relative to `now` (an invitation
    must be able to be pending whenever the emulator starts); ids and contents depend on the seed only.
    """
    seed = config["seed"]
    account_id = config["account_id"]
    result: dict[str, dict[str, dict[str, Any]]] = {catalog: {} for catalog in CATALOGS}
    fixture = data.load_fixture(config.get("fixture"))
    for position, spec in enumerate(fixture.get("engagements", [])):
        if not isinstance(spec, dict) or spec.get("invitation") is None:
            continue
        catalog = spec.get("catalog", "Sandbox")
        eng_id = spec.get("id") or data.engagement_id(f"fixture:{seed}", catalog, position)
        inv_spec = spec["invitation"]
        inv_id = (inv_spec.get("id") if isinstance(inv_spec, dict) else None) or invitation_id(seed, catalog, eng_id)
        if not re.fullmatch(r"engi-[0-9a-z]{13}", str(inv_id)):
            raise ConfigError(f"invitation id {inv_id!r} must be engi- and 13 characters [0-9a-z]")
        if inv_id in result[catalog]:
            raise ConfigError(f"invitation {inv_id} appears twice in {catalog}")
        result[catalog][inv_id] = new_invitation(
            account_id, catalog, engagements[catalog][eng_id], inv_id, inv_spec, now
        )
    for catalog in CATALOGS:
        for engagement in engagements[catalog].values():
            engagement["modified_at"] = round(engagement["modified_at"], 3)
        for index in range(config.get("lead_invitations", 0)):
            rng = random.Random(f"{seed}:{catalog}:lead:{index}")
            eng_id = data.engagement_id(f"lead:{seed}", catalog, index)
            sender, company = _SENDERS[index % len(_SENDERS)]
            leads = 2 if index % 3 == 2 else 1
            contexts = []
            for number in range(leads):
                status = _GENERATED_QUALIFICATION[(index + number) % len(_GENERATED_QUALIFICATION)]
                contexts.append({"id": str(number + 1), "type": "Lead", "qualification_status": status})
            engagement_spec = {
                "title": f"Emulated lead {index + 1}",
                "created_at": now - (index + 1) * 3600.0,
                "created_by": sender,
                "modified_by": sender,
                "contexts": contexts,
            }
            engagement = data._engagement(account_id, catalog, eng_id, rng, index, engagement_spec)
            for context in engagement["contexts"]:
                data.apply_customer(context["payload"], generated_customer(rng))
            engagement["modified_at"] = round(engagement["modified_at"], 3)
            engagements[catalog][eng_id] = engagement
            inv_id = invitation_id(seed, catalog, f"lead:{index}")
            status = _GENERATED_STATUSES[index % len(_GENERATED_STATUSES)]
            inv_spec = {
                "status": status,
                "sender_account": sender,
                "sender_company": company,
                "invited_at": now - (index + 1) * 3600.0,
            }
            result[catalog][inv_id] = new_invitation(account_id, catalog, engagement, inv_id, inv_spec, now)
    return result


def invitation_summary(
    invitation: dict[str, Any], engagement: dict[str, Any], status: str, account_id: str
) -> dict[str, Any]:
    """An EngagementInvitationSummary as `account_id` sees it."""
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
        "ParticipantType": "RECEIVER" if invitation["receiver_account"] == account_id else "SENDER",
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


def check_invitation(invitation: dict[str, Any], engagement: dict[str, Any]) -> None:
    """Invitations from fixtures or the admin endpoint must fit the model, as engagements do."""
    view = invitation_view(invitation, engagement, invitation["status"])
    errors = model.validate(view, model.operation_model("GetEngagementInvitation").output_shape)
    if errors:
        raise ConfigError(f"invitation {invitation['id']}: {model.describe(errors)}")


class IntakeOperations:
    """Mixed into Backend; every method is called with Backend.lock held."""

    config: dict[str, Any]
    engagements: dict[str, dict[str, dict[str, Any]]]
    invitations: dict[str, dict[str, dict[str, Any]]]
    tokens: dict[tuple[str, str], dict[str, Any]]
    tasks: list[dict[str, Any]]
    next_context: dict[tuple[str, str], int]
    counters: Any

    # -------------------------------------------------------------- state

    _clock: Any

    def _now(self) -> float:
        return self._clock()

    def invitation_status(self, invitation: dict[str, Any]) -> str:
        if invitation["status"] == PENDING and self._now() >= invitation["expires_at"]:
            return EXPIRED
        return invitation["status"]

    def engagement_visible(self, engagement: dict[str, Any]) -> bool:
        """An engagement shared by invitation is the receiver's once accepted; the sender always sees it."""
        inv_id = engagement.get("invitation")
        if inv_id is None:
            return True
        invitation = self.invitations[engagement["catalog"]][inv_id]
        account = self.config["account_id"]
        if invitation["sender_account"] == account:
            return True
        return invitation["receiver_account"] == account and self.invitation_status(invitation) == ACCEPTED

    def touch(self, engagement: dict[str, Any]) -> None:
        engagement["modified_at"] = stamp(engagement["modified_at"], self._now())
        engagement["modified_by"] = self.config["account_id"]

    def _visible_invitation(self, catalog: str, identifier: str) -> dict[str, Any]:
        inv_id = identifier
        if identifier.startswith("arn:"):
            match = _INVITATION_ARN.fullmatch(identifier)
            if not match:
                raise validation_error(
                    f"Identifier '{identifier}' is not a valid engagement invitation ARN.",
                    [{"FieldName": "Identifier", "Message": "Not an invitation ARN", "Code": "INVALID_STRING_FORMAT"}],
                )
            inv_id = match.group("id") if match.group("catalog") == catalog else ""
        invitation = self.invitations[catalog].get(inv_id)
        account = self.config["account_id"]
        if invitation is None or account not in (invitation["receiver_account"], invitation["sender_account"]):
            raise ApiError(
                "ResourceNotFoundException", f"Engagement invitation {identifier} was not found in catalog {catalog}."
            )
        return invitation

    def _invitation_summary(self, invitation: dict[str, Any]) -> dict[str, Any]:
        engagement = self.engagements[invitation["catalog"]][invitation["engagement_id"]]
        status = self.invitation_status(invitation)
        return invitation_summary(invitation, engagement, status, self.config["account_id"])

    def invitation_view(self, invitation: dict[str, Any]) -> dict[str, Any]:
        engagement = self.engagements[invitation["catalog"]][invitation["engagement_id"]]
        return invitation_view(invitation, engagement, self.invitation_status(invitation))

    # --------------------------------------------------------- operations

    def _op_ListEngagementInvitations(self, params: dict[str, Any]) -> dict[str, Any]:
        catalog = params["Catalog"]
        account = self.config["account_id"]
        side = "receiver_account" if params["ParticipantType"] == "RECEIVER" else "sender_account"
        items = [inv for inv in self.invitations[catalog].values() if inv[side] == account]
        if params.get("PayloadType"):
            items = [inv for inv in items if inv["payload_type"] in params["PayloadType"]]
        if params.get("Status"):
            items = [inv for inv in items if self.invitation_status(inv) in params["Status"]]
        if params.get("SenderAwsAccountId"):
            items = [inv for inv in items if inv["sender_account"] in params["SenderAwsAccountId"]]
        if params.get("EngagementIdentifier"):
            wanted = {
                self._engagement_id(catalog, ident, "EngagementIdentifier")  # type: ignore[attr-defined]
                for ident in params["EngagementIdentifier"]
            }
            items = [inv for inv in items if inv["engagement_id"] in wanted]
        descending = params.get("Sort", {}).get("SortOrder", "DESCENDING") == "DESCENDING"
        items.sort(key=lambda inv: (inv["invited_at"], inv["id"]), reverse=descending)
        page, token = self._page(  # type: ignore[attr-defined]
            params, items, lambda inv: [inv["invited_at"], inv["id"]], descending
        )
        result: dict[str, Any] = {"EngagementInvitationSummaries": [self._invitation_summary(inv) for inv in page]}
        if token:
            result["NextToken"] = token
        return result

    def _op_GetEngagementInvitation(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.invitation_view(self._visible_invitation(params["Catalog"], params["Identifier"]))

    def _answerable(self, params: dict[str, Any], action: str) -> dict[str, Any]:
        invitation = self._visible_invitation(params["Catalog"], params["Identifier"])
        if invitation["receiver_account"] != self.config["account_id"]:
            raise ApiError(
                "AccessDeniedException",
                f"Only the receiver of engagement invitation {invitation['id']} can {action} it.",
            )
        status = self.invitation_status(invitation)
        if status != PENDING:
            # ConflictException: the request conflicts with the invitation's current state (the model's wording).
            raise ApiError(
                "ConflictException",
                f"Engagement invitation {invitation['id']} is {status}; only a PENDING invitation can be "
                f"{action}ed.",
            )
        return invitation

    def _op_AcceptEngagementInvitation(self, params: dict[str, Any]) -> dict[str, Any]:
        invitation = self._answerable(params, "accept")
        invitation["status"] = ACCEPTED
        invitation["answered_at"] = self._now()
        return {}

    def _op_RejectEngagementInvitation(self, params: dict[str, Any]) -> dict[str, Any]:
        reason = params.get("RejectionReason")
        if reason is not None and reason not in REJECTION_REASONS:
            raise validation_error(
                f"RejectionReason '{reason}' is not one of: {', '.join(REJECTION_REASONS)}.",
                [{"FieldName": "RejectionReason", "Message": "Unknown rejection reason", "Code": "INVALID_VALUE"}],
                business=True,
            )
        invitation = self._answerable(params, "reject")
        invitation["status"] = REJECTED
        invitation["answered_at"] = self._now()
        if params.get("RejectionReason"):
            invitation["rejection_reason"] = params["RejectionReason"]
        return {}

    @staticmethod
    def _payload_matches_type(params: dict[str, Any]) -> None:
        members = [key for key, value in params["Payload"].items() if value is not None]
        if members != [params["Type"]]:
            raise validation_error(
                f"The Payload must hold exactly the member named by Type ({params['Type']}), got {members}.",
                [{"FieldName": "Payload", "Message": "Payload does not match Type", "Code": "INVALID_VALUE"}],
                business=True,
            )

    def _op_CreateEngagementContext(self, params: dict[str, Any]) -> dict[str, Any]:
        catalog = params["Catalog"]
        eng_id = self._engagement_id(catalog, params["EngagementIdentifier"], "EngagementIdentifier")  # type: ignore
        now = self._now()
        token_key = ("CreateEngagementContext", params["ClientToken"])
        fingerprint = self._fingerprint(  # type: ignore[attr-defined]
            {**params, "EngagementIdentifier": eng_id}, drop=("ClientToken",)
        )
        self._expire_tokens(now)  # type: ignore[attr-defined]
        remembered = self.tokens.get(token_key)
        if remembered is not None:
            if remembered["fingerprint"] != fingerprint:
                raise ApiError("ConflictException", "Conflicting client token submitted for a new request body.")
            self.counters["replays"] += 1
            return copy.deepcopy(remembered["result"])
        engagement = self._engagement(catalog, eng_id)  # type: ignore[attr-defined]
        self._payload_matches_type(params)
        pending = sum(
            1 for t in self.tasks if t["engagement_id"] == eng_id and t.get("new_context") and not t["settled"]
        )
        if len(engagement["contexts"]) + pending >= MAX_CONTEXTS:
            raise ApiError(
                "ServiceQuotaExceededException",
                f"Engagement {eng_id} already has the maximum of {MAX_CONTEXTS} contexts.",
            )
        highest = max([int(c["id"]) for c in engagement["contexts"] if c["id"].isdigit()] + [0]) + 1
        # A conversion in progress has reserved the next id for its CustomerProject context.
        new_id = max(highest, self.next_context.get((catalog, eng_id), 0))
        self.next_context[(catalog, eng_id)] = new_id + 1
        engagement["contexts"].append(
            {"id": str(new_id), "type": params["Type"], "payload": copy.deepcopy(params["Payload"])}
        )
        self.touch(engagement)
        result = {
            "EngagementId": eng_id,
            "EngagementArn": engagement["arn"],
            "EngagementLastModifiedAt": engagement["modified_at"],
            "ContextId": str(new_id),
        }
        if self.config["token_ttl"] > 0:
            self.tokens[token_key] = {
                "fingerprint": fingerprint,
                "result": copy.deepcopy(result),
                "expires_at": now + self.config["token_ttl"],
            }
        return result

    def _op_UpdateEngagementContext(self, params: dict[str, Any]) -> dict[str, Any]:
        catalog = params["Catalog"]
        eng_id = self._engagement_id(catalog, params["EngagementIdentifier"], "EngagementIdentifier")  # type: ignore
        engagement = self._engagement(catalog, eng_id)  # type: ignore[attr-defined]
        context = next((c for c in engagement["contexts"] if c["id"] == params["ContextIdentifier"]), None)
        if context is None:
            raise ApiError(
                "ResourceNotFoundException",
                f"Context {params['ContextIdentifier']} was not found on engagement {eng_id}.",
            )
        self._payload_matches_type(params)
        if context["type"] != params["Type"]:
            raise validation_error(
                f"Context {context['id']} is of type {context['type']}, not {params['Type']}.",
                [{"FieldName": "Type", "Message": "Type does not match the context", "Code": "INVALID_VALUE"}],
                business=True,
            )
        given = instant(params["EngagementLastModifiedAt"])
        if not same_instant(given, engagement["modified_at"]):
            raise ApiError(
                "ConflictException",
                f"Engagement {eng_id} was modified since the given EngagementLastModifiedAt; get the engagement "
                "again and retry with its ModifiedAt.",
            )
        update = params["Payload"][params["Type"]]
        if params["Type"] == "Lead":
            lead = context["payload"]["Lead"]
            lead["Customer"] = copy.deepcopy(update["Customer"])
            for member in ("QualificationStatus", "Insights"):
                if member in update:
                    lead[member] = copy.deepcopy(update[member])
            if "Interaction" in update:
                # The list holds at most 10 (LeadInteractionList); the newest are kept.
                lead["Interactions"] = (lead.get("Interactions", []) + [copy.deepcopy(update["Interaction"])])[-10:]
        else:
            context["payload"] = {params["Type"]: copy.deepcopy(update)}
        self.touch(engagement)
        return {
            "EngagementId": eng_id,
            "EngagementArn": engagement["arn"],
            "EngagementLastModifiedAt": engagement["modified_at"],
            "ContextId": context["id"],
        }

    # ------------------------------------------------------------- admin

    def add_lead_admin(self, spec: dict[str, Any]) -> dict[str, Any]:
        """POST /_emulator/leads: a Lead context on a new or existing engagement, optionally with an invitation."""
        with self.lock:  # type: ignore[attr-defined]
            known = {
                "catalog",
                "engagement",
                "title",
                "customer",
                "qualification_status",
                "invitation",
                "sender_account",
            }
            unknown = set(spec) - known
            if unknown:
                raise ConfigError(f"unknown keys: {sorted(unknown)}; known: {sorted(known)}")
            catalog = spec.get("catalog", "Sandbox")
            if catalog not in CATALOGS:
                raise ConfigError(f"catalog must be one of {list(CATALOGS)}")
            now = self._now()
            seq = sum(len(items) for items in self.engagements.values()) + len(self.invitations[catalog])
            rng = random.Random(f"{self.config['seed']}:{catalog}:admin:{seq}")
            status = spec.get("qualification_status", "Qualified")
            invitation_spec = spec.get("invitation")
            sender = str((invitation_spec or {}).get("sender_account", spec.get("sender_account", DEFAULT_SENDER)))
            # Everything is built on a copy and checked against the model before it replaces the state.
            if spec.get("engagement"):
                existing = self.engagements[catalog].get(spec["engagement"])
                if existing is None:
                    raise ConfigError(f"no engagement {spec['engagement']} in {catalog}")
                if len(existing["contexts"]) >= MAX_CONTEXTS:
                    raise ConfigError(f"engagement {existing['id']} already has {MAX_CONTEXTS} contexts")
                if invitation_spec is not None and existing.get("invitation"):
                    raise ConfigError(f"engagement {existing['id']} already has invitation {existing['invitation']}")
                engagement = copy.deepcopy(existing)
                highest = max([int(c["id"]) for c in engagement["contexts"] if c["id"].isdigit()] + [0]) + 1
                context_id = str(max(highest, self.next_context.get((catalog, engagement["id"]), 0)))
                context = data._context(rng, {"id": context_id, "type": "Lead", "qualification_status": status})
                engagement["contexts"].append(context)
                self.touch(engagement)
            else:
                eng_id = data.engagement_id(f"admin:{self.config['seed']}", catalog, seq)
                if eng_id in self.engagements[catalog]:
                    raise ConfigError(f"engagement {eng_id} exists already; reset the emulator")
                engagement = data._engagement(
                    self.config["account_id"],
                    catalog,
                    eng_id,
                    rng,
                    seq,
                    {
                        "title": spec.get("title", f"Emulated lead {seq + 1}"),
                        "created_at": now,
                        "modified_at": round(now, 3),
                        "created_by": sender,
                        "modified_by": sender,
                        "contexts": [{"id": "1", "type": "Lead", "qualification_status": status}],
                    },
                )
                context = engagement["contexts"][0]
            data.apply_customer(context["payload"], spec.get("customer") or generated_customer(rng))
            errors = model.validate(
                self._engagement_view(engagement),  # type: ignore[attr-defined]
                model.operation_model("GetEngagement").output_shape,
            )
            if errors:
                raise ConfigError(model.describe(errors))
            result: dict[str, Any] = {
                "catalog": catalog,
                "engagement_id": engagement["id"],
                "context_id": context["id"],
            }
            invitation = None
            if invitation_spec is not None:
                if not isinstance(invitation_spec, dict):
                    raise ConfigError(f"invitation must be an object, got {invitation_spec!r}")
                inv_spec = {"sender_account": sender, "invited_at": now, **invitation_spec}
                inv_spec.setdefault("context", context["id"])
                inv_id = inv_spec.pop("id", None) or invitation_id(self.config["seed"], catalog, f"admin:{seq}")
                if inv_id in self.invitations[catalog]:
                    raise ConfigError(f"invitation {inv_id} exists already")
                invitation = new_invitation(self.config["account_id"], catalog, engagement, inv_id, inv_spec, now)
                result["invitation_id"] = inv_id
            # Checked: now the state changes.
            self.engagements[catalog][engagement["id"]] = engagement
            if spec.get("engagement"):
                self.next_context[(catalog, engagement["id"])] = int(context["id"]) + 1
            if invitation is not None:
                self.invitations[catalog][invitation["id"]] = invitation
            return result

    def invitations_admin(self, catalog: str | None = None) -> dict[str, Any]:
        with self.lock:  # type: ignore[attr-defined]
            catalogs = [catalog] if catalog else list(CATALOGS)
            return {
                "invitations": [
                    {
                        "catalog": name,
                        "id": inv["id"],
                        "engagement_id": inv["engagement_id"],
                        "status": self.invitation_status(inv),
                        "sender_account": inv["sender_account"],
                        "receiver_account": inv["receiver_account"],
                        "expires_at": inv["expires_at"],
                    }
                    for name in catalogs
                    for inv in self.invitations[name].values()
                ]
            }

    def expire_invitation_admin(self, spec: dict[str, Any]) -> dict[str, Any]:
        """POST /_emulator/invitations/expire {catalog, invitation_id}: the expiration date becomes now."""
        with self.lock:  # type: ignore[attr-defined]
            catalog = spec.get("catalog", "Sandbox")
            invitation = self.invitations.get(catalog, {}).get(spec.get("invitation_id", ""))
            if invitation is None:
                raise ConfigError(f"no invitation {spec.get('invitation_id')!r} in catalog {catalog!r}")
            invitation["expires_at"] = min(invitation["expires_at"], self._now())
            return {"id": invitation["id"], "status": self.invitation_status(invitation)}

    def set_qualification_admin(self, spec: dict[str, Any]) -> dict[str, Any]:
        """POST /_emulator/leads/qualification {catalog, engagement_id, context_id, qualification_status}."""
        with self.lock:  # type: ignore[attr-defined]
            catalog = spec.get("catalog", "Sandbox")
            engagement = self.engagements.get(catalog, {}).get(spec.get("engagement_id", ""))
            if engagement is None:
                raise ConfigError(f"no engagement {spec.get('engagement_id')!r} in catalog {catalog!r}")
            context = next(
                (c for c in engagement["contexts"] if c["id"] == str(spec.get("context_id")) and c["type"] == "Lead"),
                None,
            )
            if context is None:
                raise ConfigError(f"engagement {engagement['id']} has no Lead context {spec.get('context_id')!r}")
            status = spec.get("qualification_status")
            if not isinstance(status, str) or not 1 <= len(status) <= 255:
                raise ConfigError("qualification_status must be a string of 1 to 255 characters")
            context["payload"]["Lead"]["QualificationStatus"] = status
            self.touch(engagement)
            return {
                "engagement_id": engagement["id"],
                "context_id": context["id"],
                "modified_at": engagement["modified_at"],
            }

    def intake_admin_route(self, method: str, path: str, query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        """The intake's admin endpoints; None for a path that is not one of them."""
        if (method, path) == ("POST", "/_emulator/leads"):
            return self.add_lead_admin(body)
        if (method, path) == ("POST", "/_emulator/leads/qualification"):
            return self.set_qualification_admin(body)
        if (method, path) == ("POST", "/_emulator/invitations/expire"):
            return self.expire_invitation_admin(body)
        if (method, path) == ("GET", "/_emulator/invitations"):
            catalog = query.get("catalog", [None])[0]
            if catalog is not None and catalog not in CATALOGS:
                raise ConfigError(f"unknown catalog {catalog!r}")
            return self.invitations_admin(catalog)
        return None

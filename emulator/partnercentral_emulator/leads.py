# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Lead intake data: invitations from fixtures (`invitation` entries), generated ones (`lead_invitations`) and the
admin endpoints, each sharing a Lead context of its engagement."""

from __future__ import annotations

import hashlib
import random
from typing import Any

from partnercentral_emulator import data
from partnercentral_emulator import model
from partnercentral_emulator import views
from partnercentral_emulator.config import CATALOGS
from partnercentral_emulator.config import ConfigError
from partnercentral_emulator.timestamps import epoch_seconds
from partnercentral_emulator.vocabulary import DISQUALIFIED
from partnercentral_emulator.vocabulary import INVITATION_ID
from partnercentral_emulator.vocabulary import INVITATION_STATUSES
from partnercentral_emulator.vocabulary import QUALIFIED
from partnercentral_emulator.vocabulary import UNQUALIFIED
from partnercentral_emulator.vocabulary import ContextType
from partnercentral_emulator.vocabulary import InvitationStatus
from partnercentral_emulator.vocabulary import PayloadType

# AWS's public lead-to-opportunity sample saw its lead invitation expire 15 days after it was sent.
DEFAULT_EXPIRY = 15 * 86400.0
DEFAULT_SENDER = "999988887777"
DEFAULT_SENDER_COMPANY = "Amazon Web Services"

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
_SENDERS = ((DEFAULT_SENDER, DEFAULT_SENDER_COMPANY), ("444455556666", "Example Distributor"))
_GENERATED_STATUSES = (
    InvitationStatus.PENDING,
    InvitationStatus.PENDING,
    InvitationStatus.ACCEPTED,
    InvitationStatus.EXPIRED,
    InvitationStatus.REJECTED,
)
_GENERATED_QUALIFICATION = (QUALIFIED, QUALIFIED, UNQUALIFIED, DISQUALIFIED)


def invitation_id(seed: Any, catalog: str, key: Any) -> str:
    return "engi-" + data.base36(hashlib.sha256(f"invitation:{seed}:{catalog}:{key}".encode()).digest(), 13)


def invitation_arn(account_id: str, catalog: str, inv_id: str) -> str:
    return f"arn:aws:partnercentral:us-east-1:{account_id}:catalog/{catalog}/engagement-invitation/{inv_id}"


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
        if context["type"] == ContextType.Lead and (context_id is None or context["id"] == str(context_id)):
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
    status = spec.get("status", InvitationStatus.PENDING)
    if status not in INVITATION_STATUSES:
        raise ConfigError(f"invitation status must be one of {list(INVITATION_STATUSES)}, got {status!r}")
    invited = epoch_seconds(spec["invited_at"]) if "invited_at" in spec else now - 3600.0
    if "expires_at" in spec:
        expires = epoch_seconds(spec["expires_at"])
    elif "expires_in" in spec:
        if isinstance(spec["expires_in"], bool) or not isinstance(spec["expires_in"], (int, float)):
            raise ConfigError(f"expires_in must be a number of seconds, got {spec['expires_in']!r}")
        expires = now + float(spec["expires_in"])
    elif status == InvitationStatus.EXPIRED:
        expires = now - 1.0
    else:
        expires = invited + DEFAULT_EXPIRY
    if status == InvitationStatus.EXPIRED and expires > now:
        raise ConfigError(f"invitation {inv_id}: status EXPIRED with an expiration in the future")
    lead = _lead_context(engagement, spec.get("context"))
    invitation = {
        "id": inv_id,
        "catalog": catalog,
        "arn": invitation_arn(account_id, catalog, inv_id),
        "engagement_id": engagement["id"],
        "payload_type": PayloadType.LeadInvitation,
        # EXPIRED is computed from the expiration date: stored as PENDING.
        "status": InvitationStatus.PENDING if status == InvitationStatus.EXPIRED else status,
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
        if not model.pattern_matches(INVITATION_ID, str(inv_id)):
            raise ConfigError(f"invitation id {inv_id!r} must match the model's {INVITATION_ID}")
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
                contexts.append({"id": str(number + 1), "type": ContextType.Lead, "qualification_status": status})
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


def check_invitation(invitation: dict[str, Any], engagement: dict[str, Any]) -> None:
    """Invitations from fixtures or the admin endpoint must fit the model, as engagements do."""
    view = views.invitation_view(invitation, engagement, invitation["status"])
    views.check(view, "GetEngagementInvitation", f"invitation {invitation['id']}")

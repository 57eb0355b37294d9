# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The admin endpoints that read or change the data of a Store: engagements, leads, invitations.

Not part of the AWS surface: no quotas, no signature. Called with the Backend's lock held (see admin_routes).
"""

from __future__ import annotations

import copy
import random
from typing import Any

from partnercentral_emulator import data
from partnercentral_emulator import leads
from partnercentral_emulator import model
from partnercentral_emulator import views
from partnercentral_emulator.config import CATALOGS
from partnercentral_emulator.config import ConfigError
from partnercentral_emulator.store import Store
from partnercentral_emulator.vocabulary import MAX_CONTEXTS
from partnercentral_emulator.vocabulary import QUALIFICATION_STATUS
from partnercentral_emulator.vocabulary import QUALIFIED
from partnercentral_emulator.vocabulary import ContextType

_LEAD_KEYS = {"catalog", "engagement", "title", "customer", "qualification_status", "invitation", "sender_account"}


def catalogs(catalog: str | None) -> list[str]:
    """The catalogs an admin listing covers: the one asked for, or all."""
    if catalog is None:
        return list(CATALOGS)
    if catalog not in CATALOGS:
        raise ConfigError(f"unknown catalog {catalog!r}")
    return [catalog]


def engagements(store: Store, catalog: str | None = None) -> dict[str, Any]:
    """GET /_emulator/engagements: every engagement (visible or not) with its contexts' types and statuses."""
    result = []
    for name in catalogs(catalog):
        for engagement in store.engagements[name].values():
            contexts = []
            for context in engagement["contexts"]:
                item = {"id": context["id"], "type": context["type"]}
                lead = (context.get("payload") or {}).get("Lead")
                if lead is not None:
                    item["qualification_status"] = lead.get("QualificationStatus")
                contexts.append(item)
            entry = {"catalog": name, "id": engagement["id"], "arn": engagement["arn"], "contexts": contexts}
            if engagement.get("invitation"):
                entry["invitation_id"] = engagement["invitation"]
            result.append(entry)
    return {"engagements": result}


def invitations(store: Store, catalog: str | None = None) -> dict[str, Any]:
    """GET /_emulator/invitations: every invitation, its status as of now."""
    return {
        "invitations": [
            {
                "catalog": name,
                "id": inv["id"],
                "engagement_id": inv["engagement_id"],
                "status": store.invitation_status(inv),
                "sender_account": inv["sender_account"],
                "receiver_account": inv["receiver_account"],
                "expires_at": inv["expires_at"],
            }
            for name in catalogs(catalog)
            for inv in store.invitations[name].values()
        ]
    }


def add_lead(store: Store, spec: dict[str, Any]) -> dict[str, Any]:
    """POST /_emulator/leads: a Lead context on a new or existing engagement, optionally with an invitation.

    Everything is built on a copy and checked against the model before it replaces the state.
    """
    unknown = set(spec) - _LEAD_KEYS
    if unknown:
        raise ConfigError(f"unknown keys: {sorted(unknown)}; known: {sorted(_LEAD_KEYS)}")
    catalog = spec.get("catalog", "Sandbox")
    if catalog not in CATALOGS:
        raise ConfigError(f"catalog must be one of {list(CATALOGS)}")
    config = store.config
    now = store.now()
    seq = sum(len(items) for items in store.engagements.values()) + len(store.invitations[catalog])
    rng = random.Random(f"{config['seed']}:{catalog}:admin:{seq}")
    status = spec.get("qualification_status", QUALIFIED)
    invitation_spec = spec.get("invitation")
    sender = str((invitation_spec or {}).get("sender_account", spec.get("sender_account", leads.DEFAULT_SENDER)))
    if spec.get("engagement"):
        engagement = _copy_for_a_lead(store, catalog, spec["engagement"], invitation_spec)
        context_id = str(store.next_context_id(catalog, engagement))
        context = data._context(rng, {"id": context_id, "type": ContextType.Lead, "qualification_status": status})
        engagement["contexts"].append(context)
        store.touch(engagement)
    else:
        eng_id = data.engagement_id(f"admin:{config['seed']}", catalog, seq)
        if eng_id in store.engagements[catalog]:
            raise ConfigError(f"engagement {eng_id} exists already; reset the emulator")
        engagement = data._engagement(
            config["account_id"],
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
                "contexts": [{"id": "1", "type": ContextType.Lead, "qualification_status": status}],
            },
        )
        context = engagement["contexts"][0]
    data.apply_customer(context["payload"], spec.get("customer") or leads.generated_customer(rng))
    views.check(views.engagement_view(engagement), "GetEngagement", f"engagement {engagement['id']}")
    result: dict[str, Any] = {"catalog": catalog, "engagement_id": engagement["id"], "context_id": context["id"]}
    invitation = None
    if invitation_spec is not None:
        if not isinstance(invitation_spec, dict):
            raise ConfigError(f"invitation must be an object, got {invitation_spec!r}")
        inv_spec = {"sender_account": sender, "invited_at": now, **invitation_spec}
        inv_spec.setdefault("context", context["id"])
        inv_id = inv_spec.pop("id", None) or leads.invitation_id(config["seed"], catalog, f"admin:{seq}")
        if inv_id in store.invitations[catalog]:
            raise ConfigError(f"invitation {inv_id} exists already")
        invitation = leads.new_invitation(config["account_id"], catalog, engagement, inv_id, inv_spec, now)
        result["invitation_id"] = inv_id
    # Checked: now the state changes.
    store.engagements[catalog][engagement["id"]] = engagement
    if spec.get("engagement"):
        store.next_context[(catalog, engagement["id"])] = int(context["id"]) + 1
    if invitation is not None:
        store.invitations[catalog][invitation["id"]] = invitation
    return result


def _copy_for_a_lead(store: Store, catalog: str, eng_id: str, invitation_spec: dict[str, Any] | None) -> dict[str, Any]:
    existing = store.engagements[catalog].get(eng_id)
    if existing is None:
        raise ConfigError(f"no engagement {eng_id} in {catalog}")
    if store.contexts_full(existing):
        raise ConfigError(f"engagement {existing['id']} already has {MAX_CONTEXTS} contexts")
    if invitation_spec is not None and existing.get("invitation"):
        raise ConfigError(f"engagement {existing['id']} already has invitation {existing['invitation']}")
    return copy.deepcopy(existing)


def expire_invitation(store: Store, spec: dict[str, Any]) -> dict[str, Any]:
    """POST /_emulator/invitations/expire {catalog, invitation_id}: the expiration date becomes now."""
    catalog = spec.get("catalog", "Sandbox")
    invitation = store.invitations.get(catalog, {}).get(spec.get("invitation_id", ""))
    if invitation is None:
        raise ConfigError(f"no invitation {spec.get('invitation_id')!r} in catalog {catalog!r}")
    invitation["expires_at"] = min(invitation["expires_at"], store.now())
    return {"id": invitation["id"], "status": store.invitation_status(invitation)}


def set_qualification(store: Store, spec: dict[str, Any]) -> dict[str, Any]:
    """POST /_emulator/leads/qualification {catalog, engagement_id, context_id, qualification_status}."""
    catalog = spec.get("catalog", "Sandbox")
    engagement = store.engagements.get(catalog, {}).get(spec.get("engagement_id", ""))
    if engagement is None:
        raise ConfigError(f"no engagement {spec.get('engagement_id')!r} in catalog {catalog!r}")
    context = next(
        (c for c in engagement["contexts"] if c["id"] == str(spec.get("context_id")) and c["type"] == ContextType.Lead),
        None,
    )
    if context is None:
        raise ConfigError(f"engagement {engagement['id']} has no Lead context {spec.get('context_id')!r}")
    status = spec.get("qualification_status")
    if not isinstance(status, str) or not model.pattern_matches(QUALIFICATION_STATUS, status):
        raise ConfigError(f"qualification_status must be a string that matches the model's {QUALIFICATION_STATUS}")
    context["payload"]["Lead"]["QualificationStatus"] = status
    store.touch(engagement)
    return {"engagement_id": engagement["id"], "context_id": context["id"], "modified_at": engagement["modified_at"]}

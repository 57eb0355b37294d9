# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Engagement data: deterministic generation and loading of fixture files."""

from __future__ import annotations

import datetime
import hashlib
import json
import random
from typing import Any

from partnercentral_emulator.config import CATALOGS
from partnercentral_emulator.config import ConfigError
from partnercentral_emulator.model import service_model
from partnercentral_emulator.timestamps import epoch_seconds
from partnercentral_emulator.vocabulary import QUALIFIED
from partnercentral_emulator.vocabulary import ContextType

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_COMPANIES = ("Example Corp", "AnyCompany", "Octank", "Example Health", "AnyCompany Retail", "Example Energy")
_INDUSTRIES = ("Software and Internet", "Healthcare", "Retail", "Financial Services", "Manufacturing", "Education")
_FIRST = ("Alejandro", "Mary", "Li", "Nikhil", "Sofia", "Jorge")
_LAST = ("Rosalez", "Major", "Juan", "Jha", "Garcia", "Souza")
# Fixed base time keeps generated data identical between runs with the same seed.
_BASE_TIME = datetime.datetime(2025, 1, 6, 9, 0, tzinfo=datetime.timezone.utc).timestamp()


def base36(digest: bytes, length: int) -> str:
    number = int.from_bytes(digest, "big")
    chars = []
    for _index in range(length):
        number, rest = divmod(number, 36)
        chars.append(_ALPHABET[rest])
    return "".join(chars)


def engagement_id(seed: Any, catalog: str, index: int) -> str:
    return "eng-" + base36(hashlib.sha256(f"{seed}:{catalog}:{index}".encode()).digest(), 14)


def engagement_arn(account_id: str, catalog: str, eng_id: str) -> str:
    return f"arn:aws:partnercentral:us-east-1:{account_id}:catalog/{catalog}/engagement/{eng_id}"


def conform_to_model(value: Any, shape: Any) -> Any:
    """Replace enum values the loaded botocore model does not know (older models have fewer) with its first value.

    The generated data then stays valid for every botocore the collection supports, not just the newest.
    """
    if shape is None:
        return value
    if shape.type_name == "structure" and isinstance(value, dict):
        return {key: conform_to_model(item, shape.members.get(key)) for key, item in value.items()}
    if shape.type_name == "list" and isinstance(value, list):
        return [conform_to_model(item, shape.member) for item in value]
    enum = getattr(shape, "enum", None) or []
    if shape.type_name == "string" and enum and isinstance(value, str) and value not in enum:
        return enum[0]
    return value


def _conformed_payload(payload: dict[str, Any]) -> dict[str, Any]:
    return conform_to_model(payload, service_model().shape_for("EngagementContextPayload"))


def lead_payload(rng: random.Random, qualification_status: str | None = QUALIFIED) -> dict[str, Any]:
    company = rng.choice(_COMPANIES)
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    lead: dict[str, Any] = {
        "Customer": {
            "CompanyName": company,
            "Industry": rng.choice(_INDUSTRIES),
            "WebsiteUrl": "https://www.example.com",
            "Address": {"City": "Seattle", "PostalCode": "98101", "StateOrRegion": "WA", "CountryCode": "US"},
            "AwsMaturity": "Early",
            "MarketSegment": "Mid-Market",
        },
        "Interactions": [
            {
                "SourceType": "MarketingCampaign",
                "SourceId": f"src-{rng.randrange(10**6):06d}",
                "SourceName": "Emulator generated lead",
                "Usecase": "Migration",
                "InteractionDate": _BASE_TIME,
                "CustomerAction": "Requested a call back",
                "BusinessProblem": "The customer wants to move its on-premises workloads to AWS.",
                "Contact": {
                    "BusinessTitle": "Head of IT",
                    "Email": f"{first.lower()}.{last.lower()}@example.com",
                    "FirstName": first,
                    "LastName": last,
                    "Phone": "+12065550100",
                },
            }
        ],
    }
    payload = _conformed_payload({"Lead": lead})
    # The qualification status is the fixture's to choose (tests use unknown values on purpose).
    if qualification_status is not None:
        payload["Lead"]["QualificationStatus"] = qualification_status
    return payload


# Fixture / admin snake_case customer keys -> the model's LeadCustomer members (CountryCode lives in Address).
_CUSTOMER_KEYS = {
    "company_name": "CompanyName",
    "industry": "Industry",
    "website_url": "WebsiteUrl",
    "aws_maturity": "AwsMaturity",
    "market_segment": "MarketSegment",
    "segment": "MarketSegment",
    "country_code": "CountryCode",
}


def apply_customer(payload: dict[str, Any], customer: dict[str, Any] | None) -> dict[str, Any]:
    """Set LeadCustomer fields from snake_case keys (company_name, industry, segment, country_code, ...)."""
    if not customer:
        return payload
    if not isinstance(customer, dict):
        raise ConfigError(f"customer must be an object, got {customer!r}")
    unknown = set(customer) - set(_CUSTOMER_KEYS)
    if unknown:
        raise ConfigError(f"unknown customer keys: {sorted(unknown)}; known: {sorted(_CUSTOMER_KEYS)}")
    target = payload["Lead"]["Customer"]
    for key, value in customer.items():
        member = _CUSTOMER_KEYS[key]
        if member == "CountryCode":
            target.setdefault("Address", {})["CountryCode"] = str(value)
        else:
            target[member] = str(value)
    return payload


def customer_project_payload(rng: random.Random, company: str = "Example Corp") -> dict[str, Any]:
    return _conformed_payload(
        {
            "CustomerProject": {
                "Customer": {
                    "Industry": rng.choice(_INDUSTRIES),
                    "CompanyName": company,
                    "WebsiteUrl": "https://www.example.com",
                    "CountryCode": "US",
                },
                "Project": {
                    "Title": "Migration to AWS",
                    "BusinessProblem": "The customer wants to move its on-premises workloads to AWS.",
                    "TargetCompletionDate": "2026-12-31",
                },
            }
        }
    )


def _engagement(
    account_id: str, catalog: str, eng_id: str, rng: random.Random, index: int, spec: dict[str, Any] | None = None
) -> dict[str, Any]:
    spec = spec or {}
    created = epoch_seconds(spec.get("created_at", _BASE_TIME + index * 3600))
    contexts = []
    for ctx_spec in spec.get("contexts", [{"id": "1", "type": ContextType.Lead, "qualification_status": QUALIFIED}]):
        contexts.append(_context(rng, ctx_spec))
    return {
        "id": eng_id,
        "catalog": catalog,
        "arn": engagement_arn(account_id, catalog, eng_id),
        "title": spec.get("title", f"Emulated engagement {index + 1}"),
        "description": spec.get("description", "An engagement generated by the Partner Central emulator."),
        "created_at": created,
        "created_by": spec.get("created_by", account_id),
        "modified_at": epoch_seconds(spec.get("modified_at", created)),
        "modified_by": spec.get("modified_by", account_id),
        "member_count": spec.get("member_count", 2),
        "contexts": contexts,
    }


def _context(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(spec, dict) or "id" not in spec or "type" not in spec:
        raise ConfigError(f"each fixture context needs id and type: {spec!r}")
    kind = spec["type"]
    if "payload" in spec:
        payload = spec["payload"]
    elif kind == ContextType.Lead:
        payload = apply_customer(lead_payload(rng, spec.get("qualification_status", QUALIFIED)), spec.get("customer"))
    elif kind == ContextType.CustomerProject:
        payload = customer_project_payload(rng)
    else:
        payload = None
    return {"id": str(spec["id"]), "type": kind, "payload": payload}


def load_fixture(fixture: str | dict[str, Any] | None) -> dict[str, Any]:
    if fixture is None:
        return {"engagements": []}
    if isinstance(fixture, str):
        try:
            with open(fixture, encoding="utf-8") as handle:
                fixture = json.load(handle)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read fixture: {exc}") from exc
    if not isinstance(fixture, dict) or not isinstance(fixture.get("engagements", []), list):
        raise ConfigError("a fixture is an object with an 'engagements' list")
    return fixture


def build_engagements(config: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """catalog -> engagement id -> engagement; fixture engagements first, then `engagements` generated ones."""
    seed = config["seed"]
    account_id = config["account_id"]
    result: dict[str, dict[str, dict[str, Any]]] = {catalog: {} for catalog in CATALOGS}
    fixture = load_fixture(config.get("fixture"))
    for position, spec in enumerate(fixture.get("engagements", [])):
        if not isinstance(spec, dict):
            raise ConfigError(f"fixture engagement #{position} is not an object")
        catalog = spec.get("catalog", "Sandbox")
        if catalog not in result:
            raise ConfigError(f"fixture engagement #{position}: catalog must be one of {list(CATALOGS)}")
        eng_id = spec.get("id") or engagement_id(f"fixture:{seed}", catalog, position)
        if eng_id in result[catalog]:
            raise ConfigError(f"fixture engagement {eng_id} appears twice in {catalog}")
        rng = random.Random(f"{seed}:{catalog}:{eng_id}")
        result[catalog][eng_id] = _engagement(account_id, catalog, eng_id, rng, position, spec)
    for catalog in CATALOGS:
        for index in range(config["engagements"]):
            eng_id = engagement_id(seed, catalog, index)
            rng = random.Random(f"{seed}:{catalog}:{index}")
            result[catalog].setdefault(eng_id, _engagement(account_id, catalog, eng_id, rng, index))
    return result

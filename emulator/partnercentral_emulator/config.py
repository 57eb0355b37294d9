# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Emulator settings: defaults, and checking of overrides coming from the CLI, a file or the admin endpoint."""

from __future__ import annotations

import copy
import json
from typing import Any

# Test credentials only; they open nothing but this emulator.
DEFAULT_ACCESS_KEY = "AKIDPCSEMULATOR00001"
DEFAULT_SECRET_KEY = "pcs-emulator-secret-do-not-use"

# The model's CatalogIdentifier has a pattern only ([a-zA-Z]+); the values are in its documentation (AWS, Sandbox).
CATALOGS = ("AWS", "Sandbox")

DEFAULT_CONFIG: dict[str, Any] = {
    # data
    "engagements": 20,
    "fixture": None,
    "seed": 0,
    "account_id": "111122223333",
    # generated lead engagements shared by invitation, per catalog (see intake.py)
    "lead_invitations": 0,
    # credentials: list of {access_key, secret_key, session_token (optional), expired (optional)}
    "credentials": [{"access_key": DEFAULT_ACCESS_KEY, "secret_key": DEFAULT_SECRET_KEY}],
    "max_clock_skew": 900,
    # task semantics
    "task_latency": 0.0,
    "context_id_mode": "new",
    "second_conversion": "conflict",
    "token_ttl": 86400.0,
    "list_context_filter": "result",
    "default_page_size": 20,
    # quotas
    "write_tps": 1.0,
    "read_tps": 10.0,
    "daily_write_cap": 10000,
    "daily_read_cap": 100000,
    # buckets of one token at any rate (as a per-second quota may be enforced), instead of max(1, rate) tokens
    "strict_buckets": False,
    # quotas (buckets and daily caps) per access key of the request's SigV4 credential, as per partner account,
    # instead of one set for every caller
    "per_account_quotas": False,
    # the clock of the buckets and daily caps: "wall" (time.monotonic), or "manual" (moved only by POST
    # /_emulator/clock, so that a test decides when each request arrives whatever the load of the machine)
    "quota_clock": "wall",
    # fault injection
    "throttle_rate": 0.0,
    "internal_error_rate": 0.0,
    "added_latency": 0.0,
    # answers are parsed back with botocore and checked against the output shapes before being sent
    "self_check": True,
}

_CHOICES = {
    "context_id_mode": ("new", "requested"),
    "second_conversion": ("conflict", "duplicate"),
    "list_context_filter": ("result", "requested", "either"),
    "quota_clock": ("wall", "manual"),
}


class ConfigError(ValueError):
    pass


def _number(key: str, value: Any, minimum: float = 0.0, maximum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{key} must be a number, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise ConfigError(f"{key} must be {bound}, got {value!r}")
    return float(value)


def _integer(key: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{key} must be an integer >= {minimum}, got {value!r}")
    return value


def _credentials(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise ConfigError("credentials must be a non-empty list")
    result = []
    for entry in value:
        if not isinstance(entry, dict) or not entry.get("access_key") or not entry.get("secret_key"):
            raise ConfigError("each credentials entry needs access_key and secret_key")
        unknown = set(entry) - {"access_key", "secret_key", "session_token", "expired"}
        if unknown:
            raise ConfigError(f"unknown credentials keys: {sorted(unknown)}")
        result.append(
            {
                "access_key": str(entry["access_key"]),
                "secret_key": str(entry["secret_key"]),
                "session_token": entry.get("session_token"),
                "expired": bool(entry.get("expired", False)),
            }
        )
    return result


def check(overrides: dict[str, Any]) -> dict[str, Any]:
    """Normalised copy of `overrides`; raises ConfigError naming the first bad key."""
    if not isinstance(overrides, dict):
        raise ConfigError("configuration must be a JSON object")
    unknown = set(overrides) - set(DEFAULT_CONFIG)
    if unknown:
        raise ConfigError(f"unknown configuration keys: {sorted(unknown)}; known: {sorted(DEFAULT_CONFIG)}")
    result: dict[str, Any] = {}
    for key, value in overrides.items():
        if key in _CHOICES:
            if value not in _CHOICES[key]:
                raise ConfigError(f"{key} must be one of {list(_CHOICES[key])}, got {value!r}")
        elif key in ("engagements", "daily_write_cap", "daily_read_cap"):
            value = _integer(key, value)
        elif key == "default_page_size":
            value = _integer(key, value, minimum=1)
        elif key in ("throttle_rate", "internal_error_rate"):
            value = _number(key, value, 0.0, 1.0)
        elif key in ("task_latency", "token_ttl", "write_tps", "read_tps", "max_clock_skew"):
            value = _number(key, value)
        elif key == "added_latency":
            if isinstance(value, (list, tuple)):
                if len(value) != 2:
                    raise ConfigError("added_latency as a range must be [min, max]")
                low, high = (_number(key, item) for item in value)
                if low > high:
                    raise ConfigError("added_latency range must be [min, max] with min <= max")
                value = [low, high]
            else:
                value = _number(key, value)
        elif key == "credentials":
            value = _credentials(value)
        elif key == "account_id":
            if not (isinstance(value, str) and len(value) == 12 and value.isdigit()):
                raise ConfigError("account_id must be 12 digits")
        elif key == "fixture":
            if value is not None and not isinstance(value, (str, dict)):
                raise ConfigError("fixture must be a file path, an inline fixture object or null")
        elif key == "lead_invitations":
            value = _integer(key, value)
        elif key == "self_check":
            value = bool(value)
        elif key in ("strict_buckets", "per_account_quotas"):
            if not isinstance(value, bool):
                raise ConfigError(f"{key} must be true or false, got {value!r}")
        elif key == "seed":
            if not isinstance(value, (int, str)) or isinstance(value, bool):
                raise ConfigError("seed must be an integer or a string")
        result[key] = value
    return result


def build(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    config = copy.deepcopy(DEFAULT_CONFIG)
    config.update(check(overrides or {}))
    return config


def load_file(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return check(data)


def public(config: dict[str, Any]) -> dict[str, Any]:
    """The configuration as shown by the introspection endpoints: secrets and tokens masked."""
    shown = copy.deepcopy(config)
    shown["credentials"] = [
        {
            "access_key": entry["access_key"],
            "secret_key": "***",
            "session_token": "***" if entry.get("session_token") else None,
            "expired": entry.get("expired", False),
        }
        for entry in config["credentials"]
    ]
    if isinstance(shown.get("fixture"), dict):
        shown["fixture"] = "<inline>"
    return shown

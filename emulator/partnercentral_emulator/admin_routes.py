# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The introspection endpoints under /_emulator/ (plain JSON, no signature): method and path -> handler.

`admin.EmulatorAdmin` is their client. Each handler runs with the Backend's lock held.
"""

from __future__ import annotations

from typing import Any
from typing import Callable

from partnercentral_emulator import admin_data
from partnercentral_emulator import model
from partnercentral_emulator.backend import Backend
from partnercentral_emulator.operations import IMPLEMENTED
from partnercentral_emulator.operations import opportunities

Query = dict[str, list[str]]
Route = Callable[[Backend, Query, dict[str, Any]], Any]


def _catalog(query: Query) -> str | None:
    return query.get("catalog", [None])[0]


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/_emulator/health"): lambda backend, query, body: {
        "status": "ok",
        "service": model.SERVICE_NAME,
        "implemented": list(IMPLEMENTED),
    },
    ("GET", "/_emulator/stats"): lambda backend, query, body: backend.stats(),
    ("GET", "/_emulator/config"): lambda backend, query, body: backend.public_config(),
    ("POST", "/_emulator/reset"): lambda backend, query, body: {"config": backend.reset(body)},
    ("POST", "/_emulator/config"): lambda backend, query, body: {"config": backend.configure(body)},
    ("GET", "/_emulator/clock"): lambda backend, query, body: backend.quota_clock_state(),
    ("POST", "/_emulator/clock"): lambda backend, query, body: backend.advance_quota_clock(body),
    ("GET", "/_emulator/engagements"): lambda backend, query, body: admin_data.engagements(
        backend.settled_store(), _catalog(query)
    ),
    ("GET", "/_emulator/invitations"): lambda backend, query, body: admin_data.invitations(
        backend.store, _catalog(query)
    ),
    ("POST", "/_emulator/leads"): lambda backend, query, body: admin_data.add_lead(backend.store, body),
    ("POST", "/_emulator/leads/qualification"): lambda backend, query, body: admin_data.set_qualification(
        backend.store, body
    ),
    ("GET", "/_emulator/opportunities"): lambda backend, query, body: opportunities.opportunity_records(
        backend.settled_store(), _catalog(query)
    ),
    ("POST", "/_emulator/opportunities/review"): lambda backend, query, body: opportunities.review(
        backend.settled_store(), body
    ),
    ("POST", "/_emulator/invitations/expire"): lambda backend, query, body: admin_data.expire_invitation(
        backend.store, body
    ),
}


def route(backend: Backend, method: str, path: str, query: Query, body: dict[str, Any]) -> tuple[bool, Any]:
    """(found, answer) of the endpoint `method path`; ConfigError, ValueError or ApiError for a bad request."""
    handler = ROUTES.get((method, path.rstrip("/")))
    if handler is None:
        return False, None
    with backend.lock:
        return True, handler(backend, query, body)

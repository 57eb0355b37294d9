# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Client of the emulator's introspection endpoints (standard library only, usable from any test or script)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class EmulatorAdminError(RuntimeError):
    pass


class EmulatorAdmin:
    def __init__(self, endpoint_url: str, timeout: float = 10.0) -> None:
        self.endpoint_url = endpoint_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.endpoint_url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - local http only
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")
            raise EmulatorAdminError(f"{method} {path} -> {exc.code}: {detail}") from None

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/_emulator/health")

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "/_emulator/stats")

    def config(self) -> dict[str, Any]:
        return self._call("GET", "/_emulator/config")

    def reset(self, config: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
        """Clear all state and regenerate data; settings are the server's start-up ones plus the overrides."""
        return self._call("POST", "/_emulator/reset", {**(config or {}), **overrides})["config"]

    def configure(self, config: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
        """Change settings live (e.g. write_tps, task_latency) without touching state."""
        return self._call("POST", "/_emulator/config", {**(config or {}), **overrides})["config"]

    def engagements(self, catalog: str | None = "Sandbox") -> list[dict[str, Any]]:
        query = "?" + urllib.parse.urlencode({"catalog": catalog}) if catalog else ""
        return self._call("GET", "/_emulator/engagements" + query)["engagements"]

    # ------------------------------------------------------------ lead intake

    def add_lead(self, **spec: Any) -> dict[str, Any]:
        """A Lead context on a new (or the given `engagement`) engagement, with an optional `invitation`.

        Keys: catalog, engagement, title, customer, qualification_status, sender_account, invitation
        ({status, sender_account, sender_company, expires_in, expires_at, receiver_account, ...}).
        Answers {catalog, engagement_id, context_id, invitation_id (with an invitation)}.
        """
        return self._call("POST", "/_emulator/leads", spec)

    def set_qualification(
        self, engagement_id: str, context_id: str, qualification_status: str, catalog: str = "Sandbox"
    ) -> dict[str, Any]:
        body = {
            "catalog": catalog,
            "engagement_id": engagement_id,
            "context_id": context_id,
            "qualification_status": qualification_status,
        }
        return self._call("POST", "/_emulator/leads/qualification", body)

    def expire_invitation(self, invitation_id: str, catalog: str = "Sandbox") -> dict[str, Any]:
        return self._call("POST", "/_emulator/invitations/expire", {"catalog": catalog, "invitation_id": invitation_id})

    def invitations(self, catalog: str | None = "Sandbox") -> list[dict[str, Any]]:
        query = "?" + urllib.parse.urlencode({"catalog": catalog}) if catalog else ""
        return self._call("GET", "/_emulator/invitations" + query)["invitations"]

    # ------------------------------------------------------------ opportunities

    def opportunities(self, catalog: str | None = "Sandbox") -> dict[str, dict[str, Any]]:
        """Opportunity id -> {catalog, review_status, stage, related, partner_opportunity_identifier}."""
        query = "?" + urllib.parse.urlencode({"catalog": catalog}) if catalog else ""
        return self._call("GET", "/_emulator/opportunities" + query)

    def review(
        self, identifier: str, review_status: str, catalog: str = "Sandbox", comments: str | None = None
    ) -> dict[str, Any]:
        """AWS's review of a submitted opportunity: In review, then Approved, Action Required or Rejected."""
        body = {"catalog": catalog, "identifier": identifier, "review_status": review_status}
        if comments:
            body["comments"] = comments
        return self._call("POST", "/_emulator/opportunities/review", body)

    # ------------------------------------------------------------ quota clock

    def clock(self) -> dict[str, Any]:
        """{"quota_clock": "wall" or "manual", "now": seconds on the quotas' clock}."""
        return self._call("GET", "/_emulator/clock")

    def advance_clock(self, seconds: float) -> float:
        """Move a manual quota clock (setting quota_clock "manual") forward; answers its new time."""
        return self._call("POST", "/_emulator/clock", {"advance": seconds})["now"]

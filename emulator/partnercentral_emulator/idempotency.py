# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Client tokens: a write repeated with its ClientToken gets the first answer, not a second change."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from partnercentral_emulator.errors import ApiError


def fingerprint(body: dict[str, Any], drop: tuple[str, ...] = ()) -> str:
    """A digest of a request body without the `drop` members: equal bodies, equal digests."""
    kept = {key: value for key, value in body.items() if key not in drop}
    return hashlib.sha256(json.dumps(kept, sort_keys=True).encode()).hexdigest()


class ClientTokens:
    """The tokens of one emulator generation, each remembered for `token_ttl` seconds (0: none is remembered).

    How long AWS remembers a token is not documented; a reused token with another body is refused as CreateOpportunity's
    documentation says ("Conflicting client token submitted for a new request body").
    """

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config  # read at each call: token_ttl changes live
        self._remembered: dict[tuple[str, str], dict[str, Any]] = {}
        self.replays = 0

    def recall(self, operation: str, body: dict[str, Any], now: float) -> Any:
        """What was remembered for this body's ClientToken (None for a new token); ConflictException for another body.

        `body` is the request with its identifiers in one form (an id, not an ARN), so that both name the same request.
        """
        for key in [key for key, item in self._remembered.items() if item["expires_at"] <= now]:
            del self._remembered[key]
        remembered = self._remembered.get((operation, body["ClientToken"]))
        if remembered is None:
            return None
        if remembered["fingerprint"] != fingerprint(body, drop=("ClientToken",)):
            raise ApiError("ConflictException", "Conflicting client token submitted for a new request body.")
        self.replays += 1
        return remembered["value"]

    def remember(self, operation: str, body: dict[str, Any], value: Any, now: float) -> None:
        ttl = self._config["token_ttl"]
        if ttl > 0:
            self._remembered[(operation, body["ClientToken"])] = {
                "fingerprint": fingerprint(body, drop=("ClientToken",)),
                "value": value,
                "expires_at": now + ttl,
            }

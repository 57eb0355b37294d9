# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pagination of the List calls: sorted pages and the NextTokens that continue them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any
from typing import Callable

from partnercentral_emulator.errors import validation_error
from partnercentral_emulator.idempotency import fingerprint
from partnercentral_emulator.vocabulary import SortOrder


class Pager:
    """Cursor pagination: a token names the last item shown, so inserts do not shift pages.

    A token is signed with the emulator's secret and bound to one generation (a reset starts another) and to the
    request's other parameters, so a token of another query or of before a reset is refused.
    """

    def __init__(self, secret: bytes, generation: int, config: dict[str, Any]) -> None:
        self._secret = secret
        self._generation = generation
        self._config = config  # default_page_size changes live

    def page(
        self, params: dict[str, Any], items: list[Any], cursor_of: Callable[[Any], list[Any]]
    ) -> tuple[list[Any], str | None]:
        """The page of `items` (sorted by `cursor_of`, newest first unless Sort says ASCENDING) and its NextToken."""
        # DESCENDING when the request has no Sort: the emulator's choice, the API does not document a default.
        descending = params.get("Sort", {}).get("SortOrder", SortOrder.DESCENDING) == SortOrder.DESCENDING
        items = sorted(items, key=cursor_of, reverse=descending)
        size = params.get("MaxResults") or self._config["default_page_size"]
        query = fingerprint(params, drop=("NextToken", "MaxResults"))[:16]
        if params.get("NextToken"):
            cursor = self._decode(params["NextToken"], query)
            if descending:
                items = [item for item in items if cursor_of(item) < cursor]
            else:
                items = [item for item in items if cursor_of(item) > cursor]
        page = items[:size]
        token = self._encode(query, cursor_of(page[-1])) if len(items) > size else None
        return page, token

    def _mac(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()[:16]

    def _encode(self, query: str, cursor: list[Any]) -> str:
        payload = base64.urlsafe_b64encode(json.dumps([self._generation, query, cursor]).encode()).decode().rstrip("=")
        return f"{payload}.{self._mac(payload)}"

    def _decode(self, token: str, query: str) -> list[Any]:
        invalid = validation_error(
            "The NextToken is invalid or expired, or belongs to a request with other parameters.",
            [{"FieldName": "NextToken", "Message": "Invalid pagination token", "Code": "INVALID_VALUE"}],
        )
        payload, _separator, mac = token.partition(".")
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise invalid
        try:
            generation, token_query, cursor = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            raise invalid from None
        if generation != self._generation or token_query != query:
            raise invalid
        return cursor

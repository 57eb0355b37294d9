# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How a family of operations names the operations it serves: `@operation("Name")` on a method."""

from __future__ import annotations

from typing import Any
from typing import Callable

from partnercentral_emulator.idempotency import ClientTokens
from partnercentral_emulator.paging import Pager
from partnercentral_emulator.store import Store

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def operation(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a method as the handler of the API operation `name` (its params: the validated request body)."""

    def mark(method: Callable[..., Any]) -> Callable[..., Any]:
        method.operation_name = name  # type: ignore[attr-defined]
        return method

    return mark


class Operations:
    """A family of operations over the state it is given: the Store, the client tokens and the pager of one reset."""

    def __init__(self, store: Store, tokens: ClientTokens, pager: Pager) -> None:
        self.store = store
        self.tokens = tokens
        self.pager = pager

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The operations this family serves, in the order of its methods."""
        return tuple(name for name, _attribute in cls._marked())

    @classmethod
    def _marked(cls) -> list[tuple[str, str]]:
        return [
            (value.operation_name, attribute)
            for attribute, value in vars(cls).items()
            if hasattr(value, "operation_name")
        ]

    def recall(self, operation: str, params: dict[str, Any], field: str) -> tuple[str, dict[str, Any], float, Any]:
        """For a write with a ClientToken on the engagement named by `field`: (engagement id, the request with that
        id in place of an ARN, now, what the token remembers or None for a new token)."""
        eng_id = self.store.engagement_id(params["Catalog"], params[field], field)
        request = {**params, field: eng_id}
        now = self.store.now()
        return eng_id, request, now, self.tokens.recall(operation, request, now)

    def handlers(self) -> dict[str, Handler]:
        return {name: getattr(self, attribute) for name, attribute in self._marked()}

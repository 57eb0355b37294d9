# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The state of one emulated partner account between two resets, and the rules every operation reads it by.

Each family of operations (operations/) receives the Store explicitly; the Backend makes a new one at each reset
and holds its lock around every call, so nothing here locks.
"""

from __future__ import annotations

import random
from typing import Any
from typing import Callable

from partnercentral_emulator import data
from partnercentral_emulator.errors import ApiError
from partnercentral_emulator.errors import validation_error
from partnercentral_emulator.timestamps import stamp
from partnercentral_emulator.vocabulary import ENGAGEMENT_ARN
from partnercentral_emulator.vocabulary import MAX_CONTEXTS
from partnercentral_emulator.vocabulary import InvitationStatus

# The partner's solutions when the fixture names none (ListSolutions, AssociateOpportunity).
DEFAULT_SOLUTIONS = (
    {"Id": "S-0000001", "Name": "Data platform", "Category": "Software Product", "Status": "Active"},
    {"Id": "S-0000002", "Name": "Migration factory", "Category": "Consulting Service", "Status": "Active"},
    {"Id": "S-0000003", "Name": "Legacy appliance", "Category": "Software Product", "Status": "Inactive"},
)


class Store:
    def __init__(
        self,
        config: dict[str, Any],
        clock: Callable[[], float],
        engagements: dict[str, dict[str, dict[str, Any]]],
        invitations: dict[str, dict[str, dict[str, Any]]],
    ) -> None:
        self.config = config
        self.clock = clock  # wall-clock epoch seconds: answers carry them (StartTime, ModifiedAt, expirations)
        # catalog -> id -> record
        self.engagements = engagements
        self.invitations = invitations
        self.tasks: list[dict[str, Any]] = []
        self.tasks_by_id: dict[str, dict[str, Any]] = {}
        # "<catalog>/<engagement>/<requested context>" -> opportunities created from it
        self.opportunities: dict[str, list[str]] = {}
        # (catalog, engagement) -> the next context id, reserved by a conversion in progress or an added context
        self.next_context: dict[tuple[str, str], int] = {}
        self.task_count = 0
        self.opportunity_count = 0
        # catalog -> opportunity id -> the record as GetOpportunity answers it (times as epoch seconds)
        self.opportunity_records: dict[str, dict[str, dict[str, Any]]] = {}
        # task id -> StartEngagementFromOpportunityTask's task
        self.submission_tasks: dict[str, dict[str, Any]] = {}
        self._id_rng = random.Random(f"ids:{config['seed']}")

    def now(self) -> float:
        return self.clock()

    def random_id(self, length: int) -> str:
        return "".join(self._id_rng.choice(data._ALPHABET) for _index in range(length))

    # ------------------------------------------------------------ engagements

    def engagement_id(self, catalog: str, identifier: str, field: str) -> str:
        """Engagement id from an id or an ARN; an ARN of another catalog names nothing here."""
        if not identifier.startswith("arn:"):
            return identifier
        match = ENGAGEMENT_ARN.fullmatch(identifier)
        if not match:
            raise validation_error(
                f"{field} '{identifier}' is not a valid engagement ARN.",
                [
                    {
                        "FieldName": field,
                        "Message": "Not a Partner Central engagement ARN",
                        "Code": "INVALID_STRING_FORMAT",
                    }
                ],
            )
        if match.group("catalog") != catalog:
            # Not the same engagement: ids are scoped per catalog.
            return f"{match.group('catalog')}:{match.group('id')}"
        return match.group("id")

    def engagement_ids(self, catalog: str, identifiers: list[str]) -> set[str]:
        """The ids of an EngagementIdentifier filter (ids or ARNs)."""
        return {self.engagement_id(catalog, identifier, "EngagementIdentifier") for identifier in identifiers}

    def engagement(self, catalog: str, identifier: str, field: str = "Identifier") -> dict[str, Any]:
        """The engagement the caller can see, or ResourceNotFoundException."""
        engagement = self.engagements[catalog].get(self.engagement_id(catalog, identifier, field))
        # An engagement shared by a lead invitation is hidden until the invitation is accepted.
        if engagement is None or not self.engagement_visible(engagement):
            raise ApiError("ResourceNotFoundException", f"Engagement {identifier} was not found in catalog {catalog}.")
        return engagement

    def engagement_visible(self, engagement: dict[str, Any]) -> bool:
        """An engagement shared by invitation is the receiver's once accepted; the sender always sees it."""
        inv_id = engagement.get("invitation")
        if inv_id is None:
            return True
        invitation = self.invitations[engagement["catalog"]][inv_id]
        account = self.config["account_id"]
        if invitation["sender_account"] == account:
            return True
        return (
            invitation["receiver_account"] == account
            and self.invitation_status(invitation) == InvitationStatus.ACCEPTED
        )

    def touch(self, engagement: dict[str, Any]) -> None:
        engagement["modified_at"] = stamp(engagement["modified_at"], self.now())
        engagement["modified_by"] = self.config["account_id"]

    # --------------------------------------------------------------- contexts

    def next_context_id(self, catalog: str, engagement: dict[str, Any]) -> int:
        """The id a new context of `engagement` gets: after its highest, and after one a conversion has reserved."""
        highest = max([int(c["id"]) for c in engagement["contexts"] if c["id"].isdigit()] + [0])
        return max(highest + 1, self.next_context.get((catalog, engagement["id"]), 0))

    def contexts_full(self, engagement: dict[str, Any]) -> bool:
        """No room for one more context: the contexts, plus those that conversions in progress will add."""
        pending = sum(
            1
            for task in self.tasks
            if task["engagement_id"] == engagement["id"] and task.get("new_context") and not task["settled"]
        )
        return len(engagement["contexts"]) + pending >= MAX_CONTEXTS

    # ------------------------------------------------------------ invitations

    def invitation_status(self, invitation: dict[str, Any]) -> str:
        """EXPIRED is never stored: a PENDING invitation is EXPIRED once its ExpirationDate has passed."""
        if invitation["status"] == InvitationStatus.PENDING and self.now() >= invitation["expires_at"]:
            return InvitationStatus.EXPIRED
        return invitation["status"]

    # ---------------------------------------------------------- opportunities

    def add_opportunity(
        self, catalog: str, fields: dict[str, Any], now: float, identifier: str | None = None
    ) -> dict[str, Any]:
        """A new opportunity record (CreateOpportunity, or a conversion that names its id)."""
        if identifier is None:
            self.opportunity_count += 1
            identifier = f"O{1000000 + self.opportunity_count}"
        stamp_ms = stamp(0.0, now)
        record = {
            **fields,
            "Catalog": catalog,
            "Id": identifier,
            "Arn": f"arn:aws:partnercentral:us-east-1::catalog/{catalog}/opportunity/{identifier}",
            "CreatedDate": stamp_ms,
            "LastModifiedDate": stamp_ms,
            "RelatedEntityIdentifiers": {},
        }
        self.opportunity_records.setdefault(catalog, {})[identifier] = record
        return record

    def solutions(self, catalog: str) -> list[dict[str, Any]]:
        """The partner's solutions: the fixture's ``solutions`` list, else three defaults (two Active)."""
        listed = data.load_fixture(self.config.get("fixture")).get("solutions") or DEFAULT_SOLUTIONS
        return [
            {
                "Catalog": catalog,
                "CreatedDate": 1735689600.0 + index * 86400,
                **{key: value for key, value in solution.items() if key != "Catalog"},
            }
            for index, solution in enumerate(listed)
        ]

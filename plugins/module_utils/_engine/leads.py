# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The lead contexts of an engagement as the conversion engine needs them to attribute earlier tasks.

A caller gives the engine the leads it names (a batch's items of the engagement) and, with discovery's or the event
source's items, the engagement's lead contexts as GetEngagement showed them (the item key ``lead_contexts``). Where the
caller did not give them all and the List data leaves room for a task to be another lead's
(_attribution.partial_lead_states), the engagement is read once (GetEngagement, paced as a read) and its lead contexts
are kept for the rest of the run. Where it cannot be read, the data does not decide: the lead is UNKNOWN and the
engine replays its stable client token.
"""

from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Set

from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import get_engagement
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import LeadState
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import lead_states
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import naming_evidence
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import partial_lead_states
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import undecided
from ansible_collections.partnercentral.selling.plugins.module_utils._discovery import CUSTOMER_PROJECT
from ansible_collections.partnercentral.selling.plugins.module_utils._discovery import LEAD
from ansible_collections.partnercentral.selling.plugins.module_utils._discovery import lead_contexts_of


class EngagementLeads:
    """Lead states of engagements for one run: GetEngagement only where the List data needs it, once per engagement.

    How the service names a COMPLETE task's context is learnt on the way (from the engagements read and from the
    tasks this run started) and kept for the run, so that a re-run of single-lead engagements reads one engagement,
    not each of them.
    """

    def __init__(self, client: Any, catalog: str, pace: Optional[Callable[[], None]] = None) -> None:
        self.client = client
        self.catalog = catalog
        self.pace = pace
        self.leads: Dict[str, List[str]] = {}  # engagement id -> its qualified lead contexts, as read
        self.errors: Dict[str, PartnerCentralError] = {}  # engagement id -> why it could not be read
        self.naming: Set[str] = set()
        self.reads = 0

    def known_naming(self) -> Optional[str]:
        return next(iter(self.naming)) if len(self.naming) == 1 else None

    def states(
        self,
        engagement_id: str,
        tasks: List[Dict[str, Any]],
        named: List[str],
        complete: bool = False,
        owners: Optional[Dict[str, str]] = None,
    ) -> Dict[str, LeadState]:
        """The state of each named lead. complete: `named` holds every lead context of the engagement already."""
        self.naming |= naming_evidence(tasks, owners)
        if engagement_id in self.leads:
            return lead_states(tasks, named + self.leads[engagement_id], owners)
        if complete:
            return lead_states(tasks, named, owners)
        states, room = partial_lead_states(tasks, named, owners, self.known_naming())
        if not room:
            return states
        if engagement_id not in self.errors:
            try:
                engagement = get_engagement(self.client, self.catalog, engagement_id, self.pace)
            except PartnerCentralError as e:
                self.errors[engagement_id] = e
            else:
                self.reads += 1
                contexts = engagement.get("Contexts") or []
                self.leads[engagement_id] = lead_contexts_of(contexts)
                self.naming |= naming_evidence(
                    tasks,
                    owners,
                    [str(c.get("Id")) for c in contexts if c.get("Type") == LEAD],
                    [str(c.get("Id")) for c in contexts if c.get("Type") == CUSTOMER_PROJECT],
                )
                return lead_states(tasks, named + self.leads[engagement_id], owners)
        return undecided(states, room)

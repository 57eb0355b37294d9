# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The related entities of an opportunity (solutions, AWS products, marketplace offers) as lists to reach.

They change only through AssociateOpportunity and DisassociateOpportunity, one entity per call. To replace a
solution, the new one is associated before the old one is disassociated: an opportunity that needs a solution (to
be submitted, or once submitted) never goes without one in between.
"""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

# The association options and the RelatedEntityType (and RelatedEntityIdentifiers member) each one manages.
ASSOCIATION_OPTIONS = {
    "solutions": "Solutions",
    "aws_products": "AwsProducts",
    "aws_marketplace_offers": "AwsMarketplaceOffers",
}
OTHER_SOLUTION = "Other"
# Stages at which AWS no longer accepts the solution "Other" (the developer guide: Committed or later).
OTHER_REFUSED_STAGES = ("Committed", "Launched", "Closed Lost")


def association_plan(
    record: Dict[str, Any], wanted: Dict[str, Optional[List[str]]], purge: bool = False
) -> Tuple[List[Tuple[str, str]], List[Tuple[str, str]]]:
    """(to associate, to disassociate), each a list of (RelatedEntityType, identifier), in the order to send them:
    every association before any disassociation. ``wanted`` maps an option to its list (None: not given, left
    alone); without ``purge`` nothing is disassociated."""
    current = record.get("RelatedEntityIdentifiers") or {}
    associate: List[Tuple[str, str]] = []
    disassociate: List[Tuple[str, str]] = []
    for option, entity_type in ASSOCIATION_OPTIONS.items():
        values = wanted.get(option)
        if values is None:
            continue
        have = list(current.get(entity_type) or [])
        associate.extend((entity_type, value) for value in dict.fromkeys(values) if value not in have)
        if purge:
            disassociate.extend((entity_type, value) for value in have if value not in values)
    return associate, disassociate


def association_problems(record: Dict[str, Any], associate: List[Tuple[str, str]]) -> List[str]:
    """What AWS would refuse among the associations to send."""
    stage = (record.get("LifeCycle") or {}).get("Stage")
    if stage in OTHER_REFUSED_STAGES and ("Solutions", OTHER_SOLUTION) in associate:
        return [f"the solution {OTHER_SOLUTION!r} cannot be associated at stage {stage!r} (Committed or later)"]
    return []

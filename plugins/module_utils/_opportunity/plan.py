# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The decision of an update, from the options given and the record read: what changes, what to send, or why not.

Two steps, so that bad input costs no call at all: ``given_fields`` before any call (the options in the API's names,
checked against the model), ``plan_update`` after GetOpportunity (the merge, the required members of what will be
sent, the ReviewStatus rules). Nothing to change gives no payload: the caller sends nothing and reports no change.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import options_to_api
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.merge import field_changes
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.merge import update_payload
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import NOT_READ
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import fields_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import input_shape
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.rules import edit_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.rules import review_status

UPDATE = "UpdateOpportunity"


@dataclass
class UpdatePlan:
    """``changes``: the dotted API paths that change; ``payload``: the full UpdateOpportunity request (None when
    nothing changes or a problem stands in the way); ``problems``: why nothing may be sent."""

    changes: List[str] = field(default_factory=list)
    payload: Optional[Dict[str, Any]] = None
    problems: List[str] = field(default_factory=list)


def given_fields(params: Dict[str, Any], model: Any = None) -> Tuple[Dict[str, Any], List[str]]:
    """The fields given as module options, in the API's names, and the model's rules they break (before any call)."""
    given = options_to_api(params)
    return given, fields_problems(given, NOT_READ, UPDATE, model)


def plan_update(record: Dict[str, Any], given: Dict[str, Any], model: Any = None) -> UpdatePlan:
    """What an update of the record read (GetOpportunity's answer) with the given fields (API names) would do."""
    changes = field_changes(record, given)
    if not changes:
        return UpdatePlan()
    payload = update_payload(record, given, input_shape(UPDATE, model))
    problems = edit_problems(review_status(record), changes, record.get("Id") or "the opportunity")
    problems += fields_problems(given, payload, UPDATE, model)
    return UpdatePlan(changes=changes, payload=None if problems else payload, problems=problems)

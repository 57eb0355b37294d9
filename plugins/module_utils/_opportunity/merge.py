# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The given fields merged onto the opportunity read, and the full payload of UpdateOpportunity.

UpdateOpportunity replaces the whole record ("If any field is omitted, the API assumes that the field is set to
null"), with the LastModifiedDate read last for optimistic locking. So an update sends everything read (what the
input shape has a member for), with the given fields merged in: structures merge member by member, a list given
replaces the list read (a list has no identity per item to merge by), a scalar given replaces the scalar read.
"""

from __future__ import annotations

import copy
import datetime
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import api_to_options
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import managed_fields


def merge(base: Any, changes: Any) -> Any:
    """``changes`` merged onto ``base`` (neither is changed): dicts member by member, anything else replaced."""
    if isinstance(base, dict) and isinstance(changes, dict):
        out = copy.deepcopy(base)
        for key, value in changes.items():
            out[key] = merge(base.get(key), value)
        return out
    return copy.deepcopy(changes)


def within_shape(value: Any, shape: Any) -> Any:
    """The part of a value that a botocore shape has members for (output-only members and members the installed
    model does not know are dropped), recursively."""
    if value is None:
        return None
    if shape.type_name == "structure" and isinstance(value, dict):
        return {
            member: within_shape(sub, shape.members[member])
            for member, sub in value.items()
            if member in shape.members and sub is not None
        }
    if shape.type_name == "list" and isinstance(value, list):
        return [within_shape(item, shape.member) for item in value]
    return copy.deepcopy(value)


def update_payload(record: Dict[str, Any], changes: Dict[str, Any], input_shape: Any) -> Dict[str, Any]:
    """The full UpdateOpportunity request: the record read (GetOpportunity's answer) within the input shape, the
    identifier and LastModifiedDate read, and the given fields merged in."""
    payload = within_shape(record, input_shape)
    payload.update(Catalog=record["Catalog"], Identifier=record["Id"], LastModifiedDate=record["LastModifiedDate"])
    return merge(payload, changes)


def changed_paths(before: Any, after: Any, prefix: str = "") -> List[str]:
    """The dotted API paths whose value differs: members of structures one by one, a list or a scalar as a whole."""
    if isinstance(before, dict) or isinstance(after, dict):
        before = before if isinstance(before, dict) else {}
        after = after if isinstance(after, dict) else {}
        paths: List[str] = []
        for key in list(before) + [k for k in after if k not in before]:
            paths.extend(changed_paths(before.get(key), after.get(key), f"{prefix}{key}."))
        return paths
    if _comparable(before) == _comparable(after):
        return []
    return [prefix.rstrip(".")]


def _comparable(value: Any) -> Any:
    # An empty list or structure and an absent member are the same record for the service (and for the partner).
    if value in ([], {}, None):
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def field_changes(record: Dict[str, Any], changes: Dict[str, Any]) -> List[str]:
    """The managed fields that the given changes would change on the record read (empty: nothing to send)."""
    before = managed_fields(record)
    return changed_paths(before, merge(before, changes))


def diff(before: Optional[Dict[str, Any]], after: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Ansible's ``diff`` of two records (API answers; None: no record): the managed fields, in option names."""
    return dict(
        before=api_to_options(managed_fields(before)) if before else {},
        after=api_to_options(managed_fields(after)) if after else {},
    )

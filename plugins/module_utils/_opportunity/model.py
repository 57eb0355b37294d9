# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Given opportunity fields checked against botocore's service model, before any call.

botocore's own parameter validation checks types, required members and minimum lengths, but not enums, patterns or
maximum lengths, and it names the API's members; the service would answer a ValidationException for each of those
after a write has been spent. This walks the installed model (the same one botocore sends with) and names the
options. Enums come from the model at run time, so a value the model adds is accepted without a new release.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import Any
from typing import Dict
from typing import List

try:
    import botocore
    import botocore.session
except ImportError:
    pass  # The module base reports a missing botocore.

from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import option_name
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import matches_model

SERVICE_NAME = "partnercentral-selling"
# An enum longer than this is not listed in a message (the country and currency codes); close matches are.
_ENUM_LISTED_MAX = 12
# The model writes (?s) for "any character including line breaks" (free text); Python reads it the same way.
_DOTALL_PREFIX = "(?s)"


@functools.lru_cache(maxsize=1)
def service_model() -> Any:
    """The installed botocore's partnercentral-selling model (a client's ``client.meta.service_model`` is the same)."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


def botocore_version() -> str:
    return getattr(botocore, "__version__", "unknown")


def input_shape(operation: str, model: Any = None) -> Any:
    return (model or service_model()).operation_model(operation).input_shape


def enum_values(path: str, operation: str = "UpdateOpportunity", model: Any = None) -> List[str]:
    """The enum of a dotted member path of an operation's input (a list's element for a list), empty if none."""
    shape = input_shape(operation, model)
    for part in path.split("."):
        if shape.type_name == "list":
            shape = shape.member
        shape = shape.members[part]
    if shape.type_name == "list":
        shape = shape.member
    return list(getattr(shape, "enum", None) or [])


def pattern_matches(pattern: str, value: str) -> bool:
    """Whether the whole value matches a pattern of the model; True for a pattern Python cannot read (the Unicode
    property classes of the tag rules, which _validation.tags_problems checks), left to the service."""
    try:
        if pattern.startswith(_DOTALL_PREFIX):
            return re.fullmatch(pattern, value) is not None
        # \w and \d of the model are ASCII classes (as in ECMAScript and Java); Python's are Unicode.
        return matches_model(pattern, value, flags=re.ASCII)
    except re.error:
        return True


def _enum_problem(where: str, value: str, enum: List[str]) -> str:
    if len(enum) <= _ENUM_LISTED_MAX:
        return f"{where} must be one of {', '.join(repr(v) for v in enum)} (got {value!r})"
    close = difflib.get_close_matches(value, enum, n=3)
    hint = f"; did you mean {' or '.join(repr(v) for v in close)}?" if close else ""
    return f"{where}: {value!r} is not one of the {len(enum)} values of the model{hint}"


def _string_problems(where: str, value: Any, shape: Any) -> List[str]:
    if not isinstance(value, str):
        return [f"{where} must be a string (got {type(value).__name__})"]
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        close = [v for v in enum if v.lower() == value.lower()]
        if close:
            return [f"{where} must be {close[0]!r} exactly (got {value!r}; the values are case-sensitive)"]
        return [_enum_problem(where, value, list(enum))]
    problems = []
    meta = shape.metadata
    if "min" in meta and len(value) < meta["min"] or "max" in meta and len(value) > meta["max"]:
        problems.append(f"{where} must be {meta.get('min', 0)} to {meta.get('max', 'any')} characters long")
    pattern = meta.get("pattern")
    if pattern and not pattern_matches(pattern, value):
        problems.append(f"{where} {value[:80]!r} does not match the model's pattern {pattern}")
    return problems


def _join(where: str, member: str) -> str:
    return f"{where}.{option_name(member)}" if where else option_name(member)


# ``merged`` of value_problems before the record is read: the required members of a structure cannot be judged yet
# (a member not given keeps the value read), those of a list's items can (a list given replaces the list read).
NOT_READ = object()


def value_problems(given: Any, shape: Any, where: str = "", merged: Any = None) -> List[str]:
    """Every rule of the model that the given value breaks, each naming the option path.

    ``merged`` is the value that will be sent for the same place (the given fields merged onto the record read): the
    required members of a structure are looked for there, since a member not given keeps the value read. None: the
    given value is the one sent (a new record). NOT_READ: before the record is read.
    """
    merged = given if merged is None else merged
    if given is None:
        return []
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(given, dict):
            return [f"{where or 'the value'} must be a dictionary (got {type(given).__name__})"]
        problems = []
        for member, value in given.items():
            if member not in shape.members:
                problems.append(
                    f"{_join(where, member)} is not known to the installed botocore {botocore_version()}: "
                    "upgrade botocore to use it"
                )
                continue
            sub_merged = merged if merged is NOT_READ else merged.get(member) if isinstance(merged, dict) else None
            problems.extend(value_problems(value, shape.members[member], _join(where, member), sub_merged))
        # The required members of the request itself (Catalog, Identifier...) are the caller's, not given fields.
        if where and isinstance(merged, dict):
            for member in shape.required_members:
                if merged.get(member) is None:
                    problems.append(f"{_join(where, member)} is required when {where} is given")
        return problems
    if kind == "list":
        if not isinstance(given, list):
            return [f"{where} must be a list (got {type(given).__name__})"]
        problems = []
        meta = shape.metadata
        if "min" in meta and len(given) < meta["min"] or "max" in meta and len(given) > meta["max"]:
            problems.append(
                f"{where} must hold {meta.get('min', 0)} to {meta.get('max', 'any')} items (got {len(given)})"
            )
        for index, item in enumerate(given):
            problems.extend(value_problems(item, shape.member, f"{where}[{index}]"))
        return problems
    if kind == "string":
        return _string_problems(where, given, shape)
    return []


def fields_problems(
    given: Dict[str, Any],
    merged: Any = None,
    operation: str = "UpdateOpportunity",
    model: Any = None,
) -> List[str]:
    """The problems of the given fields (API names) for an operation's input: ``merged`` is the payload that will be
    sent (None: the given fields are; NOT_READ: before the record is read, see value_problems)."""
    return value_problems(given, input_shape(operation, model), "", merged)

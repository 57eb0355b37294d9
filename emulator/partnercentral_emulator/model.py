# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""botocore's service model of partnercentral-selling: validation of values against its shapes, and the wire form
of answers (timestamps as each shape's timestampFormat says).

botocore's ParamValidator checks types, required members, unknown members and `min`, but on purpose
not `max`, `pattern` or enums (clients must not break when a service relaxes a constraint). A server
has to enforce all of them, so this module adds the missing checks on top of ParamValidator.
"""

from __future__ import annotations

import datetime
import email.utils
import functools
import json
import os
import re
import sys
import types
import unicodedata
from typing import Any

import botocore.loaders
import botocore.parsers
import botocore.serialize
from botocore.model import OperationModel
from botocore.model import ServiceModel
from botocore.model import Shape
from botocore.validate import ParamValidator

SERVICE_NAME = "partnercentral-selling"
REDACTED = "*** Sensitive Data Redacted ***"


@functools.lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    # botocore's loader, not a session: a session resolves the caller's AWS_PROFILE on the way and fails for a
    # profile that does not exist here, which says nothing about the service's model. AWS_DATA_PATH still applies.
    loader = botocore.loaders.create_loader(os.environ.get("AWS_DATA_PATH"))
    return ServiceModel(loader.load_service_model(SERVICE_NAME, "service-2"), service_name=SERVICE_NAME)


def target_prefix() -> str:
    return service_model().metadata["targetPrefix"]


def operation_model(name: str) -> OperationModel | None:
    model = service_model()
    if name not in model.operation_names:
        return None
    return model.operation_model(name)


def enum(shape_name: str) -> tuple[str, ...]:
    """The values of an enum shape, in the model's order."""
    return tuple(service_model().shape_for(shape_name).enum)


def enum_members(shape_name: str) -> types.SimpleNamespace:
    """An enum shape's values as attributes (`enum_members("TaskStatus").COMPLETE == "COMPLETE"`), plain strings.

    The emulator names the model's values instead of restating them: a value that the loaded model lacks fails
    where it is used, with an AttributeError naming it.
    """
    return types.SimpleNamespace(**{value: value for value in enum(shape_name)})


def pattern(shape_name: str) -> str:
    return service_model().shape_for(shape_name).metadata["pattern"]


def max_items(shape_name: str) -> int:
    return service_model().shape_for(shape_name).metadata["max"]


@functools.lru_cache(maxsize=8)
def _category_class(prefix: str) -> str:
    """Character-class body for a Unicode general category (`\\p{L}`), which Python's re lacks."""
    parts: list[str] = []
    start = previous = -2
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)).startswith(prefix):
            if code != previous + 1:
                if start >= 0:
                    parts.append(_range(start, previous))
                start = code
            previous = code
    if start >= 0:
        parts.append(_range(start, previous))
    return "".join(parts)


def _range(start: int, end: int) -> str:
    return re.escape(chr(start)) if start == end else f"{re.escape(chr(start))}-{re.escape(chr(end))}"


@functools.lru_cache(maxsize=None)
def compiled_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a model pattern (Java/ECMA flavour) for Python; `\\p{X}` only appears inside classes here."""
    translated = re.sub(r"\\p\{(\w+)\}", lambda m: _category_class(m.group(1)), pattern)
    return re.compile(translated)


def pattern_matches(pattern: str, value: str) -> bool:
    # The service side (Coral, Java) validates with String.matches(), i.e. the whole value must match;
    # the lookahead patterns such as (?=.{1,128}$) only make sense with that reading.
    return compiled_pattern(pattern).fullmatch(value) is not None


# botocore's ParamValidator error kinds -> the model's ValidationExceptionErrorCode values.
_PARAM_VALIDATOR_CODES = {
    "missing required field": "REQUIRED_FIELD_MISSING",
    "unknown field": "INVALID_VALUE",
    "invalid type": "INVALID_VALUE",
    "invalid range": "VALUE_OUT_OF_RANGE",
    "invalid length": "VALUE_OUT_OF_RANGE",
    "empty input": "REQUIRED_FIELD_MISSING",
    "more than one input": "INVALID_VALUE",
    "unable to encode to json": "INVALID_VALUE",
    "invalid type for document": "INVALID_VALUE",
}


def _field(name: str) -> str:
    return name[1:] if name.startswith(".") else name


def _shown(value: Any, shape: Shape) -> str:
    if shape.metadata.get("sensitive"):
        return REDACTED
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 100 else text[:97] + "..."


def _resolve(shape: Shape, field: str) -> Shape | None:
    """The shape of a ParamValidator path such as `Tags[0].Key`, to know whether its value is sensitive."""
    current: Shape | None = shape
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", field):
        if current is None:
            return None
        if token.startswith("["):
            current = getattr(current, "member", None)
        elif current.type_name == "structure":
            current = current.members.get(token)
        else:
            return None
    return current


def validate(value: Any, shape: Shape) -> list[dict[str, str]]:
    """All violations of `value` against `shape`, as ValidationExceptionError dicts (FieldName, Message, Code)."""
    errors: list[dict[str, str]] = []
    report = ParamValidator().validate(value, shape)
    for kind, name, details in report._errors:  # the structured list; generate_report() only gives text
        field = _field(name)
        if kind == "invalid range" and isinstance(_lookup(value, field), bool):
            continue  # a boolean is refused as a wrong type below (_check_constraints), not as out of range
        if kind == "missing required field":
            field = f"{field}.{details['required_name']}" if field else details["required_name"]
            message = "Member must not be null"
        elif kind == "unknown field":
            field = f"{field}.{details['unknown_param']}" if field else details["unknown_param"]
            message = f"Unknown member; valid members: {', '.join(details['valid_names'])}"
        elif kind == "invalid type":
            message = f"Member must be of type {', '.join(details['valid_types'])}"
        elif kind == "invalid length":
            message = f"Member must have length greater than or equal to {details['min_allowed']}"
        elif kind == "invalid range":
            message = f"Member must have value greater than or equal to {details['min_allowed']}"
        else:
            message = kind
        if kind == "invalid length" and (_resolve(shape, field) or shape).type_name == "list":
            code = "NOT_ENOUGH_VALUES"
        else:
            code = _PARAM_VALIDATOR_CODES.get(kind, "INVALID_VALUE")
        errors.append(_error(field, message, code, value=_lookup(value, field), shape=_resolve(shape, field)))
    _check_constraints(value, shape, "", errors)
    return errors


def _lookup(root: Any, field: str) -> Any:
    current = root
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", field):
        try:
            current = current[int(token[1:-1])] if token.startswith("[") else current[token]
        except (KeyError, IndexError, TypeError, ValueError):
            return None
    return current


def _error(field: str, rule: str, code: str, value: Any = None, shape: Shape | None = None) -> dict[str, str]:
    if value is None or isinstance(value, (dict, list)):
        message = f"Value at '{field}' failed to satisfy constraint: {rule}"
    else:
        message = (
            f"Value '{_shown(value, shape) if shape else value}' at '{field}' failed to satisfy constraint: {rule}"
        )
    return {"FieldName": field, "Message": message, "Code": code}


# The numeric shape types, with the type name of ParamValidator's "invalid type" message.
_NUMBER_TYPES = {"integer": "int", "long": "int", "float": "float", "double": "float"}


def _check_constraints(value: Any, shape: Shape, name: str, errors: list[dict[str, str]]) -> None:
    """max, pattern and enum, which ParamValidator skips; values of a wrong type were reported already."""
    meta = shape.metadata
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        for member, member_value in value.items():
            if member in shape.members and member_value is not None:
                path = f"{name}.{member}" if name else member
                _check_constraints(member_value, shape.members[member], path, errors)
    elif kind == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            errors.append(
                _error(name, f"Member must have length less than or equal to {meta['max']}", "TOO_MANY_VALUES")
            )
        for index, item in enumerate(value):
            _check_constraints(item, shape.member, f"{name}[{index}]", errors)
    elif kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            _check_constraints(key, shape.key, f"{name}.{key}", errors)
            _check_constraints(item, shape.value, f"{name}.{key}", errors)
    elif kind == "string" and isinstance(value, str):
        if "max" in meta and len(value) > meta["max"]:
            rule = f"Member must have length less than or equal to {meta['max']}"
            errors.append(_error(name, rule, "VALUE_OUT_OF_RANGE", value, shape))
        if meta.get("enum") and value not in meta["enum"]:
            rule = f"Member must satisfy enum value set: [{', '.join(meta['enum'])}]"
            errors.append(_error(name, rule, "INVALID_ENUM_VALUE", value, shape))
        if "pattern" in meta and not pattern_matches(meta["pattern"], value):
            rule = f"Member must satisfy regular expression pattern: {meta['pattern']}"
            errors.append(_error(name, rule, "INVALID_STRING_FORMAT", value, shape))
    elif kind in _NUMBER_TYPES and isinstance(value, bool):
        # JSON true/false: Python's bool is an int, so ParamValidator lets it through; the service refuses it.
        rule = f"Member must be of type {_NUMBER_TYPES[kind]}"
        errors.append(_error(name, rule, "INVALID_VALUE", value, shape))
    elif kind in _NUMBER_TYPES and isinstance(value, (int, float)):
        if "max" in meta and value > meta["max"]:
            rule = f"Member must have value less than or equal to {meta['max']}"
            errors.append(_error(name, rule, "VALUE_OUT_OF_RANGE", value, shape))


def serialize(value: Any, shape: Shape | None, protocol: str | None = None) -> Any:
    """An answer as it goes on the wire: a copy with every timestamp member in its shape's `timestampFormat`, or
    the protocol's default when the shape has none (botocore's serializer of the protocol knows it).

    The backend keeps timestamps as epoch seconds (or datetimes); everything else passes through unchanged.
    """
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if kind == "timestamp":
        protocol = protocol or service_model().metadata["protocol"]
        default = botocore.serialize.SERIALIZERS[protocol].TIMESTAMP_FORMAT
        return _wire_timestamp(value, shape.serialization.get("timestampFormat") or default)
    if kind == "structure" and isinstance(value, dict):
        return {
            name: serialize(item, shape.members[name], protocol) if name in shape.members else item
            for name, item in value.items()
        }
    if kind == "list" and isinstance(value, list):
        return [serialize(item, shape.member, protocol) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: serialize(item, shape.value, protocol) for key, item in value.items()}
    return value


def _wire_timestamp(value: Any, timestamp_format: str) -> Any:
    if isinstance(value, str):
        return value  # already in wire form
    if isinstance(value, datetime.datetime):
        when = value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    else:
        when = datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc)
    when = when.astimezone(datetime.timezone.utc)
    fmt = timestamp_format.lower()
    if fmt == "iso8601":
        # AWS's form: UTC with milliseconds, e.g. 2025-01-06T09:00:00.000Z.
        return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    if fmt == "rfc822":
        return email.utils.format_datetime(when, usegmt=True)
    if fmt == "unixtimestamp":
        return round(when.timestamp(), 3)
    raise ValueError(f"unknown timestampFormat {timestamp_format!r}")


def describe(errors: list[dict[str, str]]) -> str:
    """One message in the style of AWS's front end: "2 validation errors detected: ...; ..."."""
    count = len(errors)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(error["Message"] for error in errors)


def parse_response(operation: OperationModel, status: int, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """Parse an HTTP answer exactly as a botocore client would."""
    parser = botocore.parsers.create_parser(service_model().metadata["protocol"])
    shape = operation.output_shape if status < 300 else None
    response = {"status_code": status, "headers": {k.lower(): v for k, v in headers.items()}, "body": body}
    parsed = parser.parse(response, shape)
    if status >= 300:
        # As botocore's client does (_add_modeled_error_fields): the modelled members are parsed with the
        # error shape and merged into the generic error answer.
        error_shape = _error_shape(parsed.get("Error", {}).get("Code"))
        if error_shape is not None:
            parsed.update(parser.parse(response, error_shape))
    return parsed


def _error_shape(code: str | None) -> Shape | None:
    if not code:
        return None
    model = service_model()
    if code in model.shape_names and model.shape_for(code).metadata.get("exception"):
        return model.shape_for(code)
    return None


def output_errors(operation: OperationModel, parsed: dict[str, Any]) -> list[dict[str, str]]:
    """Violations of a parsed (botocore) answer against the operation's output or error shape."""
    data = {k: v for k, v in parsed.items() if k not in ("ResponseMetadata", "Error")}
    if "Error" in parsed:
        code = parsed["Error"].get("Code")
        if not code:
            return [{"FieldName": "Error.Code", "Message": "error answer without a code", "Code": "INVALID_VALUE"}]
        shape = _error_shape(code)
        if shape is None:
            return []
        # botocore puts the Message into Error and the other modelled members at the top level.
        data.setdefault("Message", parsed["Error"].get("Message", ""))
        return validate(data, shape)
    if operation.output_shape is None:
        return []
    return validate(data, operation.output_shape)

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one answer normaliser: what the modules return and the engine reports, from what botocore answers."""

from __future__ import annotations

import datetime
from typing import Any
from typing import Dict

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict


def without_metadata(answer: Dict[str, Any]) -> Dict[str, Any]:
    """An answer without botocore's ResponseMetadata (request id, HTTP headers): the service's data alone."""
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}


def snake_answer(answer: Dict[str, Any]) -> Dict[str, Any]:
    """An answer of the API (task, invitation, engagement...) in snake_case, every timestamp as ISO 8601 text."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime.datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return camel_dict_to_snake_dict(plain(without_metadata(answer)))

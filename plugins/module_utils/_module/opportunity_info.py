# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The opportunity info module's glue: one opportunity (GetOpportunity, and on request AWS's summary and the
associated solutions) or a listing (ListOpportunities with its filters)."""

from __future__ import annotations

import re
from typing import Any
from typing import Dict
from typing import List

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import snake_answer
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.opportunities import (
    get_aws_opportunity_summary,
)
from ansible_collections.partnercentral.selling.plugins.module_utils._api.opportunities import get_opportunity
from ansible_collections.partnercentral.selling.plugins.module_utils._api.opportunities import list_opportunities
from ansible_collections.partnercentral.selling.plugins.module_utils._api.opportunities import list_solutions
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import client_config
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import OPPORTUNITY_FILTER_LIMITS
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import OPPORTUNITY_ID_PATTERN
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import max_results_problems

OPTION_OF_FILTER = {
    "Identifier": "identifiers",
    "LifeCycleStage": "lifecycle_stages",
    "LifeCycleReviewStatus": "review_statuses",
    "CustomerCompanyName": "customer_company_names",
}
# Options that only go with identifier.
ONE_OPPORTUNITY_OPTIONS = ("aws_summary", "related_entities")


def option_problems(params: Dict[str, Any]) -> List[str]:
    problems = max_results_problems(params["max_results"])
    identifiers = ([params["identifier"]] if params["identifier"] is not None else []) + params["identifiers"]
    for identifier in identifiers:
        if not re.fullmatch(OPPORTUNITY_ID_PATTERN, identifier):
            problems.append(f"{identifier!r} is not an opportunity id (O followed by up to 19 digits)")
    for member, limit in OPPORTUNITY_FILTER_LIMITS.items():
        option = OPTION_OF_FILTER[member]
        if len(params[option]) > limit:
            problems.append(
                f"{option} takes at most {limit} values (ListOpportunities' {member}), got {len(params[option])}"
            )
    if params["identifier"] is None:
        problems += [f"{option} needs identifier" for option in ONE_OPPORTUNITY_OPTIONS if params[option]]
    return problems


def read_one(client: Any, params: Dict[str, Any]) -> Dict[str, Any]:
    catalog, identifier = params["catalog"], params["identifier"]
    result: Dict[str, Any] = {"opportunities": [snake_answer(get_opportunity(client, catalog, identifier))]}
    if params["aws_summary"]:
        result["aws_summary"] = snake_answer(get_aws_opportunity_summary(client, catalog, identifier))
    if params["related_entities"]:
        related = result["opportunities"][0].get("related_entity_identifiers") or {}
        ids = [solution for solution in related.get("solutions") or [] if solution != "Other"]
        solutions = list_solutions(client, catalog, Identifier=ids) if ids else []
        result["related_solutions"] = [snake_answer(solution) for solution in solutions]
    return result


def run(module: Any) -> None:
    """Read-only: runs the same in check mode; bad input fails before any call."""
    params = module.params
    module.fail_on_problems(option_problems(params))

    client = module.partnercentral_client(config=client_config())
    try:
        if params["identifier"] is not None:
            result = read_one(client, params)
        else:
            listed = list_opportunities(
                client,
                params["catalog"],
                max_results=params["max_results"] or None,
                **{member: params[option] for member, option in OPTION_OF_FILTER.items()},
            )
            result = {"opportunities": [snake_answer(summary) for summary in listed]}
    except PartnerCentralError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, **result)

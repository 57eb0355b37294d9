# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The solution info module's glue: ListSolutions with the API's filters, then the names matched here."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import snake_answer
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.opportunities import list_solutions
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import client_config
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import SOLUTION_FILTER_LIMITS

OPTION_OF_FILTER = {"Identifier": "identifiers", "Category": "categories"}


def option_problems(params: Dict[str, Any]) -> List[str]:
    problems = []
    for member, limit in SOLUTION_FILTER_LIMITS.items():
        option = OPTION_OF_FILTER[member]
        if len(params[option]) > limit:
            problems.append(
                f"{option} takes at most {limit} values (ListSolutions' {member}), got {len(params[option])}"
            )
    return problems


def by_name(solutions: List[Dict[str, Any]], names: List[str]) -> List[Dict[str, Any]]:
    """The solutions whose name is one of names, compared without case (ListSolutions has no name filter)."""
    if not names:
        return solutions
    wanted = {name.casefold() for name in names}
    return [solution for solution in solutions if str(solution.get("Name", "")).casefold() in wanted]


def run(module: Any) -> None:
    """Read-only: runs the same in check mode; bad filters fail before any call."""
    params = module.params
    module.fail_on_problems(option_problems(params))

    client = module.partnercentral_client(config=client_config())
    try:
        solutions = list_solutions(
            client,
            params["catalog"],
            Status=params["statuses"],
            Identifier=params["identifiers"],
            Category=params["categories"],
        )
    except PartnerCentralError as e:
        module.fail_json_aws_error(e)
    found = by_name(solutions, params["names"])
    module.exit_json(
        changed=False,
        solutions=[snake_answer(solution) for solution in found],
        ids=[solution["Id"] for solution in found],
    )

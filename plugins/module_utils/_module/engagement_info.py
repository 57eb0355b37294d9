# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The engagement info module's glue: ListEngagements, GetEngagement per engagement on request, lead discovery.

Every read goes through the conversion engine's read pacer, at read_rate.
"""

from __future__ import annotations

import datetime
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import snake_answer
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import list_engagements
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import ITEM_ORIGINS
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import REQUEST_KEYS
from ansible_collections.partnercentral.selling.plugins.module_utils._discovery import LEAD
from ansible_collections.partnercentral.selling.plugins.module_utils._discovery import Discovery
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import conversion_engine
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import account_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import engagement_id_of
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import engagement_identifier_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import max_results_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import read_rate_problems

# The keys of a role item that discovery fills: the engagement and the lead context (no tags, no client token), the
# first two of the request's keys (a unit test checks that they stay so).
ITEM_KEYS = REQUEST_KEYS[:2]
DISCOVERY_ORIGIN = ITEM_ORIGINS[1]


def parse_created_after(value: Optional[str]) -> Optional[datetime.datetime]:
    """ISO 8601 date or date and time; without a zone it is UTC. Raises ValueError with the option named."""
    if value is None:
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"created_after must be an ISO 8601 date or date and time such as 2026-11-01 or 2026-11-01T08:00:00Z "
            f"(got {value!r})"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


def option_problems(params: Dict[str, Any]) -> List[str]:
    problems = max_results_problems(params["max_results"]) + max_results_problems(params["max_count"], "max_count")
    problems += read_rate_problems(params["read_rate"])
    problems += engagement_identifier_problems(params["engagement_ids"], "engagement_ids")
    problems += engagement_identifier_problems(params["exclude_engagement_ids"], "exclude_engagement_ids")
    problems += account_problems(params["created_by"], "created_by")
    problems += account_problems(params["exclude_created_by"], "exclude_created_by")
    try:
        parse_created_after(params["created_after"])
    except ValueError as e:
        problems.append(str(e))
    if params["unconverted_leads"]:
        if params["context_types"] and LEAD not in params["context_types"]:
            problems.append("unconverted_leads looks for Lead contexts: context_types must include Lead or be empty")
        if LEAD in params["exclude_context_types"]:
            problems.append("unconverted_leads looks for Lead contexts: exclude_context_types must not include Lead")
        if not params["qualification_statuses"]:
            problems.append("qualification_statuses must name at least one status with unconverted_leads")
    return problems


def run(module: Any) -> None:
    """Read-only: runs the same in check mode; bad options fail before any call."""
    params = module.params
    problems = option_problems(params)
    module.fail_on_problems(problems)

    leads_wanted = params["unconverted_leads"]
    contexts_wanted = params["contexts"] or leads_wanted
    engine = conversion_engine(module, catalog=params["catalog"], read_rate=params["read_rate"])
    # The engine's read pacer: one pace for the List, Get and task lookups of this run.
    pace = engine._pace_read
    excluded = {engagement_id_of(value) for value in params["exclude_engagement_ids"]}
    context_types = params["context_types"] or ([LEAD] if leads_wanted else [])
    answer: Dict[str, Any] = {"changed": False}
    try:
        summaries = list_engagements(
            engine.client,
            params["catalog"],
            engagement_ids=[engagement_id_of(value) for value in params["engagement_ids"]],
            created_by=params["created_by"],
            exclude_created_by=params["exclude_created_by"],
            context_types=context_types,
            exclude_context_types=params["exclude_context_types"],
            sort_by=params["sort_by"],
            sort_order=params["sort_order"],
            max_results=None if excluded else params["max_results"] or None,
            created_after=parse_created_after(params["created_after"]),
            pace=pace,
        )
        summaries = [summary for summary in summaries if summary.get("Id") not in excluded]
        if params["max_results"]:
            summaries = summaries[: params["max_results"]]
        discovery = Discovery(engine.client, params["catalog"], pace)
        if leads_wanted:
            found = discovery.unconverted_leads(summaries, params["qualification_statuses"], params["max_count"])
            full = {engagement["Id"]: engagement for engagement in found["engagements"]}
            answer["leads"] = found["leads"]
            answer["engagements_to_convert"] = [
                {
                    **{key: lead[key] for key in ITEM_KEYS},
                    "origin": DISCOVERY_ORIGIN,
                    "lead_contexts": lead["lead_contexts"],
                }
                for lead in found["leads"]
            ]
        elif contexts_wanted:
            full = {engagement["Id"]: engagement for engagement in discovery.read(summaries)}
        else:
            full = {}
    except PartnerCentralError as e:
        module.fail_json_aws_error(e, api_calls={"reads": engine.calls["reads"]})
    engagements = []
    for summary in summaries:
        engagement = snake_answer(summary)
        if summary["Id"] in full:
            engagement["contexts"] = snake_answer(full[summary["Id"]]).get("contexts", [])
        engagements.append(engagement)
    answer["engagements"] = engagements
    counts = dict(discovery.counts, engagements=len(summaries))
    answer["discovery"] = dict(counts, api_calls={"reads": engine.calls["reads"]})
    if leads_wanted:
        answer["msg"] = (
            f"{len(answer['leads'])} unconverted lead contexts selected of {counts['lead_contexts']} in "
            f"{counts['engagements_read']} engagements read ({counts['converted']} converted, "
            f"{counts['other_qualification']} of another qualification status, {counts['over_max_count']} over "
            f"max_count); {engine.calls['reads']} reads"
        )
    module.exit_json(**answer)

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The single-engagement module's glue: the request checked, a batch of one run, its item turned into the answer."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import Optional

from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import REQUEST_KEYS
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import conversion_engine
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import CREATED
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import STARTED
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import WOULD_CREATE
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import request_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import wait_timeout_problems

FACT_NAME = "partnercentral_opportunity_from_engagement_task"


def _diff(result: Dict[str, Any]) -> Dict[str, Any]:
    """Before/after of the context's opportunity: none -> the new one where this run converts."""
    context = f"{result['catalog']}/{result['engagement_id']}/context {result['context_identifier']}"
    after = {
        "context": context,
        "opportunity_id": result["opportunity_id"],
        "task_status": (result["task"] or {}).get("task_status"),
    }
    if result["status"] == WOULD_CREATE:
        after = {"context": context, "opportunity_id": "(created by the task)", "task_status": "COMPLETE"}
    before = (
        dict(after)
        if result["status"] not in (CREATED, STARTED, WOULD_CREATE)
        else {"context": context, "opportunity_id": None, "task_status": None}
    )
    return {"before": before, "after": after}


def run(module: Any) -> None:
    """The single-engagement module: a bad request fails before any API call, anything else is the engine's."""
    params = module.params
    request = {key: params[key] for key in REQUEST_KEYS}
    problems = request_problems(params["catalog"], **request) + wait_timeout_problems(params["wait_timeout"])
    module.fail_on_problems(problems, "request")

    engine = conversion_engine(
        module, catalog=params["catalog"], wait=params["wait"], wait_timeout=params["wait_timeout"]
    )
    result = engine.run([request])["items"][0]
    exit_with_item(module, result, engine.items[0].error)


def exit_with_item(module: Any, result: Dict[str, Any], error: Optional[Any] = None) -> None:
    """exit_json for a converted (or convertible) context, a failure with the task for anything else.

    A failure that an API error caused goes through amazon.aws's fail_json_aws (error code, request id, SDK
    versions); a FAILED task or a timeout fails with the task and its reason code.
    """
    answer: Dict[str, Any] = {"changed": result["changed"], "status": result["status"]}
    if result["client_token"]:
        answer["client_token"] = result["client_token"]
    if result["task"]:
        answer["task"] = result["task"]
        answer["ansible_facts"] = {FACT_NAME: result["task"]}
    if result["opportunity_id"]:
        answer["opportunity_id"] = result["opportunity_id"]
    if result["error"]:
        where = "engagement {engagement_id} context {context_identifier} in catalog {catalog}".format(**result)
        if error is not None:
            module.fail_json_aws_error(
                error,
                context=f"Conversion of {where} {result['status']}",
                reason_code=result["reason_code"],
                hint=result.get("hint"),
                **answer,
            )
        message = result["message"]
        if result["reason_code"]:
            message = f"{result['reason_code']}: {message}"
        # changed stays: a FAILED task started by this run is a change, and the next run starts a new attempt.
        module.fail_json(
            msg=f"Conversion of {where} {result['status']}: {message}. {result.get('hint', '')}".rstrip(),
            reason_code=result["reason_code"],
            **answer,
        )
    if module._diff:
        answer["diff"] = _diff(result)
    if result["status"] == WOULD_CREATE:
        answer["msg"] = "Would have started StartOpportunityFromEngagementTask if not in check mode"
    module.exit_json(**answer)

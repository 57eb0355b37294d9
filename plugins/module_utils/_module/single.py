# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Turns the engine's result for one item into the single-engagement module's answer."""

from __future__ import annotations

from typing import Any
from typing import Dict

from ansible_collections.partnercentral.selling.plugins.module_utils._engine import CREATED
from ansible_collections.partnercentral.selling.plugins.module_utils._engine import ERROR_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._engine import STARTED
from ansible_collections.partnercentral.selling.plugins.module_utils._engine import WOULD_CREATE

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


def exit_with_item(module: Any, result: Dict[str, Any]) -> None:
    """exit_json for a converted (or convertible) context, fail_json with the task for anything else."""
    answer: Dict[str, Any] = {"changed": result["changed"], "status": result["status"]}
    if result["client_token"]:
        answer["client_token"] = result["client_token"]
    if result["task"]:
        answer["task"] = result["task"]
        answer["ansible_facts"] = {FACT_NAME: result["task"]}
    if result["opportunity_id"]:
        answer["opportunity_id"] = result["opportunity_id"]
    if result["status"] in ERROR_STATUSES:
        where = "engagement {engagement_id} context {context_identifier} in catalog {catalog}".format(**result)
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

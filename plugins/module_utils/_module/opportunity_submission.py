# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The submission module's glue: the API layer's idempotent submission, its preflight refusals and FAILED tasks
turned into failures that list every problem, or the ReasonCode with a hint."""

from __future__ import annotations

import re
from typing import Any
from typing import Dict
from typing import List

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import snake_answer
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.opportunities import IN_PROGRESS
from ansible_collections.partnercentral.selling.plugins.module_utils._api.opportunities import OpportunityRefused
from ansible_collections.partnercentral.selling.plugins.module_utils._api.opportunities import submit_opportunity
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import client_config
from ansible_collections.partnercentral.selling.plugins.module_utils._hints import submission_hint
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import OPPORTUNITY_ID_PATTERN
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import wait_timeout_problems

FAILED = "FAILED"


def option_problems(params: Dict[str, Any]) -> List[str]:
    problems = wait_timeout_problems(params["wait_timeout"])
    if not re.fullmatch(OPPORTUNITY_ID_PATTERN, params["identifier"]):
        problems.append(f"identifier {params['identifier']!r} is not an opportunity id (O followed by up to 19 digits)")
    return problems


def run(module: Any) -> None:
    """Submit once; a re-run finds the opportunity submitted (or its task running) and sends nothing."""
    params = module.params
    module.fail_on_problems(option_problems(params))
    identifier = params["identifier"]

    client = module.partnercentral_client(config=client_config())
    try:
        outcome = submit_opportunity(
            client,
            params["catalog"],
            identifier,
            params["involvement_type"],
            visibility=params["visibility"],
            wait=params["wait"],
            wait_timeout=params["wait_timeout"],
            check_mode=module.check_mode,
        )
    except OpportunityRefused as refused:
        module.fail_json(
            msg=f"{identifier} cannot be submitted, nothing was sent: " + "; ".join(refused.problems),
            problems=refused.problems,
            changed=False,
        )
    except PartnerCentralError as e:
        module.fail_json_aws_error(e)

    result: Dict[str, Any] = {
        "changed": outcome.changed,
        "opportunity": snake_answer(outcome.after or {}),
        "task": snake_answer(outcome.task) if outcome.task else None,
    }
    task = outcome.task or {}
    if outcome.writes and task.get("TaskStatus") == FAILED:
        reason = task.get("ReasonCode")
        module.fail_json(
            msg=f"The submission of {identifier} FAILED ({reason}): {task.get('Message', '')}",
            reason_code=reason,
            hint=submission_hint(reason),
            **result,
        )
    if params["wait"] and task.get("TaskStatus") == IN_PROGRESS:
        module.fail_json(
            msg=(
                f"The submission task {task.get('TaskId')} of {identifier} was still running after "
                f"{params['wait_timeout']} s; a re-run adopts it and waits again (no new task is started)"
            ),
            **result,
        )
    module.exit_json(**result)

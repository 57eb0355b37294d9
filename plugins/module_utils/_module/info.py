# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The info module's glue: its filters handed to the API layer's find_tasks, the tasks answered in snake_case."""

from __future__ import annotations

from typing import Any

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import snake_answer
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import client_config
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import find_tasks
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import engagement_id_of


def run(module: Any) -> None:
    """Read-only: runs the same in check mode; an API error fails the module through fail_json_aws_error."""
    params = module.params
    if params["max_results"] < 0:
        module.fail_json(msg=f"max_results must be 0 (all) or more (got {params['max_results']})")

    client = module.partnercentral_client(config=client_config())
    try:
        tasks = find_tasks(
            client,
            params["catalog"],
            task_ids=params["task_ids"],
            engagement_ids=[engagement_id_of(engagement) for engagement in params["engagement_ids"]],
            context_ids=params["context_ids"],
            opportunity_ids=params["opportunity_ids"],
            statuses=params["statuses"],
            sort_order=params["sort_order"],
            max_results=params["max_results"] or None,
        )
    except PartnerCentralError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, tasks=[snake_answer(task) for task in tasks])

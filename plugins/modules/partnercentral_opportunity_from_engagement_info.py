#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: partnercentral_opportunity_from_engagement_info
short_description: List the tasks that create opportunities from AWS Partner Central engagements
version_added: 1.0.0
description:
  - Lists C(OpportunityFromEngagement) tasks with C(ListOpportunityFromEngagementTasks), following pagination.
  - Filters combine with AND. Filter lists longer than the API's limit of 10 values are split into several calls
    and the results merged, without duplicates.
  - Read-only; runs the same in check mode.
author:
  - partnercentral.selling maintainers (@partnercentral-selling)
options:
  catalog:
    description:
      - The catalog to list tasks of.
    type: str
    required: true
    choices: [AWS, Sandbox]
  task_ids:
    description:
      - Only these tasks (task ids or ARNs).
    type: list
    elements: str
    default: []
  engagement_ids:
    description:
      - Only tasks of these engagements (engagement ids or ARNs).
    type: list
    elements: str
    default: []
  context_ids:
    description:
      - Only tasks whose context is one of these.
    type: list
    elements: str
    default: []
  opportunity_ids:
    description:
      - Only tasks that created one of these opportunities.
    type: list
    elements: str
    default: []
  statuses:
    description:
      - Only tasks in these states.
    type: list
    elements: str
    choices: [IN_PROGRESS, COMPLETE, FAILED]
    default: []
  sort_order:
    description:
      - Order of the tasks by start time.
    type: str
    choices: [ASCENDING, DESCENDING]
    default: DESCENDING
  max_results:
    description:
      - Return at most this many tasks (the newest or oldest first, by O(sort_order)). V(0) returns all.
    type: int
    default: 0
notes:
  - The IAM action used is C(partnercentral:ListOpportunityFromEngagementTasks).
extends_documentation_fragment:
  - partnercentral.selling.partnercentral
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The tasks of two engagements
  partnercentral.selling.partnercentral_opportunity_from_engagement_info:
    catalog: Sandbox
    engagement_ids:
      - eng-abcdefghij0123
      - eng-abcdefghij0456
  register: found

- name: The ten newest failed tasks
  partnercentral.selling.partnercentral_opportunity_from_engagement_info:
    catalog: AWS
    statuses: [FAILED]
    max_results: 10
  register: failures
"""

RETURN = r"""
tasks:
  description: The tasks found, sorted by start time.
  returned: always
  type: list
  elements: dict
  contains:
    task_id:
      description: The id of the task.
      type: str
      returned: always
      sample: task-1a2b3c4d5e6f7
    task_arn:
      description: The ARN of the task.
      type: str
      returned: always
      sample: arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/task/task-1a2b3c4d5e6f7
    start_time:
      description: When the task started (ISO 8601).
      type: str
      returned: always
      sample: "2026-11-26T10:00:00+00:00"
    task_status:
      description: V(IN_PROGRESS), V(COMPLETE) or V(FAILED).
      type: str
      returned: always
      sample: COMPLETE
    message:
      description: The service's message about a failure.
      type: str
      returned: when the task failed
      sample: The lead is disqualified.
    reason_code:
      description: Why the task failed.
      type: str
      returned: when the task failed
      sample: DisqualifiedLeadNotPermitted
    opportunity_id:
      description: The opportunity created by the task.
      type: str
      returned: when the task is complete
      sample: O1234567
    resource_snapshot_job_id:
      description: The resource snapshot job created with the opportunity.
      type: str
      returned: when the task is complete
      sample: job-1a2b3c4d5e6f7
    engagement_id:
      description: The engagement of the task.
      type: str
      returned: always
      sample: eng-abcdefghij0123
    context_id:
      description: The context the service reports for the task.
      type: str
      returned: always
      sample: "2"
"""

from ansible_collections.partnercentral.selling.plugins.module_utils._api import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api import client_config
from ansible_collections.partnercentral.selling.plugins.module_utils._api import find_tasks
from ansible_collections.partnercentral.selling.plugins.module_utils._api import normalize_task
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import PartnerCentralModule
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import engagement_id_of


def main():
    argument_spec = dict(
        catalog=dict(type="str", required=True, choices=["AWS", "Sandbox"]),
        task_ids=dict(type="list", elements="str", default=[]),
        engagement_ids=dict(type="list", elements="str", default=[]),
        context_ids=dict(type="list", elements="str", default=[]),
        opportunity_ids=dict(type="list", elements="str", default=[]),
        statuses=dict(type="list", elements="str", default=[], choices=["IN_PROGRESS", "COMPLETE", "FAILED"]),
        sort_order=dict(type="str", default="DESCENDING", choices=["ASCENDING", "DESCENDING"]),
        max_results=dict(type="int", default=0),
    )
    module = PartnerCentralModule(argument_spec=argument_spec, supports_check_mode=True)
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
        module.fail_json(msg=e.message, error_code=e.code)
    module.exit_json(changed=False, tasks=[normalize_task(task) for task in tasks])


if __name__ == "__main__":
    main()

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
author:
  - partnercentral.selling maintainers (@partnercentral-selling)
options:
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
  - A failed call returns the error code (C(error_code), C(error.code)), the request id
    (C(response_metadata.request_id)) and the boto3 and botocore versions, as the amazon.aws modules do.
attributes:
  check_mode:
    support: full
    details:
      - This module does not modify state.
  diff_mode:
    support: N/A
    details:
      - This module does not modify state.
extends_documentation_fragment:
  - partnercentral.selling._options.CATALOG
  - partnercentral.selling._attributes
  - partnercentral.selling._attributes.ACTIONGROUP
  - partnercentral.selling.partnercentral
  - amazon.aws.common.modules
  - amazon.aws.region.modules
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

from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import CATALOG_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import argument_spec
from ansible_collections.partnercentral.selling.plugins.module_utils._module.info import run
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import PartnerCentralModule


def main():
    spec = argument_spec(
        CATALOG_ARG_SPEC,
        task_ids=dict(type="list", elements="str", default=[]),
        engagement_ids=dict(type="list", elements="str", default=[]),
        context_ids=dict(type="list", elements="str", default=[]),
        opportunity_ids=dict(type="list", elements="str", default=[]),
        statuses=dict(type="list", elements="str", default=[], choices=["IN_PROGRESS", "COMPLETE", "FAILED"]),
        sort_order=dict(type="str", default="DESCENDING", choices=["ASCENDING", "DESCENDING"]),
        max_results=dict(type="int", default=0),
    )
    run(PartnerCentralModule(argument_spec=spec, supports_check_mode=True))


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: partnercentral_opportunity_from_engagement
short_description: Create an opportunity from an AWS Partner Central engagement context
version_added: 1.0.0
description:
  - Starts C(StartOpportunityFromEngagementTask) for one engagement context (a lead that AWS shared with the
    partner) and waits for the task to finish.
  - Idempotent across re-runs. Without O(client_token) the module derives a stable client token from O(catalog),
    the engagement and O(context_identifier), and first looks up earlier tasks with
    C(ListOpportunityFromEngagementTasks). A context that an earlier run converted reports C(changed=false) with the
    earlier task and opportunity, without any write call. A task that an interrupted run left C(IN_PROGRESS) is
    adopted and waited on, not started again. After a C(FAILED) task a re-run starts a new attempt with a new token.
  - The service may answer a C(ContextId) other than the requested one (the new C(CustomerProject) context). A task
    of the engagement whose C(ContextId) is newer (a higher id) than the requested context is taken as the conversion
    of the requested context only when no other lead of the engagement can hold it. Where the task list leaves room
    for another lead, the module reads the engagement's lead contexts (C(GetEngagement), one read); where even they
    cannot tell, it replays the stable client token, which the service answers with the earlier task of that token
    or by converting the lead. The lead contexts of an engagement with several can so be converted one call each, in
    any order.
  - One retry policy, shared by every module of the collection and described in the user guide under Retries and
    throttling. A throttled start (C(ThrottlingException)) is sent again at the next write slot, slower after each
    throttle (the account's other clients share its write quota), until O(wait_timeout) from the first Start
    request; a server error after a short backoff, at most 10 failed Start requests; always with the same client
    token. A read retries throttling and server errors with jittered backoff, at most 8 requests per call; botocore
    itself retries nothing. Access denied, not found and validation errors fail at once.
  - For many engagements use the P(partnercentral.selling.partnercentral_opportunities_from_engagements#module)
    module or the C(partnercentral.selling.opportunities_from_engagements) role, which share this module's engine
    and run at the API's write quota.
author:
  - partnercentral.selling maintainers (@partnercentral-selling)
options: {}
notes:
  - The IAM actions used are C(partnercentral:StartOpportunityFromEngagementTask),
    C(partnercentral:ListOpportunityFromEngagementTasks) and C(partnercentral:GetEngagement) (only when an earlier task
    may be another lead's; without it the module replays the client token instead, one more write call).
  - A failure that an API error caused (for example C(AccessDeniedException)) returns the error code
    (RV(error_code), C(error.code)), the request id (C(response_metadata.request_id)) and the boto3 and botocore
    versions, as the amazon.aws modules do.
attributes:
  check_mode:
    support: full
    details:
      - Makes no write call; reports C(changed=true) only where a real run would start a task.
  diff_mode:
    support: full
    details:
      - Shows the opportunity of the context before and after.
extends_documentation_fragment:
  - partnercentral.selling._options.CATALOG
  - partnercentral.selling._options.REQUEST
  - partnercentral.selling._options.WAIT
  - partnercentral.selling._attributes
  - partnercentral.selling._attributes.ACTIONGROUP
  - partnercentral.selling.partnercentral
  - amazon.aws.common.modules
  - amazon.aws.region.modules
"""

EXAMPLES = r"""
- name: Convert the lead context of an engagement into an opportunity (Sandbox catalog)
  partnercentral.selling.partnercentral_opportunity_from_engagement:
    catalog: Sandbox
    identifier: eng-abcdefghij0123
    context_identifier: "1"
  register: conversion

- name: Show the opportunity
  ansible.builtin.debug:
    msg: "{{ conversion.opportunity_id }}"

- name: Start the conversion with tags and do not wait for it
  partnercentral.selling.partnercentral_opportunity_from_engagement:
    catalog: AWS
    identifier: arn:aws:partnercentral:us-east-1:123456789012:catalog/AWS/engagement/eng-abcdefghij0123
    context_id: "1"
    tags:
      source: ansible
      campaign: q4-leads
    wait: false

- name: Connection options for every module of the collection
  module_defaults:
    group/partnercentral.selling.partnercentral:
      profile: partner-account
  block:
    - name: Convert with the profile's credentials
      partnercentral.selling.partnercentral_opportunity_from_engagement:
        catalog: Sandbox
        identifier: eng-abcdefghij0123
        context_identifier: "1"
"""

RETURN = r"""
task:
  description: The task of the conversion, as started by this run or found from an earlier run.
  returned: when a task exists or was started
  type: dict
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
      description: Why the task failed, for example V(ContextNotFound) or V(DisqualifiedLeadNotPermitted).
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
      description: The context the service reports for the task; it can differ from the requested context.
      type: str
      returned: always
      sample: "2"
    tags:
      description: The tags sent with the start of the task by this run.
      type: dict
      returned: when O(tags) was set
      sample: {"source": "ansible"}
opportunity_id:
  description: The opportunity of the context, when known.
  returned: when the task is complete
  type: str
  sample: O1234567
status:
  description:
    - What the module did. V(created) (started and complete), V(started) (started, not waited on),
      V(already_done) (an earlier run converted the context), V(adopted) (an earlier run started the task, this run
      waited for it), V(in_progress) (an earlier task is still running), V(would_create) (check mode).
  returned: always
  type: str
  sample: created
client_token:
  description: The client token sent with the start, when one was sent.
  returned: when a task was started or would be started
  type: str
  sample: ansible-pcs-3f1e0c9b2a7d4e5f60718293a4b5c6d7e8f90a1b
error_code:
  description: The AWS error code (or the botocore error class) of the API error that made the module fail.
  returned: when an API error made the module fail
  type: str
  sample: AccessDeniedException
ansible_facts:
  description: The task as a fact.
  returned: when a task exists or was started
  type: dict
  contains:
    partnercentral_opportunity_from_engagement_task:
      description: The same value as RV(task).
      type: dict
      returned: when a task exists or was started
      sample: {"task_id": "task-1a2b3c4d5e6f7", "task_status": "COMPLETE", "opportunity_id": "O1234567"}
"""

from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import CATALOG_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import REQUEST_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import WAIT_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import argument_spec
from ansible_collections.partnercentral.selling.plugins.module_utils._module.single import run
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import PartnerCentralModule


def main():
    spec = argument_spec(CATALOG_ARG_SPEC, REQUEST_ARG_SPEC, WAIT_ARG_SPEC)
    run(PartnerCentralModule(argument_spec=spec, supports_check_mode=True))


if __name__ == "__main__":
    main()

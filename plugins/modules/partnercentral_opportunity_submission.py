#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: partnercentral_opportunity_submission
short_description: Submit an opportunity of AWS Partner Central to AWS for co-selling, once
version_added: 1.2.0
description:
  - Submits an opportunity to AWS with C(StartEngagementFromOpportunityTask) and, with O(wait), waits for the task.
    A successful submission moves the opportunity's review status from V(Pending Submission) to V(Submitted).
  - Idempotent. An opportunity no longer V(Pending Submission) is left alone (C(changed=false)); a submission task
    still running is adopted and waited on instead of starting another; the client token is the same on every run.
  - Before any write the opportunity is read and checked against what AWS refuses (no associated solution, a
    V(Closed Lost) stage, the fields required for submission missing); every problem found is listed in
    RV(problems) and nothing is sent. The check runs in check mode too.
  - A task that ends V(FAILED) fails the module with its C(ReasonCode) in RV(reason_code) and what to do in RV(hint).
author:
  - partnercentral.selling maintainers (@partnercentral-selling)
options:
  identifier:
    description:
      - The opportunity to submit, by its id (C(O) followed by digits).
    type: str
    required: true
  involvement_type:
    description:
      - V(Co-Sell) asks AWS to sell with the partner; V(For Visibility Only) shares the opportunity without AWS's
        involvement.
    type: str
    required: true
    choices: [For Visibility Only, Co-Sell]
  visibility:
    description:
      - V(Full) shares the opportunity in full with AWS, V(Limited) shares less. The service's default applies when
        not given.
    type: str
    choices: [Full, Limited]
  wait:
    description:
      - Wait until the submission task is V(COMPLETE) or V(FAILED).
    type: bool
    default: true
  wait_timeout:
    description:
      - How long to wait for the task, in seconds. A task still running then fails the module with its id; a re-run
        adopts it and waits again.
    type: int
    default: 600
notes:
  - The IAM actions used are C(partnercentral:GetOpportunity), C(partnercentral:ListEngagementFromOpportunityTasks)
    and C(partnercentral:StartEngagementFromOpportunityTask).
  - A failed call returns the error code (C(error_code), C(error.code)), the request id
    (C(response_metadata.request_id)) and the boto3 and botocore versions, as the amazon.aws modules do.
seealso:
  - module: partnercentral.selling.partnercentral_opportunity_info
  - module: partnercentral.selling.partnercentral_solution_info
attributes:
  check_mode:
    support: full
    details:
      - In check mode the opportunity is read and checked; nothing is sent. C(changed) says whether a submission
        would start.
  diff_mode:
    support: none
extends_documentation_fragment:
  - partnercentral.selling._options.CATALOG
  - partnercentral.selling._attributes
  - partnercentral.selling._attributes.ACTIONGROUP
  - partnercentral.selling.partnercentral
  - amazon.aws.common.modules
  - amazon.aws.region.modules
"""

EXAMPLES = r"""
- name: Convert a lead into an opportunity
  partnercentral.selling.partnercentral_opportunity_from_engagement:
    catalog: Sandbox
    identifier: eng-abcdefghij0123
    context_identifier: "1"
  register: conversion

- name: Check whether it can be submitted (nothing is sent)
  partnercentral.selling.partnercentral_opportunity_submission:
    catalog: Sandbox
    identifier: "{{ conversion.opportunity_id }}"
    involvement_type: Co-Sell
    visibility: Full
  check_mode: true
  register: submission
  ignore_errors: true

- name: Show what is missing
  ansible.builtin.debug:
    msg: "{{ submission.problems | default([]) }}"
"""

RETURN = r"""
opportunity:
  description: The opportunity as read after the submission (before it in check mode), in snake_case.
  returned: always
  type: dict
  sample:
    id: O1234567
    catalog: Sandbox
    life_cycle: {"stage": "Prospect", "review_status": "Submitted"}
    related_entity_identifiers: {"solutions": ["S-0000001"]}
task:
  description: The submission task started or adopted, as C(ListEngagementFromOpportunityTasks) last answered it;
    null when none was started.
  returned: always
  type: dict
  sample:
    task_id: task-1a2b3c4d5e6f7
    task_status: COMPLETE
    opportunity_id: O1234567
    engagement_id: eng-abcdefghij0123
problems:
  description: What stands in the way of the submission, each naming the option that fixes it. Nothing was sent.
  returned: when the opportunity cannot be submitted
  type: list
  elements: str
  sample: ["no solution is associated: associate at least one"]
reason_code:
  description: The C(ReasonCode) of a FAILED submission task.
  returned: when the task FAILED
  type: str
  sample: OpportunityValidationFailed
hint:
  description: What to do about a FAILED submission task.
  returned: when the task FAILED
  type: str
  sample: "AWS refused the opportunity as it is: complete it, associate a solution, re-run."
"""

from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import CATALOG_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import INVOLVEMENT_TYPES
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import VISIBILITIES
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import WAIT_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import argument_spec
from ansible_collections.partnercentral.selling.plugins.module_utils._module.opportunity_submission import run
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import PartnerCentralModule


def main():
    spec = argument_spec(
        CATALOG_ARG_SPEC,
        WAIT_ARG_SPEC,
        identifier=dict(type="str", required=True),
        involvement_type=dict(type="str", required=True, choices=list(INVOLVEMENT_TYPES)),
        visibility=dict(type="str", choices=list(VISIBILITIES)),
    )
    run(PartnerCentralModule(argument_spec=spec, supports_check_mode=True))


if __name__ == "__main__":
    main()

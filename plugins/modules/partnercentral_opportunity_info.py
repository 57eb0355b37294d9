#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: partnercentral_opportunity_info
short_description: List the opportunities of AWS Partner Central, or read one with AWS's view of it
version_added: 1.2.0
description:
  - With O(identifier), reads one opportunity in full with C(GetOpportunity); on request also AWS's view of it
    (C(GetAwsOpportunitySummary)) and the solutions associated with it (C(ListSolutions)).
  - Without it, lists opportunities with C(ListOpportunities) and its filters, following pagination, the most
    recently modified first.
  - Filters combine with AND, the values of one filter with OR.
author:
  - partnercentral.selling maintainers (@partnercentral-selling)
options:
  identifier:
    description:
      - One opportunity to read in full, by its id (C(O) followed by digits).
      - The list filters are not used with it.
    type: str
  aws_summary:
    description:
      - With O(identifier), also return AWS's view of the opportunity in RV(aws_summary) (involvement type,
        visibility, AWS's stage and team, insights).
    type: bool
    default: false
  related_entities:
    description:
      - With O(identifier), also return the associated solutions in full in RV(related_solutions). The ids of every
        associated entity (solutions, AWS products, AWS Marketplace offers) are in the opportunity's
        C(related_entity_identifiers) in any case.
    type: bool
    default: false
  identifiers:
    description:
      - Only these opportunities, by id. At most 20.
    type: list
    elements: str
    default: []
  lifecycle_stages:
    description:
      - Only opportunities at these stages.
    type: list
    elements: str
    choices: [Prospect, Qualified, Technical Validation, Business Validation, Committed, Launched, Closed Lost]
    default: []
  review_statuses:
    description:
      - Only opportunities in these review states. An opportunity a conversion created is V(Pending Submission).
    type: list
    elements: str
    choices: [Pending Submission, Submitted, In review, Approved, Rejected, Action Required]
    default: []
  customer_company_names:
    description:
      - Only opportunities of these customers (the whole company name). At most 10.
    type: list
    elements: str
    default: []
  max_results:
    description:
      - Return at most this many opportunities. V(0) returns all. The module follows pagination itself.
    type: int
    default: 0
notes:
  - The IAM actions used are C(partnercentral:ListOpportunities) and, with O(identifier),
    C(partnercentral:GetOpportunity); with O(aws_summary) C(partnercentral:GetAwsOpportunitySummary); with
    O(related_entities) C(partnercentral:ListSolutions).
  - A failed call returns the error code (C(error_code), C(error.code)), the request id
    (C(response_metadata.request_id)) and the boto3 and botocore versions, as the amazon.aws modules do.
seealso:
  - module: partnercentral.selling.partnercentral_opportunity_from_engagement
  - module: partnercentral.selling.partnercentral_solution_info
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
- name: The opportunities not submitted to AWS yet
  partnercentral.selling.partnercentral_opportunity_info:
    catalog: Sandbox
    review_statuses: [Pending Submission]
  register: pending

- name: Convert a lead into an opportunity
  partnercentral.selling.partnercentral_opportunity_from_engagement:
    catalog: Sandbox
    identifier: eng-abcdefghij0123
    context_identifier: "1"
  register: conversion

- name: The new opportunity in full, with AWS's view and its solutions
  partnercentral.selling.partnercentral_opportunity_info:
    catalog: Sandbox
    identifier: "{{ conversion.opportunity_id }}"
    aws_summary: true
    related_entities: true
  register: opportunity

- name: Show its stage and review status
  ansible.builtin.debug:
    msg: "{{ opportunity.opportunities[0].life_cycle }}"
"""

RETURN = r"""
opportunities:
  description:
    - The opportunities found, in snake_case, timestamps in ISO 8601.
    - A listing returns the summaries of C(ListOpportunities); with O(identifier), the opportunity in full as
      C(GetOpportunity) answers it.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The id of the opportunity.
      type: str
      returned: always
      sample: O1234567
    arn:
      description: The ARN of the opportunity.
      type: str
      returned: always
      sample: arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/opportunity/O1234567
    catalog:
      description: The catalog of the opportunity.
      type: str
      returned: always
      sample: Sandbox
    partner_opportunity_identifier:
      description: The partner's own reference of the opportunity.
      type: str
      returned: when set
      sample: CRM-0042
    opportunity_type:
      description: V(Net New Business), V(Flat Renewal) or V(Expansion).
      type: str
      returned: when set
      sample: Net New Business
    life_cycle:
      description: The stage, review status and target close date of the opportunity.
      type: dict
      returned: always
      sample: {"stage": "Prospect", "review_status": "Pending Submission", "target_close_date": "2026-12-31"}
    customer:
      description: The customer's account (company, industry, address...) and, in full, its contacts.
      type: dict
      returned: always
      sample: {"account": {"company_name": "AnyCompany", "industry": "Retail"}}
    project:
      description: The project (title, business problem, expected spend...).
      type: dict
      returned: when set
      sample: {"title": "Data platform migration"}
    related_entity_identifiers:
      description: The ids of the associated solutions, AWS products and AWS Marketplace offers.
      type: dict
      returned: with O(identifier)
      sample: {"solutions": ["S-0000001"]}
    created_date:
      description: When the opportunity was created (ISO 8601).
      type: str
      returned: always
      sample: "2026-11-26T10:00:00+00:00"
    last_modified_date:
      description: When the opportunity last changed (ISO 8601).
      type: str
      returned: always
      sample: "2026-11-27T10:00:00+00:00"
aws_summary:
  description: AWS's view of the opportunity (C(GetAwsOpportunitySummary)) in snake_case.
  returned: with O(identifier) and O(aws_summary)
  type: dict
  sample:
    related_opportunity_id: O1234567
    involvement_type: Co-Sell
    visibility: Full
    origin: Partner Referral
related_solutions:
  description: The solutions associated with the opportunity, as C(ListSolutions) answers them, in snake_case.
  returned: with O(identifier) and O(related_entities)
  type: list
  elements: dict
  sample: [{"id": "S-0000001", "name": "Data platform", "status": "Active", "category": "Software Product"}]
"""

from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import CATALOG_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import LIFECYCLE_STAGES
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import REVIEW_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import argument_spec
from ansible_collections.partnercentral.selling.plugins.module_utils._module.opportunity_info import run
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import PartnerCentralModule


def main():
    spec = argument_spec(
        CATALOG_ARG_SPEC,
        identifier=dict(type="str"),
        aws_summary=dict(type="bool", default=False),
        related_entities=dict(type="bool", default=False),
        identifiers=dict(type="list", elements="str", default=[]),
        lifecycle_stages=dict(type="list", elements="str", default=[], choices=list(LIFECYCLE_STAGES)),
        review_statuses=dict(type="list", elements="str", default=[], choices=list(REVIEW_STATUSES)),
        customer_company_names=dict(type="list", elements="str", default=[]),
        max_results=dict(type="int", default=0),
    )
    run(PartnerCentralModule(argument_spec=spec, supports_check_mode=True))


if __name__ == "__main__":
    main()

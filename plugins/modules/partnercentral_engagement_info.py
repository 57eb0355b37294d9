#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: partnercentral_engagement_info
short_description: List AWS Partner Central engagements and discover the lead contexts not converted yet
version_added: 1.1.0
description:
  - Lists engagements with C(ListEngagements) and every filter of the API, following pagination, and with
    O(contexts=true) reads each engagement's contexts with C(GetEngagement).
  - With O(unconverted_leads=true) it answers the lead contexts that are not converted into opportunities yet,
    with each lead's qualification status and customer (RV(leads)), and the same leads as items of the
    C(partnercentral_engagements) list of the C(partnercentral.selling.opportunities_from_engagements) role and of
    M(partnercentral.selling.partnercentral_opportunities_from_engagements) (RV(engagements_to_convert)), to pass
    on unchanged.
  - A lead context counts as converted from the service's own data only, never from local state, with the
    conversion engine's rule over the engagement's qualified lead contexts. A V(COMPLETE) or V(IN_PROGRESS)
    conversion task (C(ListOpportunityFromEngagementTasks)) whose context is the lead's; or a task naming a newer
    context (the service may answer the id of the CustomerProject context that the conversion created) that no
    other qualified lead of the engagement can hold; or, on an engagement with exactly one lead context, a
    C(CustomerProject) context. Where the tasks cannot say which lead they came from (two leads, one task naming a
    new context), the leads are listed; converting one that was converted already replays the collection's stable
    client token and creates nothing.
  - Reads are paced at O(read_rate), the engagements read in groups of 10 (ten C(GetEngagement) calls, then one
    task lookup for the ten). 1,000 engagements cost about 1,110 reads, 222 seconds at the default rate.
author:
  - partnercentral.selling maintainers (@partnercentral-selling)
options:
  engagement_ids:
    description:
      - Only these engagements (engagement ids or ARNs). More than 10 are split into several calls.
    type: list
    elements: str
    default: []
  exclude_engagement_ids:
    description:
      - Leave these engagements out (engagement ids or ARNs), for example leads a person handles by hand.
    type: list
    elements: str
    default: []
  context_types:
    description:
      - Only engagements that hold a context of one of these types.
      - With O(unconverted_leads=true) and no value, V([Lead]).
    type: list
    elements: str
    choices: [CustomerProject, Lead, ProspectingResult, CustomerAccount]
    default: []
  exclude_context_types:
    description:
      - Leave out the engagements that hold a context of one of these types.
      - V([CustomerProject]) leaves out every engagement with a converted lead, also those with a second lead not
        converted yet; O(unconverted_leads=true) does not need it.
    type: list
    elements: str
    choices: [CustomerProject, Lead, ProspectingResult, CustomerAccount]
    default: []
  created_by:
    description:
      - Only engagements created by these AWS accounts (12-digit ids or aliases).
    type: list
    elements: str
    default: []
  exclude_created_by:
    description:
      - Leave out the engagements created by these AWS accounts.
    type: list
    elements: str
    default: []
  created_after:
    description:
      - Only engagements created at or after this time, an ISO 8601 date or date and time (UTC when it has no
        zone), for example V(2026-11-01) or V(2026-11-01T08:00:00Z).
      - A lead context added later to an older engagement is not found with it.
    type: str
  sort_by:
    description:
      - The sort key of the engagements.
    type: str
    choices: [CreatedDate]
    default: CreatedDate
  sort_order:
    description:
      - Oldest (V(ASCENDING)) or newest (V(DESCENDING)) first. Oldest first is the default, so that O(max_count)
        takes the oldest leads first and no lead waits for ever behind newer ones.
    type: str
    choices: [ASCENDING, DESCENDING]
    default: ASCENDING
  max_results:
    description:
      - List at most this many engagements, in the order of O(sort_order). V(0) lists all.
    type: int
    default: 0
  contexts:
    description:
      - Read each engagement's contexts (C(GetEngagement), one read per engagement) into RV(engagements).
    type: bool
    default: false
  unconverted_leads:
    description:
      - Answer the lead contexts not converted yet in RV(leads) and RV(engagements_to_convert). Implies
        O(contexts=true).
    type: bool
    default: false
  qualification_statuses:
    description:
      - With O(unconverted_leads=true), only leads whose qualification status is one of these. Partner Central
        uses V(Qualified), V(Unqualified) and V(Disqualified); a disqualified lead cannot be converted.
    type: list
    elements: str
    default: [Qualified]
  max_count:
    description:
      - With O(unconverted_leads=true), select at most this many leads; reading stops once they are found. V(0)
        selects all.
    type: int
    default: 0
notes:
  - The IAM actions used are C(partnercentral:ListEngagements), and with O(contexts) or O(unconverted_leads)
    C(partnercentral:GetEngagement), and with O(unconverted_leads) C(partnercentral:ListOpportunityFromEngagementTasks).
  - An engagement shared by an invitation is listed once the invitation is accepted; see
    M(partnercentral.selling.partnercentral_engagement_invitation).
  - A failed call returns the error code (C(error_code), C(error.code)), the request id
    (C(response_metadata.request_id)) and the boto3 and botocore versions, as the amazon.aws modules do.
seealso:
  - module: partnercentral.selling.partnercentral_opportunities_from_engagements
  - module: partnercentral.selling.partnercentral_engagement_invitation_info
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
  - partnercentral.selling._options.READ_RATE
  - partnercentral.selling._attributes
  - partnercentral.selling._attributes.ACTIONGROUP
  - partnercentral.selling.partnercentral
  - amazon.aws.common.modules
  - amazon.aws.region.modules
"""

EXAMPLES = r"""
- name: The qualified leads not converted yet, at most 50, oldest first
  partnercentral.selling.partnercentral_engagement_info:
    catalog: Sandbox
    unconverted_leads: true
    max_count: 50
  register: discovered

- name: Convert them (the same items as an explicit list)
  partnercentral.selling.partnercentral_opportunities_from_engagements:
    catalog: Sandbox
    engagements: "{{ discovered.engagements_to_convert }}"
  when: discovered.engagements_to_convert | length > 0

- name: Engagements with a lead context and their contexts
  partnercentral.selling.partnercentral_engagement_info:
    catalog: Sandbox
    context_types: [Lead]
    engagement_ids:
      - eng-abcdefghij0123
    contexts: true
  register: found
"""

RETURN = r"""
engagements:
  description:
    - The engagements listed (C(ListEngagements) summaries in snake_case, timestamps in ISO 8601), in the order of
      O(sort_order); with O(contexts) or O(unconverted_leads), the engagements read also carry their C(contexts).
  returned: always
  type: list
  elements: dict
  sample:
    - id: eng-abcdefghij0123
      arn: arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement/eng-abcdefghij0123
      title: Migration of the ERP
      created_at: "2026-11-20T09:00:00+00:00"
      created_by: "999988887777"
      modified_at: "2026-11-26T10:00:00+00:00"
      modified_by: "123456789012"
      member_count: 2
      context_types: [Lead]
      contexts:
        - id: "1"
          type: Lead
          payload:
            lead:
              qualification_status: Qualified
              customer: {company_name: AnyCompany, industry: Retail}
              interactions: [{source_type: Event, contact: {business_title: CTO}}]
leads:
  description: The lead contexts not converted yet that match O(qualification_statuses), at most O(max_count).
  returned: with O(unconverted_leads)
  type: list
  elements: dict
  contains:
    identifier:
      description: The engagement id.
      type: str
      returned: always
      sample: eng-abcdefghij0123
    context_identifier:
      description: The lead context's id.
      type: str
      returned: always
      sample: "1"
    catalog:
      description: The catalog.
      type: str
      returned: always
      sample: Sandbox
    engagement_arn:
      description: The engagement's ARN.
      type: str
      returned: always
      sample: arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement/eng-abcdefghij0123
    engagement_title:
      description: The engagement's title.
      type: str
      returned: always
      sample: Migration of the ERP
    engagement_created_at:
      description: When the engagement was created (ISO 8601).
      type: str
      returned: always
      sample: "2026-11-20T09:00:00+00:00"
    engagement_created_by:
      description: The account that created the engagement.
      type: str
      returned: always
      sample: "999988887777"
    qualification_status:
      description: The lead's qualification status.
      type: str
      returned: always
      sample: Qualified
    customer:
      description: The lead's customer (C(LeadCustomer) of the API in snake_case).
      type: dict
      returned: always
      sample: {company_name: AnyCompany, industry: Retail, market_segment: SMB, address: {country_code: FR}}
    interactions:
      description: The lead's interactions.
      type: list
      elements: dict
      returned: always
      sample: [{source_type: Event, usecase: Migration, contact: {business_title: CTO}}]
    lead_contexts:
      description:
        - The engagement's qualified lead contexts, which can hold a conversion task (see RV(engagements_to_convert)).
      type: list
      elements: str
      returned: always
      sample: ["1", "2"]
engagements_to_convert:
  description:
    - The same leads as RV(leads), as items of the role's C(partnercentral_engagements) and of the batch module's
      O(partnercentral.selling.partnercentral_opportunities_from_engagements#module:engagements), with the keys
      C(identifier), C(context_identifier), C(origin) (V(discovery)) and C(lead_contexts).
    - C(lead_contexts) tells the conversion which leads of the engagement an earlier task can belong to, so that it
      decides with the same leads as this module; pass the items on unchanged.
  returned: with O(unconverted_leads)
  type: list
  elements: dict
  sample: [{identifier: eng-abcdefghij0123, context_identifier: "1", origin: discovery, lead_contexts: ["1"]}]
discovery:
  description:
    - Counts of the run. C(engagements) listed, C(engagements_read) with GetEngagement, C(groups) of ten,
      C(lead_contexts) seen, C(converted), C(unconverted), C(selected), C(other_qualification) (not converted but of
      another qualification status), C(over_max_count), and C(api_calls.reads).
  returned: always
  type: dict
  sample:
    engagements: 12
    engagements_read: 12
    groups: 2
    lead_contexts: 14
    converted: 5
    unconverted: 9
    selected: 6
    other_qualification: 3
    over_max_count: 0
    api_calls: {reads: 16}
"""

from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import CATALOG_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import CONTEXT_TYPES
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import DEFAULT_QUALIFICATION_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import ENGAGEMENT_SORT_KEYS
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import READ_RATE_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import SORT_ORDERS
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import argument_spec
from ansible_collections.partnercentral.selling.plugins.module_utils._module.engagement_info import run
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import PartnerCentralModule


def main():
    spec = argument_spec(
        CATALOG_ARG_SPEC,
        READ_RATE_ARG_SPEC,
        engagement_ids=dict(type="list", elements="str", default=[]),
        exclude_engagement_ids=dict(type="list", elements="str", default=[]),
        context_types=dict(type="list", elements="str", default=[], choices=list(CONTEXT_TYPES)),
        exclude_context_types=dict(type="list", elements="str", default=[], choices=list(CONTEXT_TYPES)),
        created_by=dict(type="list", elements="str", default=[]),
        exclude_created_by=dict(type="list", elements="str", default=[]),
        created_after=dict(type="str"),
        sort_by=dict(type="str", default=ENGAGEMENT_SORT_KEYS[0], choices=list(ENGAGEMENT_SORT_KEYS)),
        sort_order=dict(type="str", default="ASCENDING", choices=list(SORT_ORDERS)),
        max_results=dict(type="int", default=0),
        contexts=dict(type="bool", default=False),
        unconverted_leads=dict(type="bool", default=False),
        qualification_statuses=dict(type="list", elements="str", default=list(DEFAULT_QUALIFICATION_STATUSES)),
        max_count=dict(type="int", default=0),
    )
    run(PartnerCentralModule(argument_spec=spec, supports_check_mode=True))


if __name__ == "__main__":
    main()

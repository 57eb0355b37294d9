#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: partnercentral_engagement_invitation_info
short_description: List the engagement invitations (leads and opportunities) of AWS Partner Central, or read one
version_added: 1.1.0
description:
  - Lists engagement invitations with C(ListEngagementInvitations), following pagination, or with O(identifier)
    returns one invitation in full with C(GetEngagementInvitation) (payload, message, rejection reason).
  - AWS shares a lead as an engagement invitation with payload type V(LeadInvitation). Before acceptance the
    invitation shows the customer's company, industry, segment and country and the interaction, not the contacts.
  - Filters combine with AND, the values of one filter with OR. Lists longer than the API's limit of 10 values are
    split into several calls and the results merged, without duplicates.
author:
  - partnercentral.selling maintainers (@partnercentral-selling)
options:
  identifier:
    description:
      - One invitation to read in full, as an invitation id (C(engi-) followed by 13 characters V([0-9a-z])) or ARN.
      - The list filters are not used with it.
    type: str
  participant_type:
    description:
      - V(RECEIVER) lists the invitations sent to this account, V(SENDER) the ones it sent.
    type: str
    choices: [RECEIVER, SENDER]
    default: RECEIVER
  payload_types:
    description:
      - Only invitations of these payload types; V(LeadInvitation) for leads.
    type: list
    elements: str
    choices: [OpportunityInvitation, LeadInvitation, AccountPlanningInvitation]
    default: []
  statuses:
    description:
      - Only invitations in these states. V(EXPIRED) is a V(PENDING) invitation whose expiration date has passed.
    type: list
    elements: str
    choices: [PENDING, ACCEPTED, REJECTED, EXPIRED]
    default: []
  sender_aws_account_ids:
    description:
      - Only invitations sent by these AWS accounts (12-digit ids or aliases).
    type: list
    elements: str
    default: []
  engagement_ids:
    description:
      - Only invitations to these engagements (engagement ids or ARNs).
    type: list
    elements: str
    default: []
  sort_by:
    description:
      - The sort key of the invitations.
    type: str
    choices: [InvitationDate]
    default: InvitationDate
  sort_order:
    description:
      - Newest (V(DESCENDING)) or oldest (V(ASCENDING)) first.
    type: str
    choices: [ASCENDING, DESCENDING]
    default: DESCENDING
  max_results:
    description:
      - Return at most this many invitations, in the order of O(sort_order). V(0) returns all. The module follows
        pagination itself.
    type: int
    default: 0
notes:
  - The IAM actions used are C(partnercentral:ListEngagementInvitations) and, with O(identifier),
    C(partnercentral:GetEngagementInvitation).
  - A failed call returns the error code (C(error_code), C(error.code)), the request id
    (C(response_metadata.request_id)) and the boto3 and botocore versions, as the amazon.aws modules do.
seealso:
  - module: partnercentral.selling.partnercentral_engagement_invitation
  - module: partnercentral.selling.partnercentral_engagement_info
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
- name: The pending lead invitations sent to this account, oldest first
  partnercentral.selling.partnercentral_engagement_invitation_info:
    catalog: Sandbox
    payload_types: [LeadInvitation]
    statuses: [PENDING]
    sort_order: ASCENDING
  register: pending

- name: One invitation in full
  partnercentral.selling.partnercentral_engagement_invitation_info:
    catalog: Sandbox
    identifier: engi-0123456789abc
  register: invitation

- name: Show the customer of the lead
  ansible.builtin.debug:
    msg: "{{ invitation.engagement_invitations[0].payload.lead_invitation.customer }}"
"""

RETURN = r"""
engagement_invitations:
  description:
    - The invitations found, in snake_case, timestamps in ISO 8601.
    - A listing returns the summaries of C(ListEngagementInvitations); with O(identifier), the invitation in full.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The id of the invitation.
      type: str
      returned: always
      sample: engi-0123456789abc
    arn:
      description: The ARN of the invitation.
      type: str
      returned: always
      sample: arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/engagement-invitation/engi-0123456789abc
    catalog:
      description: The catalog of the invitation.
      type: str
      returned: always
      sample: Sandbox
    status:
      description: V(PENDING), V(ACCEPTED), V(REJECTED) or V(EXPIRED).
      type: str
      returned: always
      sample: PENDING
    payload_type:
      description: V(LeadInvitation), V(OpportunityInvitation) or V(AccountPlanningInvitation).
      type: str
      returned: always
      sample: LeadInvitation
    engagement_id:
      description: The engagement the invitation shares.
      type: str
      returned: always
      sample: eng-abcdefghij0123
    engagement_title:
      description: The title of the engagement.
      type: str
      returned: always
      sample: Migration of the ERP
    invitation_date:
      description: When the invitation was sent (ISO 8601).
      type: str
      returned: always
      sample: "2026-11-26T10:00:00+00:00"
    expiration_date:
      description: When a pending invitation expires (ISO 8601).
      type: str
      returned: always
      sample: "2026-12-11T10:00:00+00:00"
    sender_aws_account_id:
      description: The account that sent the invitation.
      type: str
      returned: always
      sample: "999988887777"
    sender_company_name:
      description: The company that sent the invitation.
      type: str
      returned: always
      sample: Amazon Web Services
    receiver:
      description: The receiving account.
      type: dict
      returned: always
      sample: {"account": {"aws_account_id": "123456789012"}}
    participant_type:
      description: V(RECEIVER) or V(SENDER), as this account takes part (listings only).
      type: str
      returned: in listings
      sample: RECEIVER
    payload:
      description: The invitation's payload; for a lead, C(lead_invitation) with C(customer) and C(interaction).
      type: dict
      returned: with O(identifier)
      sample:
        lead_invitation:
          customer:
            company_name: AnyCompany
            industry: Retail
            country_code: FR
            market_segment: SMB
          interaction:
            source_type: Event
            usecase: Migration
            contact_business_title: CTO
    invitation_message:
      description: The sender's message.
      type: str
      returned: with O(identifier)
      sample: A lead for your team.
    engagement_description:
      description: The description of the engagement.
      type: str
      returned: with O(identifier)
      sample: The customer wants to move its ERP to AWS.
    rejection_reason:
      description: Why the invitation was rejected.
      type: str
      returned: with O(identifier), when the invitation was rejected with a reason
      sample: Unable to support
"""

from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import CATALOG_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import INVITATION_PAYLOAD_TYPES
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import INVITATION_SORT_KEYS
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import INVITATION_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import PARTICIPANT_TYPES
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import SORT_ORDERS
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import argument_spec
from ansible_collections.partnercentral.selling.plugins.module_utils._module.invitation_info import run
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import PartnerCentralModule


def main():
    spec = argument_spec(
        CATALOG_ARG_SPEC,
        identifier=dict(type="str"),
        participant_type=dict(type="str", default="RECEIVER", choices=list(PARTICIPANT_TYPES)),
        payload_types=dict(type="list", elements="str", default=[], choices=list(INVITATION_PAYLOAD_TYPES)),
        statuses=dict(type="list", elements="str", default=[], choices=list(INVITATION_STATUSES)),
        sender_aws_account_ids=dict(type="list", elements="str", default=[]),
        engagement_ids=dict(type="list", elements="str", default=[]),
        sort_by=dict(type="str", default=INVITATION_SORT_KEYS[0], choices=list(INVITATION_SORT_KEYS)),
        sort_order=dict(type="str", default="DESCENDING", choices=list(SORT_ORDERS)),
        max_results=dict(type="int", default=0),
    )
    run(PartnerCentralModule(argument_spec=spec, supports_check_mode=True))


if __name__ == "__main__":
    main()

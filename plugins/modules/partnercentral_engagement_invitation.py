#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: partnercentral_engagement_invitation
short_description: Accept or reject an AWS Partner Central engagement invitation (a lead shared by AWS)
version_added: 1.1.0
description:
  - Accepts (C(AcceptEngagementInvitation)) or rejects (C(RejectEngagementInvitation)) one engagement invitation.
  - B(Accepting and rejecting cannot be undone.) Accepting gives the account access to the engagement and its
    data (the lead's contacts included); rejecting makes the engagement inaccessible for good.
  - The invitation's status is read first (C(GetEngagementInvitation)); the API has no client token for these
    calls. An invitation already in the wanted state is left alone (V(changed=false), nothing sent). An
    V(EXPIRED) invitation, or one already answered the other way, fails with a clear message and nothing is sent.
  - Opportunity invitations are answered the same way here; AWS's route for them that also creates the
    opportunity is C(StartEngagementByAcceptingInvitationTask), which this module does not use.
author:
  - partnercentral.selling maintainers (@partnercentral-selling)
options:
  identifier:
    description:
      - The invitation, as an invitation id (C(engi-) followed by 13 characters V([0-9a-z])) or ARN.
    type: str
    required: true
    aliases: [invitation_id]
  state:
    description:
      - V(accepted) accepts a pending invitation, V(rejected) rejects it.
    type: str
    required: true
    choices: [accepted, rejected]
  rejection_reason:
    description:
      - Why the invitation is rejected, one of the values that the API documentation lists. Only with
        O(state=rejected).
    type: str
    choices: [Customer problem unclear, Next steps unclear, Unable to support, Duplicate of partner referral, Other]
notes:
  - The IAM actions used are C(partnercentral:GetEngagementInvitation) and C(partnercentral:AcceptEngagementInvitation)
    or C(partnercentral:RejectEngagementInvitation).
  - A failed call returns the error code (C(error_code), C(error.code)), the request id
    (C(response_metadata.request_id)) and the boto3 and botocore versions, as the amazon.aws modules do.
seealso:
  - module: partnercentral.selling.partnercentral_engagement_invitation_info
attributes:
  check_mode:
    support: full
    details:
      - The status is read; nothing is sent, and V(changed=true) where the invitation would be answered.
  diff_mode:
    support: full
    details:
      - The invitation's status before and after.
extends_documentation_fragment:
  - partnercentral.selling._options.CATALOG
  - partnercentral.selling._attributes
  - partnercentral.selling._attributes.ACTIONGROUP
  - partnercentral.selling.partnercentral
  - amazon.aws.common.modules
  - amazon.aws.region.modules
"""

EXAMPLES = r"""
- name: Accept a lead invitation (cannot be undone)
  partnercentral.selling.partnercentral_engagement_invitation:
    catalog: Sandbox
    identifier: engi-0123456789abc
    state: accepted
  register: accepted

- name: Reject another one, with the reason
  partnercentral.selling.partnercentral_engagement_invitation:
    catalog: Sandbox
    identifier: engi-0123456789abd
    state: rejected
    rejection_reason: Unable to support

- name: The pending lead invitations that AWS sent
  partnercentral.selling.partnercentral_engagement_invitation_info:
    catalog: Sandbox
    payload_types: [LeadInvitation]
    statuses: [PENDING]
    sender_aws_account_ids: ["999988887777"]
  register: pending

- name: Preview which of them would be accepted (check mode sends nothing)
  partnercentral.selling.partnercentral_engagement_invitation:
    catalog: Sandbox
    identifier: "{{ item.id }}"
    state: accepted
  loop: "{{ pending.engagement_invitations }}"
  loop_control:
    label: "{{ item.id }} {{ item.engagement_title }}"
  check_mode: true
  diff: true
"""

RETURN = r"""
engagement_invitation:
  description:
    - The invitation after the module ran (GetEngagementInvitation, in snake_case, timestamps in ISO 8601).
    - In check mode, the invitation read with the status it would have.
    - See the C(engagement_invitations) items of M(partnercentral.selling.partnercentral_engagement_invitation_info).
  returned: when the invitation could be read
  type: dict
  sample:
    id: engi-0123456789abc
    arn: arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/engagement-invitation/engi-0123456789abc
    catalog: Sandbox
    status: ACCEPTED
    payload_type: LeadInvitation
    engagement_id: eng-abcdefghij0123
    engagement_title: Migration of the ERP
    invitation_date: "2026-11-26T10:00:00+00:00"
    expiration_date: "2026-12-11T10:00:00+00:00"
    sender_aws_account_id: "999988887777"
    sender_company_name: Amazon Web Services
    payload:
      lead_invitation:
        customer: {company_name: AnyCompany, industry: Retail, country_code: FR}
        interaction: {contact_business_title: CTO}
"""

from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import CATALOG_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import REJECTION_REASONS
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import argument_spec
from ansible_collections.partnercentral.selling.plugins.module_utils._module.invitation import STATE_STATUS
from ansible_collections.partnercentral.selling.plugins.module_utils._module.invitation import run
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import PartnerCentralModule


def main():
    spec = argument_spec(
        CATALOG_ARG_SPEC,
        identifier=dict(type="str", required=True, aliases=["invitation_id"]),
        state=dict(type="str", required=True, choices=list(STATE_STATUS)),
        rejection_reason=dict(type="str", choices=list(REJECTION_REASONS)),
    )
    run(PartnerCentralModule(argument_spec=spec, supports_check_mode=True))


if __name__ == "__main__":
    main()

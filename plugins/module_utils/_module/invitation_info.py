# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The invitation info module's glue: filters checked, then ListEngagementInvitations or GetEngagementInvitation."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import snake_answer
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import get_invitation
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import list_invitations
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import client_config
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import account_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import engagement_id_of
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import engagement_identifier_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import invitation_identifier_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import max_results_problems


def option_problems(params: Dict[str, Any]) -> List[str]:
    problems = max_results_problems(params["max_results"])
    if params["identifier"] is not None:
        problems += invitation_identifier_problems(params["identifier"], params["catalog"])
    problems += account_problems(params["sender_aws_account_ids"], "sender_aws_account_ids")
    problems += engagement_identifier_problems(params["engagement_ids"], "engagement_ids")
    return problems


def run(module: Any) -> None:
    """Read-only: runs the same in check mode; bad filters fail before any call."""
    params = module.params
    problems = option_problems(params)
    module.fail_on_problems(problems)

    client = module.partnercentral_client(config=client_config())
    try:
        if params["identifier"] is not None:
            invitations = [get_invitation(client, params["catalog"], params["identifier"])]
        else:
            invitations = list_invitations(
                client,
                params["catalog"],
                participant_type=params["participant_type"],
                payload_types=params["payload_types"],
                statuses=params["statuses"],
                sender_account_ids=params["sender_aws_account_ids"],
                engagement_ids=[engagement_id_of(engagement) for engagement in params["engagement_ids"]],
                sort_by=params["sort_by"],
                sort_order=params["sort_order"],
                max_results=params["max_results"] or None,
            )
    except PartnerCentralError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, engagement_invitations=[snake_answer(invitation) for invitation in invitations])

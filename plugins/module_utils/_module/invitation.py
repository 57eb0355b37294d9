# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The invitation module's glue: the status read first, then accept or reject once, or nothing.

AcceptEngagementInvitation has no ClientToken: idempotency comes from GetEngagementInvitation. An invitation already
in the wanted state is left alone; one that can no longer reach it (EXPIRED, or answered the other way) fails
without any write, since answering an invitation cannot be undone.
"""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import Optional

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import snake_answer
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import accept_invitation
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import get_invitation
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import reject_invitation
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import client_config
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import invitation_identifier_problems

# The module's states and the invitation status each one means.
STATE_STATUS = {"accepted": "ACCEPTED", "rejected": "REJECTED"}
PENDING = "PENDING"


def decide(status: Optional[str], state: str) -> Optional[str]:
    """What to do with an invitation in `status` for `state`: "none", "answer", or a failure message."""
    wanted = STATE_STATUS[state]
    if status == wanted:
        return "none"
    if status == PENDING:
        return "answer"
    if status == "EXPIRED":
        return f"the invitation is EXPIRED: it can no longer be {state}"
    return f"the invitation is {status}: it cannot be {state} (answering an invitation cannot be undone)"


def _diff(identifier: str, before: Optional[str], after: Optional[str]) -> Dict[str, Any]:
    return {
        "before": {"identifier": identifier, "status": before},
        "after": {"identifier": identifier, "status": after},
    }


def run(module: Any) -> None:
    params = module.params
    catalog, identifier, state = params["catalog"], params["identifier"], params["state"]
    problems = invitation_identifier_problems(identifier, catalog)
    if params["rejection_reason"] is not None and state != "rejected":
        problems.append("rejection_reason is only used with state=rejected")
    module.fail_on_problems(problems)

    client = module.partnercentral_client(config=client_config())
    try:
        invitation = get_invitation(client, catalog, identifier)
    except PartnerCentralError as e:
        module.fail_json_aws_error(e)
    before = invitation.get("Status")
    decision = decide(before, state)
    answer: Dict[str, Any] = {"changed": False, "engagement_invitation": snake_answer(invitation)}
    if decision not in ("none", "answer"):
        module.fail_json(msg=f"Engagement invitation {identifier} in catalog {catalog}: {decision}", **answer)
    if decision == "answer":
        answer["changed"] = True
        wanted = STATE_STATUS[state]
        if module.check_mode:
            answer["msg"] = f"Would have {state} the invitation if not in check mode"
            answer["engagement_invitation"] = dict(answer["engagement_invitation"], status=wanted)
        else:
            try:
                if state == "accepted":
                    accept_invitation(client, catalog, identifier)
                else:
                    reject_invitation(client, catalog, identifier, params["rejection_reason"])
            except PartnerCentralError as e:
                # A retried write whose first attempt went through meets a ConflictException: read the outcome.
                if e.code != "ConflictException" or _status(client, catalog, identifier) != wanted:
                    module.fail_json_aws_error(e, **answer)
            try:
                answer["engagement_invitation"] = snake_answer(get_invitation(client, catalog, identifier))
            except PartnerCentralError as e:
                module.fail_json_aws_error(e, context=f"The invitation was {state}; reading it back", **answer)
    if module._diff:
        answer["diff"] = _diff(identifier, before, answer["engagement_invitation"].get("status"))
    module.exit_json(**answer)


def _status(client: Any, catalog: str, identifier: str) -> Optional[str]:
    try:
        return get_invitation(client, catalog, identifier).get("Status")
    except PartnerCentralError:
        return None

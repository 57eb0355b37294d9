# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a partner can do about a failed item: the hints of the item results and the batch reports.

User-facing advice, above the API layer: the API layer classifies errors, the engine and the reports tell the user
what to do about them.
"""

from __future__ import annotations

from typing import Optional

from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import INVALID
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import NOT_STARTED
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import TIMED_OUT

# What a partner can do about each ReasonCode of a FAILED task.
REASON_HINTS = {
    "ContextNotFound": "The context id does not exist on this engagement: check context_identifier with GetEngagement.",
    "CustomerProjectContextNotPermitted": (
        "Only Lead contexts convert: this context is a CustomerProject; use the lead's context id."
    ),
    "DisqualifiedLeadNotPermitted": "The lead is disqualified: qualify it (UpdateEngagementContext) before converting.",
    "EngagementAccessDenied": (
        "The account cannot see this engagement: accept the invitation or check IAM permissions."
    ),
    "OpportunityAccessDenied": (
        "The account may not create opportunities: check the IAM policy for partnercentral actions."
    ),
    "EngagementValidationFailed": "The engagement data is incomplete or invalid: fix it in Partner Central and re-run.",
    "OpportunityValidationFailed": "The opportunity made from the lead is invalid: complete the lead data, re-run.",
    "OpportunityConflict": "An opportunity already exists for this context: look it up before converting again.",
    "EngagementConflict": "The engagement changed during the conversion: re-run to retry.",
    "ServiceQuotaExceeded": "A Partner Central quota is exhausted: wait for the 24 h window to roll, then re-run.",
    "RequestThrottled": "The task was throttled: re-run later or lower the write rate.",
    "InternalError": "Partner Central failed internally: re-run; the task is retried with a new client token.",
    # The ReasonCode enum is shared by the service's other tasks; these codes come from the steps around the
    # opportunity (invitation, resource snapshot and its job, submission).
    "InvitationAccessDenied": "The account may not act on the engagement invitation: check the invitation and IAM.",
    "InvitationValidationFailed": "The engagement invitation is not open (expired or answered): check it, re-run.",
    "EngagementInvitationConflict": "The engagement invitation changed during the conversion: re-run to retry.",
    "OpportunitySubmissionFailed": (
        "The opportunity could not be submitted: complete and submit it in Partner Central; do not convert again."
    ),
    "ResourceSnapshotAccessDenied": "The account may not snapshot the opportunity: check the IAM permissions, re-run.",
    "ResourceSnapshotValidationFailed": "The opportunity snapshot was refused: complete the opportunity, re-run.",
    "ResourceSnapshotConflict": "A snapshot of the opportunity was being made at the same time: re-run later.",
    "ResourceSnapshotJobAccessDenied": (
        "The account may not run the opportunity's snapshot job: check the IAM permissions, re-run."
    ),
    "ResourceSnapshotJobValidationFailed": "The snapshot job of the opportunity was refused: check it, re-run.",
    "ResourceSnapshotJobConflict": "A snapshot job of the opportunity is already running: re-run later.",
}
DEFAULT_HINT = "See the task message; a re-run starts a new attempt."
# What to do about an item that failed without a ReasonCode, by its status.
STATUS_HINTS = {
    TIMED_OUT: "The task is still running: re-run to adopt it and wait again (no new task is started).",
    INVALID: "Fix the item in the list; the rest of the batch is not affected.",
    NOT_STARTED: "Fix the cause named in the message and re-run; finished items are not converted again.",
}


# A FAILED submission (StartEngagementFromOpportunityTask) is about the opportunity, not a lead: its own hints.
SUBMISSION_REASON_HINTS = {
    "OpportunityValidationFailed": (
        "AWS refused the opportunity as it is: complete it (partnercentral_opportunity), associate a solution, re-run."
    ),
    "OpportunitySubmissionFailed": "The submission failed: check the opportunity in Partner Central, then re-run.",
    "OpportunityConflict": "The opportunity changed during the submission: re-run to submit it again.",
}


def submission_hint(reason_code: Optional[str]) -> str:
    """The hint of a FAILED submission task's ReasonCode."""
    return SUBMISSION_REASON_HINTS.get(reason_code or "", None) or reason_hint(reason_code or "")


def reason_hint(reason_code: str) -> str:
    """The hint of a task's ReasonCode (the default hint for a code without one)."""
    return REASON_HINTS.get(reason_code, DEFAULT_HINT)


def item_hint(reason_code: Optional[str], status: str) -> str:
    """The hint of a failed item: its task's ReasonCode's, else its status's."""
    return reason_hint(reason_code) if reason_code else STATUS_HINTS.get(status, DEFAULT_HINT)

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The lead intake's rules and choice lists of _validation.py, and their agreement with botocore's service model."""

from __future__ import annotations

import os
import re

import botocore
import botocore.session
import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils import _validation
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import account_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import engagement_identifier_problems
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import invitation_identifier_problems
from ansible_collections.partnercentral.selling.tests.support import REPO_ROOT

INV = "engi-0123456789abc"
INV_ARN = f"arn:aws:partnercentral:us-east-1:123456789012:catalog/Sandbox/engagement-invitation/{INV}"


def _pinned_botocore() -> str:
    with open(os.path.join(REPO_ROOT, "requirements-dev.txt"), encoding="utf-8") as stream:
        return re.search(r"^botocore==(\S+)", stream.read(), re.MULTILINE).group(1)


# The botocore of the development virtualenv, whose model the choice lists were written from.
DEV_BOTOCORE = _pinned_botocore()


def model():
    return botocore.session.get_session().get_service_model("partnercentral-selling")


def member(operation, name):
    return model().operation_model(operation).input_shape.members[name]


def test_choice_lists_are_the_models_enums():
    invitations = "ListEngagementInvitations"
    # The choices follow the newest model; an older botocore (the supported floor) knows fewer payload types.
    payload_types = set(member(invitations, "PayloadType").member.enum)
    assert payload_types <= set(_validation.INVITATION_PAYLOAD_TYPES)
    if botocore.__version__ == DEV_BOTOCORE:
        assert payload_types == set(_validation.INVITATION_PAYLOAD_TYPES)
    assert set(_validation.INVITATION_STATUSES) == set(member(invitations, "Status").member.enum)
    assert set(_validation.PARTICIPANT_TYPES) == set(member(invitations, "ParticipantType").enum)
    assert list(_validation.INVITATION_SORT_KEYS) == member(invitations, "Sort").members["SortBy"].enum
    assert set(_validation.SORT_ORDERS) == set(member(invitations, "Sort").members["SortOrder"].enum)
    context_types = set(member("ListEngagements", "ContextTypes").member.enum)
    assert context_types <= set(_validation.CONTEXT_TYPES)
    if botocore.__version__ == DEV_BOTOCORE:
        assert context_types == set(_validation.CONTEXT_TYPES)
    assert list(_validation.ENGAGEMENT_SORT_KEYS) == member("ListEngagements", "Sort").members["SortBy"].enum
    assert member(invitations, "SenderAwsAccountId").member.metadata["pattern"] == _validation.AWS_ACCOUNT_PATTERN
    assert set(_validation.SOLUTION_STATUSES) == set(member("ListSolutions", "Status").member.enum)
    for name, limit in _validation.SOLUTION_FILTER_LIMITS.items():
        assert member("ListSolutions", name).metadata["max"] == limit
    assert list(_validation.LIFECYCLE_STAGES) == member("ListOpportunities", "LifeCycleStage").member.enum
    assert list(_validation.REVIEW_STATUSES) == member("ListOpportunities", "LifeCycleReviewStatus").member.enum
    for name, limit in _validation.OPPORTUNITY_FILTER_LIMITS.items():
        assert member("ListOpportunities", name).metadata["max"] == limit
    assert member("GetOpportunity", "Identifier").metadata["pattern"] == _validation.OPPORTUNITY_ID_PATTERN
    submission = member("StartEngagementFromOpportunityTask", "AwsSubmission").members
    assert list(_validation.INVOLVEMENT_TYPES) == submission["InvolvementType"].enum
    assert list(_validation.VISIBILITIES) == submission["Visibility"].enum


def test_rejection_reasons_are_the_documented_values():
    documentation = member("RejectEngagementInvitation", "RejectionReason").documentation
    assert tuple(re.findall(r"<i>([^<:]+):</i>", documentation)) == _validation.REJECTION_REASONS


def test_invitation_id_pattern_is_the_models():
    pattern = member("GetEngagementInvitation", "Identifier").metadata["pattern"]
    assert _validation.INVITATION_ID_PATTERN in pattern


@pytest.mark.parametrize("identifier", [INV, INV_ARN])
def test_invitation_identifier_accepted(identifier):
    assert invitation_identifier_problems(identifier, "Sandbox") == []


@pytest.mark.parametrize(
    "identifier, words",
    [
        ("engi-0123456789ab", "must match engi-[0-9a-z]{13}"),
        ("engi-0123456789ABC", "must match engi-[0-9a-z]{13}"),
        ("eng-abcdefghij0123", "must match engi-[0-9a-z]{13}"),
        (INV + "\n", "must match engi-[0-9a-z]{13}"),
        ("arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement/eng-abcdefghij0123", "not an engagement inv"),
        (INV_ARN.replace("Sandbox", "AWS"), "belongs to catalog AWS, not Sandbox"),
        ("", "must be an engagement invitation id"),
        (None, "must be an engagement invitation id"),
    ],
)
def test_invitation_identifier_refused(identifier, words):
    (problem,) = invitation_identifier_problems(identifier, "Sandbox")
    assert words in problem


def test_engagement_ids_and_accounts_of_list_options():
    assert engagement_identifier_problems(["eng-abcdefghij0123"], "engagement_ids") == []
    (problem,) = engagement_identifier_problems(["eng-abcdefghij0123", "eng-x"], "engagement_ids")
    assert problem.startswith("engagement_ids: 'eng-x'")
    assert account_problems(["123456789012", "alias_1"], "created_by") == []
    assert len(account_problems(["1234-5678", "ünïcode", "thirteen_char"], "created_by")) == 3

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The facts that the emulator and the collection both state because botocore's model does not: stated alike.

Enums and patterns both read from the model need no test; these are the values the model leaves to documentation
(catalogs, rejection reasons, qualification statuses, the opportunity review rules), kept in two distributions that
do not import each other.
"""

from __future__ import annotations

from ansible_collections.partnercentral.selling.plugins.module_utils import _validation
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity import associations
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity import rules
from partnercentral_emulator import config
from partnercentral_emulator import vocabulary
from partnercentral_emulator.operations import invitations
from partnercentral_emulator.operations import opportunities


def test_catalogs_are_the_same():
    assert config.CATALOGS == _validation.CATALOGS


def test_rejection_reasons_are_the_same():
    assert invitations.REJECTION_REASONS == _validation.REJECTION_REASONS


def test_qualification_statuses_are_the_same():
    emulated = (vocabulary.QUALIFIED, vocabulary.UNQUALIFIED, vocabulary.DISQUALIFIED)
    assert emulated == _validation.QUALIFICATION_STATUSES


def test_opportunity_review_rules_are_the_same():
    """The ReviewStatus edit rules and the submission rules come from the developer guide, not the model."""
    assert opportunities.ACTION_REQUIRED_EDITABLE == rules.ACTION_REQUIRED_FIELDS
    assert opportunities.APPROVED_LOCKED == rules.APPROVED_LOCKED_FIELDS
    assert opportunities.READ_ONLY == rules.READ_ONLY_STATUSES
    assert opportunities.OTHER_REFUSED_STAGES == associations.OTHER_REFUSED_STAGES
    # The emulator fails a submission for the fields the collection requires unconditionally (the collection also
    # checks the conditional ones before sending).
    unconditional = tuple(path for path, condition, _why in rules.SUBMISSION_REQUIRED if condition is None)
    assert opportunities.SUBMISSION_REQUIRED == unconditional

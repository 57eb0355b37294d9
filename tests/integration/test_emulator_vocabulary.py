# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The facts that the emulator and the collection both state because botocore's model does not: stated alike.

Enums and patterns both read from the model need no test; these are the values the model leaves to documentation
(catalogs, rejection reasons, qualification statuses), kept in two distributions that do not import each other.
"""

from __future__ import annotations

from ansible_collections.partnercentral.selling.plugins.module_utils import _validation
from partnercentral_emulator import config
from partnercentral_emulator import vocabulary
from partnercentral_emulator.operations import invitations


def test_catalogs_are_the_same():
    assert config.CATALOGS == _validation.CATALOGS


def test_rejection_reasons_are_the_same():
    assert invitations.REJECTION_REASONS == _validation.REJECTION_REASONS


def test_qualification_statuses_are_the_same():
    emulated = (vocabulary.QUALIFIED, vocabulary.UNQUALIFIED, vocabulary.DISQUALIFIED)
    assert emulated == _validation.QUALIFICATION_STATUSES

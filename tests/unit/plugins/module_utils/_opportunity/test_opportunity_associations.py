# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""_opportunity/associations.py: the associations to send, in order, and what AWS refuses."""

from __future__ import annotations

from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.associations import (
    ASSOCIATION_OPTIONS,
)
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.associations import association_plan
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.associations import (
    association_problems,
)
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import input_shape
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import complete

RECORD = {"RelatedEntityIdentifiers": {"Solutions": ["S-1"], "AwsProducts": ["p-1", "p-2"]}}


def test_entity_types_are_the_models():
    assert set(ASSOCIATION_OPTIONS.values()) <= set(
        input_shape("AssociateOpportunity").members["RelatedEntityType"].enum
    )


def test_given_lists_add_what_is_missing_and_purge_removes_the_rest():
    wanted = {"solutions": ["S-2", "S-1", "S-2"], "aws_products": ["p-2"]}
    assert association_plan(RECORD, wanted) == ([("Solutions", "S-2")], [])
    assert association_plan(RECORD, wanted, purge=True) == ([("Solutions", "S-2")], [("AwsProducts", "p-1")])


def test_options_not_given_are_left_alone_even_with_purge():
    assert association_plan(RECORD, {"solutions": None, "aws_marketplace_offers": None}, purge=True) == ([], [])
    assert association_plan(RECORD, {"aws_products": []}, purge=True) == (
        [],
        [("AwsProducts", "p-1"), ("AwsProducts", "p-2")],
    )


def test_other_is_refused_from_committed_on():
    assert association_problems(complete(Stage="Business Validation"), [("Solutions", "Other")]) == []
    for stage in ("Committed", "Launched"):
        found = association_problems(complete(Stage=stage), [("Solutions", "Other")])
        assert found == [f"the solution 'Other' cannot be associated at stage {stage!r} (Committed or later)"]

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""_opportunity/fields.py: the fields against botocore's model, their options, and the two spellings."""

from __future__ import annotations

from typing import Any
from typing import Dict

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity import fields
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import FIELDS
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import api_to_options
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import managed_fields
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import option_name
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import option_path
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import options_spec
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.fields import options_to_api
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import input_shape
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import complete


def _model_tree(shape: Any) -> Any:
    if shape.type_name == "structure":
        return {member: _model_tree(sub) for member, sub in shape.members.items()}
    if shape.type_name == "list":
        return [_model_tree(shape.member)]
    return shape.type_name


def _paths(tree: Dict[str, Any], prefix: str = "") -> Dict[str, str]:
    """Every member path of a tree with its kind (structure, list, or the scalar's type)."""
    out = {}
    for member, node in tree.items():
        path = prefix + member
        if isinstance(node, dict):
            out[path] = "structure"
            out.update(_paths(node, path + "."))
        elif isinstance(node, list):
            element = node[0]
            kind = (
                "structure"
                if isinstance(element, dict)
                else ("string" if element in (fields.STR, "string") else element)
            )
            out[path] = f"list of {kind}"
            if isinstance(element, dict):
                out.update(_paths(element, path + "[]."))
        else:
            out[path] = "string" if node in (fields.STR, "string") else node
    return out


@pytest.mark.parametrize("operation", ["UpdateOpportunity", "CreateOpportunity"])
def test_fields_mirror_the_installed_model(operation):
    """Every editable member of the model is a field of the same kind, and every field is a member of the model
    (those added after botocore 1.41.6 excepted: they are in NEWER_MEMBERS and refused before a call there)."""
    model = _paths(_model_tree(input_shape(operation)))
    ours = _paths(FIELDS)
    not_fields = set(fields.REQUEST_MEMBERS + fields.SERVICE_MEMBERS)
    # CreateOpportunity's own members, which are not fields of an existing record.
    not_fields |= {"ClientToken", "Origin", "Tags", "OpportunityTeam"}
    expected = {
        path: kind
        for path, kind in model.items()
        if not any(path == skip or path.startswith((skip + ".", skip + "[].")) for skip in not_fields)
    }
    absent = {path for path in ours if path not in model}
    assert absent <= {p for p in ours if any(p == n or p.startswith(n + ".") for n in fields.NEWER_MEMBERS)}
    assert {path: ours[path] for path in ours if path not in absent} == expected


def test_service_members_are_in_the_model():
    model = _paths(_model_tree(input_shape("UpdateOpportunity")))
    for path in fields.SERVICE_MEMBERS + fields.REQUEST_MEMBERS:
        assert path in model


def test_option_names_are_snake_case_and_unique_per_structure():
    assert option_name("CustomerBusinessProblem") == "customer_business_problem"
    assert option_name("AwsAccountId") == "aws_account_id"
    assert option_path("Customer.Account.WebsiteUrl") == "customer.account.website_url"

    def check(tree):
        names = [option_name(member) for member in tree]
        assert len(set(names)) == len(names)
        for node in tree.values():
            node = node[0] if isinstance(node, list) else node
            if isinstance(node, dict):
                check(node)

    check(FIELDS)
    assert set(options_spec()) == {
        "partner_opportunity_identifier",
        "opportunity_type",
        "national_security",
        "primary_needs_from_aws",
        "customer",
        "project",
        "life_cycle",
        "marketing",
        "software_revenue",
    }


def test_record_round_trip_through_options():
    record = complete()
    as_options = api_to_options(record)
    assert as_options["customer"]["account"]["address"]["country_code"] == "US"
    assert as_options["project"]["expected_customer_spend"][0]["target_company"] == "AWS"
    assert "id" not in as_options and "related_entity_identifiers" not in as_options
    assert "review_status" not in as_options["life_cycle"]  # AWS's, not an option
    assert options_to_api(as_options) == managed_fields(record)
    assert managed_fields(record)["Project"]["Title"] == "Data platform migration"


def _validated(params):
    return ArgumentSpecValidator(options_spec()).validate(params)


def test_argument_spec_fills_suboptions_and_options_to_api_keeps_only_given_fields():
    result = _validated(
        {"customer": {"account": {"website_url": "https://example.org"}}, "project": {"apn_programs": []}}
    )
    assert result.error_messages == []
    params = result.validated_parameters
    assert params["customer"]["account"]["industry"] is None  # Ansible fills what was not given
    assert options_to_api(params) == {
        "Customer": {"Account": {"WebsiteUrl": "https://example.org"}},
        "Project": {"ApnPrograms": []},  # an empty list is given: it empties the list
    }


def test_argument_spec_refuses_a_misspelled_field():
    result = _validated({"customer": {"acount": {"company_name": "x"}}})
    assert result.error_messages
    assert "acount" in " ".join(result.error_messages)
    result = _validated({"project": {"expected_customer_spend": [{"amount": "1", "currency": "USD"}]}})
    assert "currency" in " ".join(result.error_messages)


def test_argument_spec_makes_numbers_strings():
    result = _validated({"project": {"expected_customer_spend": [{"amount": 1500}]}})
    assert result.error_messages == []
    assert options_to_api(result.validated_parameters)["Project"]["ExpectedCustomerSpend"] == [{"Amount": "1500"}]

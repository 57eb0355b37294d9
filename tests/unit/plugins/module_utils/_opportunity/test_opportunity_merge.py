# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""_opportunity/merge.py: the merge onto the record read, the full UpdateOpportunity payload, changes and diff."""

from __future__ import annotations

import copy

import botocore.validate
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.merge import changed_paths
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.merge import diff
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.merge import field_changes
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.merge import merge
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.merge import update_payload
from ansible_collections.partnercentral.selling.plugins.module_utils._opportunity.model import input_shape
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import OPPORTUNITY_ID
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import T_MODIFIED
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import complete
from ansible_collections.partnercentral.selling.tests.unit.opportunity_samples import converted


def test_merge_nested_dicts_and_replaces_lists():
    base = {"A": {"B": 1, "C": [1, 2], "D": {"E": "x"}}, "F": "keep"}
    changes = {"A": {"C": [3], "D": {"G": "y"}}}
    assert merge(base, changes) == {"A": {"B": 1, "C": [3], "D": {"E": "x", "G": "y"}}, "F": "keep"}
    assert base == {"A": {"B": 1, "C": [1, 2], "D": {"E": "x"}}, "F": "keep"}  # not changed in place
    assert merge(base, {"A": {"C": []}})["A"]["C"] == []


def test_update_payload_sends_everything_read_with_the_changes():
    record = complete()
    changes = {"Customer": {"Account": {"WebsiteUrl": "https://example.org"}}, "LifeCycle": {"Stage": "Qualified"}}
    payload = update_payload(record, changes, input_shape("UpdateOpportunity"))
    assert payload["Identifier"] == OPPORTUNITY_ID
    assert payload["Catalog"] == "Sandbox"
    assert payload["LastModifiedDate"] == T_MODIFIED  # optimistic locking: the date read
    # Only the given fields changed; every other field read is sent back, or the service would null it.
    assert payload["Customer"]["Account"]["WebsiteUrl"] == "https://example.org"
    assert payload["Customer"]["Account"]["CompanyName"] == "Example Corp"
    assert payload["Customer"]["Contacts"] == record["Customer"]["Contacts"]
    assert payload["Project"] == record["Project"]
    assert payload["LifeCycle"] == {**record["LifeCycle"], "Stage": "Qualified"}
    assert payload["OpportunityType"] == "Net New Business"
    # What GetOpportunity answers but UpdateOpportunity does not take is not sent.
    for member in ("Id", "Arn", "CreatedDate", "RelatedEntityIdentifiers", "OpportunityTeam"):
        assert member not in payload
    assert record == complete()  # the record read is not changed
    # The payload is a valid request of the installed model (botocore's own validation, as before a call).
    report = botocore.validate.ParamValidator().validate(payload, input_shape("UpdateOpportunity"))
    assert not report.has_errors(), report.generate_report()


def test_no_change_when_the_given_fields_are_the_record_s():
    record = complete()
    assert field_changes(record, {}) == []
    same = {"Customer": {"Account": {"CompanyName": "Example Corp"}}, "Project": {"DeliveryModels": ["SaaS or PaaS"]}}
    assert field_changes(record, same) == []
    # An empty list given where the record has none is no change either.
    assert field_changes(converted(), {"Customer": {"Contacts": []}, "Project": {"ApnPrograms": []}}) == []


def test_changes_are_named_by_path():
    record = complete()
    changes = {
        "Customer": {"Account": {"Address": {"City": "Boston", "PostalCode": "10001"}}},
        "Project": {
            "ExpectedCustomerSpend": [
                {"Amount": "1", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"}
            ]
        },
        "Marketing": {"Source": "None"},
    }
    assert field_changes(record, changes) == [
        "Customer.Account.Address.City",
        "Project.ExpectedCustomerSpend",
        "Marketing.Source",
    ]


def test_changed_paths_of_a_structure_first_given():
    assert changed_paths({}, {"A": {"B": {"C": "x"}, "D": []}}) == ["A.B.C"]
    assert changed_paths({"A": None}, {"A": "x"}) == ["A"]


def test_diff_shows_the_managed_fields_in_option_names():
    before = converted()
    after = merge(before, {"Project": {"Title": "Data platform migration"}})
    after["LastModifiedDate"] = "later"  # not a managed field: not in the diff
    result = diff(before, after)
    assert result["before"]["project"]["title"] == "Converted from Lead"
    assert result["after"]["project"]["title"] == "Data platform migration"
    assert result["before"]["customer"] == result["after"]["customer"]
    assert "last_modified_date" not in result["after"] and "id" not in result["after"]
    assert diff(before, copy.deepcopy(before))["before"] == diff(before, copy.deepcopy(before))["after"]
    assert diff(None, before)["before"] == {}

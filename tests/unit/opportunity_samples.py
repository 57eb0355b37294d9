# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Opportunity records as GetOpportunity answers them, for the unit tests of _opportunity."""

from __future__ import annotations

import copy
import datetime
from typing import Any
from typing import Dict

T_CREATED = datetime.datetime(2026, 1, 5, 12, 0, 0, tzinfo=datetime.timezone.utc)
T_MODIFIED = datetime.datetime(2026, 1, 6, 9, 30, 0, tzinfo=datetime.timezone.utc)
OPPORTUNITY_ID = "O1234567"
SOLUTION_ID = "S-0000001"

# A converted lead as AWS's lead-to-opportunity sample shows it: Prospect, Pending Submission, "Converted from Lead",
# no contacts, no expected spend, no solution.
_CONVERTED: Dict[str, Any] = {
    "Catalog": "Sandbox",
    "Id": OPPORTUNITY_ID,
    "Arn": f"arn:aws:partnercentral:us-east-1::catalog/Sandbox/opportunity/{OPPORTUNITY_ID}",
    "CreatedDate": T_CREATED,
    "LastModifiedDate": T_MODIFIED,
    "Customer": {
        "Account": {
            "CompanyName": "Example Corp",
            "Industry": "Software and Internet",
            "WebsiteUrl": "https://example.com",
            "Address": {"CountryCode": "US", "PostalCode": "10001", "City": "New York"},
        },
        "Contacts": [],
    },
    "Project": {"Title": "Converted from Lead", "ExpectedCustomerSpend": []},
    "LifeCycle": {"Stage": "Prospect", "ReviewStatus": "Pending Submission"},
    "RelatedEntityIdentifiers": {"Solutions": []},
    "OpportunityTeam": [],
}

# The same opportunity completed: everything the submission needs, one solution associated.
_COMPLETE_CHANGES: Dict[str, Any] = {
    "OpportunityType": "Net New Business",
    "PrimaryNeedsFromAws": ["Co-Sell - Technical Consultation"],
    "NationalSecurity": "No",
    "Customer": {
        "Contacts": [{"Email": "jane@example.com", "FirstName": "Jane", "LastName": "Doe", "Phone": "+14155550100"}]
    },
    "Project": {
        "Title": "Data platform migration",
        "CustomerBusinessProblem": "The customer's on-premises warehouse cannot keep up with its growth.",
        "DeliveryModels": ["SaaS or PaaS"],
        "ExpectedCustomerSpend": [
            {"Amount": "5000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"}
        ],
        "SalesActivities": ["Initialized discussions with customer"],
    },
    "LifeCycle": {"TargetCloseDate": "2026-12-31", "NextSteps": "Workshop"},
}


def converted() -> Dict[str, Any]:
    return copy.deepcopy(_CONVERTED)


def complete(**life_cycle: Any) -> Dict[str, Any]:
    record = converted()
    for key, value in _COMPLETE_CHANGES.items():
        if isinstance(value, dict):
            record.setdefault(key, {}).update(copy.deepcopy(value))
        else:
            record[key] = copy.deepcopy(value)
    record["LifeCycle"].update(life_cycle)
    record["RelatedEntityIdentifiers"] = {"Solutions": [SOLUTION_ID]}
    return record

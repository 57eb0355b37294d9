# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Introspection endpoints, the admin client, data generation and fixture files."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from partnercentral_emulator.admin import EmulatorAdminError
from partnercentral_emulator.data import engagement_id


def test_health(emulator):
    health = emulator.admin.health()
    assert health["status"] == "ok" and "StartOpportunityFromEngagementTask" in health["implemented"]


def test_introspection_needs_no_auth_and_is_plain_json(emulator):
    with urllib.request.urlopen(emulator.endpoint_url + "/_emulator/stats") as response:  # noqa: S310
        assert response.headers["Content-Type"] == "application/json"
        stats = json.loads(response.read())
    for key in ("requests", "throttled", "replays", "writes_accepted", "reads_accepted", "opportunities"):
        assert key in stats
    assert stats["duplicates"] == 0 and stats["converted"] == 0


def test_stats_count_per_operation_and_status(emulator):
    client = emulator.client()
    client.list_engagements(Catalog="Sandbox")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_engagement(Catalog="Sandbox", Identifier="eng-00000000000000")
    requests = emulator.stats()["requests"]
    assert requests == {"GetEngagement": {"404": 1}, "ListEngagements": {"200": 1}}


def test_generated_data_is_deterministic(emulator):
    first = emulator.engagements("Sandbox")
    assert len(first) == 20
    assert all(re.fullmatch(r"eng-[0-9a-z]{14}", e["id"]) for e in first)
    assert all(e["contexts"] == [{"id": "1", "type": "Lead", "qualification_status": "Qualified"}] for e in first)
    assert {e["id"] for e in first} == {engagement_id(0, "Sandbox", index) for index in range(20)}
    emulator.reset()
    assert emulator.engagements("Sandbox") == first
    emulator.reset(seed=42, engagements=3)
    other = emulator.engagements("Sandbox")
    assert len(other) == 3 and not {e["id"] for e in other} & {e["id"] for e in first}
    both = emulator.engagements(None)
    assert {e["catalog"] for e in both} == {"AWS", "Sandbox"} and len(both) == 6


def test_reset_clears_state(emulator):
    emulator.configure(write_tps=0)
    client = emulator.client()
    eng_id = emulator.engagements("Sandbox")[0]["id"]
    client.start_opportunity_from_engagement_task(Catalog="Sandbox", Identifier=eng_id, ContextIdentifier="1")
    assert emulator.stats()["converted"] == 1
    emulator.reset(write_tps=0)
    stats = emulator.stats()
    assert stats["converted"] == 0 and stats["tasks"] == 0 and stats["total_requests"] == 0
    assert (
        client.start_opportunity_from_engagement_task(Catalog="Sandbox", Identifier=eng_id, ContextIdentifier="1")[
            "ContextId"
        ]
        == "2"
    )


def test_bad_settings_are_refused(emulator):
    with pytest.raises(EmulatorAdminError, match="unknown configuration keys"):
        emulator.admin.configure(write_tpz=3)
    with pytest.raises(EmulatorAdminError, match="context_id_mode"):
        emulator.admin.reset(context_id_mode="sometimes")
    with pytest.raises(EmulatorAdminError, match="throttle_rate"):
        emulator.admin.configure(throttle_rate=2)
    with pytest.raises(EmulatorAdminError, match="404"):
        emulator.admin._call("GET", "/_emulator/nothing")


def test_config_hides_secrets(emulator):
    shown = emulator.admin.config()
    assert shown["credentials"][0]["secret_key"] == "***"
    assert emulator.secret_key not in json.dumps(shown)


def test_fixture_file(emulator, tmp_path):
    fixture = {
        "engagements": [
            {
                "catalog": "AWS",
                "id": "eng-abcdefghij0123",
                "title": "From a file",
                "created_at": "2025-03-01T10:00:00Z",
                "member_count": 3,
                "contexts": [
                    {"id": "1", "type": "Lead", "qualification_status": "Disqualified"},
                    {
                        "id": "2",
                        "type": "Lead",
                        "payload": {
                            "Lead": {
                                "QualificationStatus": "Qualified",
                                # Address and the Source*/CustomerAction members are required by older botocore
                                # models (the compatibility matrix runs botocore 1.41.6).
                                "Customer": {"CompanyName": "AnyCompany", "Address": {"CountryCode": "US"}},
                                "Interactions": [
                                    {
                                        "SourceType": "MarketingCampaign",
                                        "SourceId": "src-000001",
                                        "SourceName": "Fixture lead",
                                        "CustomerAction": "Asked for a call",
                                        "Contact": {
                                            "BusinessTitle": "CTO",
                                            "Email": "cto@example.com",
                                            "FirstName": "Ana",
                                            "LastName": "Silva",
                                        },
                                    }
                                ],
                            }
                        },
                    },
                ],
            }
        ]
    }
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(fixture))
    emulator.reset(fixture=str(path), engagements=0, write_tps=0)
    assert emulator.engagements("Sandbox") == []
    [listed] = emulator.engagements("AWS")
    assert listed["contexts"] == [
        {"id": "1", "type": "Lead", "qualification_status": "Disqualified"},
        {"id": "2", "type": "Lead", "qualification_status": "Qualified"},
    ]
    client = emulator.client()
    answer = client.get_engagement(Catalog="AWS", Identifier="eng-abcdefghij0123")
    assert answer["Title"] == "From a file" and answer["MemberCount"] == 3
    assert answer["Contexts"][1]["Payload"]["Lead"]["Customer"]["CompanyName"] == "AnyCompany"
    task = client.start_opportunity_from_engagement_task(
        Catalog="AWS", Identifier="eng-abcdefghij0123", ContextIdentifier="2"
    )
    assert task["TaskStatus"] == "COMPLETE" and task["ContextId"] == "3"


def test_fixture_that_breaks_the_model_is_refused(emulator):
    bad = {"engagements": [{"id": "eng-abcdefghij0123", "title": "x" * 41}]}
    with pytest.raises(EmulatorAdminError, match="Title"):
        emulator.admin.reset(fixture=bad)

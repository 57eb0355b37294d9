# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The partnercentral.selling.leads event source: options, checkpoint, the async loop against a fake service."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

import pytest
from ansible_collections.partnercentral.selling.extensions.eda.plugins.event_source import leads
from ansible_collections.partnercentral.selling.tests.unit.extensions.eda.plugins.event_source import fake_leads_service

ACCESS_KEY = fake_leads_service.ACCESS_KEY
SECRET_KEY = fake_leads_service.SECRET_KEY
FakeLeadsService = fake_leads_service.FakeLeadsService
make_client = fake_leads_service.make_client


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: List[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_source(
    service: FakeLeadsService, path: Optional[str], page_size: int = 100, max_attempts: int = 3, **options: Any
) -> Any:
    opts = leads.parse_options({"catalog": "Sandbox", "checkpoint_path": path, **options})
    checkpoint = leads.Checkpoint(opts.checkpoint_path, opts.catalog)
    checkpoint.load()
    clock = FakeClock()
    pacer = leads.Pacer(opts.max_reads_per_second, clock=clock, sleep=clock.sleep)
    api = leads.LeadsApi(make_client(service, max_attempts=max_attempts), opts.catalog, page_size=page_size)
    return leads.LeadSource(api, checkpoint, opts, pacer=pacer, clock=clock, sleep=clock.sleep)


def run(source: Any, polls: int = 1) -> List[Dict[str, Any]]:
    async def go() -> List[Dict[str, Any]]:
        queue: asyncio.Queue = asyncio.Queue()
        await source.run(queue, polls=polls)
        events = []
        while not queue.empty():
            events.append(queue.get_nowait())
        return events

    return asyncio.run(go())


def keys(events: List[Dict[str, Any]]) -> List[tuple]:
    return [
        (event["type"], event.get("invitation_id") or event["engagement_id"], event.get("context_id"))
        for event in events
    ]


@pytest.fixture
def service() -> FakeLeadsService:
    return FakeLeadsService()


@pytest.fixture
def path(tmp_path: Any) -> str:
    return str(tmp_path / "state" / "leads.json")


# --- options -------------------------------------------------------------------------------------------------------


def test_defaults() -> None:
    options = leads.parse_options({})
    assert (options.catalog, options.region, options.poll_interval, options.reconcile_interval) == (
        "AWS",
        "us-east-1",
        60.0,
        900.0,
    )
    assert options.invitation_statuses == ["PENDING"]
    assert options.checkpoint_path is None
    # A rulebook variable left unset renders as none: the default applies.
    assert leads.parse_options({"catalog": None, "poll_interval": None, "lead_invitations": None}) == options


def test_aliases_and_rulebook_keys() -> None:
    options = leads.parse_options(
        {
            "aws_access_key_id": ACCESS_KEY,
            "aws_secret_access_key": SECRET_KEY,
            "aws_session_token": "token",
            "aws_profile": "p",
            "aws_endpoint_url": "http://127.0.0.1:1",
            "eda_feedback_queue": object(),
        }
    )
    assert (options.access_key, options.secret_key, options.session_token) == (ACCESS_KEY, SECRET_KEY, "token")
    assert (options.profile, options.endpoint_url) == ("p", "http://127.0.0.1:1")
    assert SECRET_KEY not in repr(options)


def test_bad_options_are_all_reported_without_echoing_secrets() -> None:
    with pytest.raises(leads.OptionError) as raised:
        leads.parse_options(
            {
                "catalog": "Prod",
                "poll_interval": "soon",
                "max_reads_per_second": 50,
                "invitation_statuses": ["PENDING", "OPEN"],
                "secret_key": "",
                "colour": "blue",
                "access_key": ACCESS_KEY,
                "aws_access_key_id": ACCESS_KEY,
            }
        )
    message = str(raised.value)
    for part in ("catalog", "poll_interval", "max_reads_per_second", "invitation_statuses", "'colour'", "twice"):
        assert part in message
    assert ACCESS_KEY not in message


def test_secret_key_without_access_key() -> None:
    with pytest.raises(leads.OptionError, match="go together"):
        leads.parse_options({"secret_key": SECRET_KEY})


def test_client_honours_the_service_endpoint_variable(monkeypatch: Any) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING", "http://127.0.0.1:4599")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    client = leads.make_client(leads.parse_options({}))
    assert client.meta.endpoint_url == "http://127.0.0.1:4599"
    assert client.meta.region_name == "us-east-1"
    assert client.meta.config.retries["mode"] == "adaptive"
    # endpoint_url wins over the variable
    client = leads.make_client(leads.parse_options({"endpoint_url": "http://127.0.0.1:4600"}))
    assert client.meta.endpoint_url == "http://127.0.0.1:4600"


def test_endpoint_for_log_drops_user_info() -> None:
    assert leads.endpoint_for_log("https://user:pw@example.com:8443/path") == "https://example.com:8443"


# --- checkpoint ----------------------------------------------------------------------------------------------------


def test_checkpoint_round_trip_is_atomic(path: str) -> None:
    checkpoint = leads.Checkpoint(path, "Sandbox")
    checkpoint.invitations["engi-1"] = "PENDING"
    checkpoint.engagements["eng-1"] = {
        "modified_at": "t",
        "contexts": {"1": {"qualification_status": "Qualified", "converted": False}},
    }
    checkpoint.save()
    assert os.listdir(os.path.dirname(path)) == ["leads.json"]  # no temporary file left
    again = leads.Checkpoint(path, "Sandbox")
    again.load()
    assert again.invitations == {"engi-1": "PENDING"}
    assert again.engagements == checkpoint.engagements


def test_corrupt_checkpoint_is_moved_aside_and_logged(path: str, caplog: Any) -> None:
    os.makedirs(os.path.dirname(path))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('{"version": 1, "catalog": "Sandbox", "invitations": [')
    checkpoint = leads.Checkpoint(path, "Sandbox")
    with caplog.at_level(logging.ERROR):
        checkpoint.load()
    assert checkpoint.invitations == {} and checkpoint.engagements == {}
    assert "is unreadable" in caplog.text and "full reconciliation" in caplog.text
    assert not os.path.exists(path)
    assert [name for name in os.listdir(os.path.dirname(path)) if name.startswith("leads.json.corrupt-")]


def test_checkpoint_of_another_catalog_is_refused(path: str) -> None:
    leads.Checkpoint(path, "AWS").save()
    with pytest.raises(leads.OptionError, match="catalog 'AWS'"):
        leads.Checkpoint(path, "Sandbox").load()


# --- the loop ------------------------------------------------------------------------------------------------------


def test_first_start_emits_open_leads_and_skips_converted(service: FakeLeadsService, path: str) -> None:
    invitation = service.add_invitation(1)
    service.add_invitation(2, status="ACCEPTED")  # not a watched status
    open_lead = service.add_engagement(1, [("1", "Qualified")])
    converted = service.add_engagement(2, [("1", "Qualified")])
    service.convert(converted, "1", answered_context="2")  # the service answers the new CustomerProject context
    events = run(make_source(service, path))
    assert keys(events) == [("lead_invitation", invitation, None), ("lead_context", open_lead, "1")]
    invitation_event, context_event = events
    assert invitation_event["customer"] == {
        "company_name": "Customer 1",
        "industry": "Software and Internet",
        "market_segment": "Enterprise",
        "country_code": "US",
        "website_url": "https://example.com",
        "aws_maturity": None,
    }
    assert (invitation_event["status"], invitation_event["payload_type"], invitation_event["catalog"]) == (
        "PENDING",
        "LeadInvitation",
        "Sandbox",
    )
    assert invitation_event["sender_company_name"] == "AWS"
    assert context_event["qualification_status"] == "Qualified"
    assert context_event["customer"]["country_code"] == "US"
    assert context_event["lead_contexts"] == ["1"]  # the conversion passes them on as the item's lead_contexts
    assert "contact1@example.com" not in json.dumps(events)  # contacts stay out of events
    json.dumps(events)  # events are JSON (the rule engine needs it)


def test_restart_emits_only_what_arrived_while_down(service: FakeLeadsService, path: str) -> None:
    service.add_invitation(1)
    service.add_engagement(1, [("1", "Qualified")])
    assert len(run(make_source(service, path))) == 2
    # down: new invitation, new lead
    invitation = service.add_invitation(3)
    lead = service.add_engagement(3, [("1", "Qualified")])
    events = run(make_source(service, path))
    assert keys(events) == [("lead_invitation", invitation, None), ("lead_context", lead, "1")]
    assert run(make_source(service, path)) == []


def test_without_checkpoint_a_restart_replays_open_leads(service: FakeLeadsService) -> None:
    service.add_engagement(1, [("1", "Qualified")])
    assert len(run(make_source(service, None))) == 1
    assert len(run(make_source(service, None))) == 1


def test_polls_dedupe_and_see_new_items(service: FakeLeadsService, path: str) -> None:
    service.add_engagement(1, [("1", "Qualified")])
    source = make_source(service, path)
    assert len(run(source)) == 1
    assert run(source) == []  # incremental poll, nothing new
    lead = service.add_engagement(2, [("1", None)])
    assert keys(run(source)) == [("lead_context", lead, "1")]


def test_qualification_change_emits_again_until_converted(service: FakeLeadsService, path: str) -> None:
    lead = service.add_engagement(1, [("1", None)])
    source = make_source(service, path)
    assert [event["qualification_status"] for event in run(source)] == [None]
    service.set_qualification(lead, "1", "Qualified")
    assert [event["qualification_status"] for event in run(source)] == ["Qualified"]
    service.convert(lead, "1")
    service.set_qualification(lead, "1", "Qualified again")
    assert run(source) == []
    assert source.checkpoint.engagements[lead]["contexts"]["1"]["converted"] is True


def test_two_leads_one_converted(service: FakeLeadsService, path: str) -> None:
    engagement = service.add_engagement(1, [("1", "Qualified"), ("2", "Qualified")])
    service.convert(engagement, "1")  # the task names the lead itself
    assert keys(run(make_source(service, path))) == [("lead_context", engagement, "2")]


def test_incremental_poll_reads_only_the_newest_pages(service: FakeLeadsService, path: str) -> None:
    for number in range(1, 7):
        service.add_engagement(number, [("1", "Converted")])
        service.convert(f"eng-{number:014d}", "1")
    source = make_source(service, path, page_size=2, reconcile_interval=10000)
    assert run(source) == []
    assert service.operations().count("ListEngagements") == 3
    service.calls.clear()
    newest = service.add_engagement(7, [("1", "Qualified")])
    assert keys(run(source)) == [("lead_context", newest, "1")]
    # page 1 holds the new engagement and a known one: the poll stops there
    assert service.operations().count("ListEngagements") == 1
    assert service.operations().count("ListEngagementInvitations") == 1


def test_full_reconciliation_at_its_interval_finds_old_changes(service: FakeLeadsService, path: str) -> None:
    old = service.add_engagement(1, [("1", None)])
    for number in range(2, 6):
        service.add_engagement(number, [("1", None)])
    source = make_source(service, path, page_size=2, poll_interval=60, reconcile_interval=120)
    assert len(run(source)) == 5
    service.set_qualification(old, "1", "Qualified")  # on the last page
    events = run(source, polls=3)  # incremental, incremental, then full (120 s later)
    assert keys(events) == [("lead_context", old, "1")]


def test_throttling_is_retried_by_botocore(service: FakeLeadsService, path: str) -> None:
    lead = service.add_engagement(1, [("1", "Qualified")])
    service.fail_next("ListEngagements", "ThrottlingException")
    events = run(make_source(service, path))
    assert keys(events) == [("lead_context", lead, "1")]
    assert service.operations().count("ListEngagements") == 2  # the throttled attempt and its retry


def test_throttling_beyond_retries_is_logged_and_the_next_poll_recovers(
    service: FakeLeadsService, path: str, caplog: Any
) -> None:
    lead = service.add_engagement(1, [("1", "Qualified")])
    service.fail_next("ListEngagements", "ThrottlingException", times=2)
    source = make_source(service, path, max_attempts=1)
    with caplog.at_level(logging.ERROR):
        assert run(source) == []
    assert "ThrottlingException" in caplog.text and "next poll tries again" in caplog.text
    assert keys(run(source)) == [("lead_context", lead, "1")]
    assert source.last_full is not None  # the second poll was the full one, completed


def test_a_bad_page_is_logged_and_the_loop_continues(service: FakeLeadsService, path: str, caplog: Any) -> None:
    invitation = service.add_invitation(1)
    lead = service.add_engagement(1, [("1", "Qualified")])
    service.html_next("ListEngagementInvitations")  # a proxy's login page, with status 200
    source = make_source(service, path)
    with caplog.at_level(logging.ERROR):
        first = run(source)
    assert keys(first) == [("lead_context", lead, "1")]  # the other half of the poll went on
    assert "text/html" in caplog.text
    assert keys(run(source)) == [("lead_invitation", invitation, None)]


def test_one_unreadable_engagement_does_not_hold_back_the_others(service: FakeLeadsService, path: str) -> None:
    first = service.add_engagement(1, [("1", "Qualified")])
    second = service.add_engagement(2, [("1", "Qualified")])
    service.fail_next("GetEngagement", "InternalServerException", status=500, times=4)
    source = make_source(service, path)
    assert keys(run(source)) == [("lead_context", first, "1")]  # newest first: the second failed
    assert keys(run(source)) == [("lead_context", second, "1")]


def test_reads_are_paced(service: FakeLeadsService, path: str) -> None:
    for number in range(1, 4):
        service.add_engagement(number, [("1", "Qualified")])
    source = make_source(service, path, max_reads_per_second=2)
    run(source)
    reads = len(service.calls)
    assert reads == 1 + 1 + 3 * 2  # invitations, engagements, then GetEngagement and the tasks of each
    # the pacer slept between reads: the reads span (reads - 1) / rate seconds of the fake clock
    assert sum(source.pacer.sleep.__self__.sleeps) >= (reads - 1) / 2 - 1e-9


def test_main_keeps_secrets_out_of_events_and_logs(
    service: FakeLeadsService, path: str, monkeypatch: Any, caplog: Any
) -> None:
    service.add_invitation(1)
    service.add_engagement(1, [("1", "Qualified")])
    monkeypatch.setattr(leads, "make_client", lambda options: make_client(service))

    class StopAfter(asyncio.Queue):
        def __init__(self) -> None:
            super().__init__()
            self.events: List[Dict[str, Any]] = []

        async def put(self, item: Any) -> None:
            self.events.append(item)
            if len(self.events) == 2:
                raise asyncio.CancelledError

    async def go() -> List[Dict[str, Any]]:
        queue = StopAfter()
        with pytest.raises(asyncio.CancelledError):
            await leads.main(
                queue,
                {
                    "catalog": "Sandbox",
                    "checkpoint_path": path,
                    "access_key": ACCESS_KEY,
                    "secret_key": SECRET_KEY,
                    "session_token": "session-token-secret",
                    "endpoint_url": "https://user:" + SECRET_KEY + "@partnercentral.invalid",
                    "max_reads_per_second": 10,
                },
            )
        return queue.events

    with caplog.at_level(logging.DEBUG, logger="partnercentral.selling.leads"):
        events = asyncio.run(go())
    assert [event["type"] for event in events] == ["lead_invitation", "lead_context"]
    assert "watching catalog Sandbox" in caplog.text
    with open(path, encoding="utf-8") as handle:
        stored = handle.read()
    for text in (json.dumps(events), caplog.text, stored):
        assert SECRET_KEY not in text
        assert ACCESS_KEY not in text
        assert "session-token-secret" not in text


# --- facts shared with the modules (the source cannot import module_utils inside ansible-rulebook) ---------------


def test_shared_facts_match_the_modules() -> None:
    from ansible_collections.partnercentral.selling.plugins.module_utils import _module_base
    from ansible_collections.partnercentral.selling.plugins.module_utils import _validation

    assert leads.SERVICE_NAME == _module_base.SERVICE_NAME
    assert leads.SERVICE_REGION == _module_base.SERVICE_REGION
    assert leads.CATALOGS == _validation.CATALOGS


@pytest.mark.parametrize(
    "lead_ids, task_contexts, expected",
    [
        (["1"], ["1"], ["1"]),
        (["1"], ["2"], ["1"]),  # the new CustomerProject context answered for the single lead
        (["2"], ["1"], []),  # an older context is not the conversion of this lead
        (["1", "2"], ["3"], []),  # several leads: only exact matches
        (["1", "2"], ["2"], ["2"]),
    ],
)
def test_task_attribution_is_the_engines(lead_ids: List[str], task_contexts: List[str], expected: List[str]) -> None:
    from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import CONVERTED
    from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import lead_states

    tasks = [{"ContextId": context, "TaskStatus": "COMPLETE"} for context in task_contexts]
    assert leads.converted_lead_contexts(tasks, lead_ids) == expected
    engine = [lead for lead, state in lead_states(tasks, lead_ids).items() if state.state == CONVERTED]
    assert engine == expected


def test_a_lead_the_source_takes_as_converted_is_converted_for_the_engine() -> None:
    # The source may emit a lead that the engine then finds converted (already done, no write), never the reverse.
    from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import CONVERTED
    from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import lead_states

    tasks = [{"ContextId": context, "TaskStatus": "COMPLETE"} for context in ("3", "4")]
    assert leads.converted_lead_contexts(tasks, ["1", "2"]) == []
    assert {lead for lead, state in lead_states(tasks, ["1", "2"]).items() if state.state == CONVERTED} == {"1", "2"}


def test_each_kind_of_event_can_be_turned_off(service: FakeLeadsService, path: str) -> None:
    invitation = service.add_invitation(1)
    lead = service.add_engagement(1, [("1", "Qualified")])
    assert keys(run(make_source(service, None, lead_contexts=False))) == [("lead_invitation", invitation, None)]
    assert "ListEngagements" not in service.operations()
    service.calls.clear()
    assert keys(run(make_source(service, None, lead_invitations="no"))) == [("lead_context", lead, "1")]
    assert "ListEngagementInvitations" not in service.operations()
    with pytest.raises(leads.OptionError, match="nothing to emit"):
        leads.parse_options({"lead_invitations": False, "lead_contexts": False})


def test_documentation_matches_the_options() -> None:
    """DOCUMENTATION is the reference of the options: names, defaults, choices and aliases are the code's."""
    import yaml

    documented = yaml.safe_load(leads.DOCUMENTATION)["options"]
    defaults = leads.Options()
    assert set(documented) == set(leads.Options.__dataclass_fields__)
    for name, spec in documented.items():
        default = getattr(defaults, name)
        assert spec.get("default") == default, name
        for alias in leads.ALIASES.get(name, ()):
            assert f"C({alias})" in " ".join(spec["description"]), (name, alias)
    assert documented["catalog"]["choices"] == list(leads.CATALOGS)
    assert documented["invitation_statuses"]["choices"] == list(leads.INVITATION_STATUSES)
    examples = yaml.safe_load(leads.EXAMPLES)
    assert "partnercentral.selling.leads" in examples[0]["sources"][0]


def test_an_unwritable_checkpoint_stops_the_source_before_any_call(tmp_path: Any, monkeypatch: Any) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(leads, "make_client", lambda options: pytest.fail("no client before the checkpoint works"))
    with pytest.raises(leads.OptionError, match="cannot write checkpoint_path"):
        asyncio.run(leads.main(asyncio.Queue(), {"checkpoint_path": str(blocker / "leads.json")}))

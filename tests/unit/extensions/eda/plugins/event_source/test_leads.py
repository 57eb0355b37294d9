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
    """Both clocks of the source: the pace (monotonic) and the emission times of the checkpoint (epoch seconds)."""

    def __init__(self) -> None:
        self.now = 1767614400.0
        self.sleeps: List[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_source(
    service: FakeLeadsService,
    path: Optional[str],
    page_size: int = 100,
    max_attempts: int = 3,
    clock: Optional[FakeClock] = None,
    **options: Any,
) -> Any:
    """A source on the fake service; its clock paces it and stamps its emissions (pass one clock to a restart)."""
    opts = leads.parse_options({"catalog": "Sandbox", "checkpoint_path": path, **options})
    checkpoint = leads.Checkpoint(opts.checkpoint_path, opts.catalog)
    checkpoint.load()
    clock = clock or FakeClock()
    pacer = leads.Pacer(opts.max_reads_per_second, clock=clock, sleep=clock.sleep)
    api = leads.LeadsApi(make_client(service, max_attempts=max_attempts), opts.catalog, page_size=page_size)
    return leads.LeadSource(api, checkpoint, opts, pacer=pacer, clock=clock, sleep=clock.sleep, wall=clock)


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
    assert options.redeliver_after == 3600.0
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
    checkpoint.invitations["engi-1"] = {"status": "PENDING", "emitted_at": 1767614400.5, "deliveries": 2}
    checkpoint.engagements["eng-1"] = {
        "modified_at": "t",
        "contexts": {
            "1": {"qualification_status": "Qualified", "converted": False, "emitted_at": 1767614400.0, "deliveries": 1},
            "2": {"qualification_status": "Qualified", "converted": True, "emitted_at": None, "deliveries": 0},
        },
    }
    checkpoint.save()
    assert os.listdir(os.path.dirname(path)) == ["leads.json"]  # no temporary file left
    assert json.loads(open(path, encoding="utf-8").read())["version"] == 2
    again = leads.Checkpoint(path, "Sandbox")
    again.load()
    assert again.invitations == checkpoint.invitations
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


def _model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("partnercentral-selling")


def test_shared_facts_match_the_modules_and_the_model() -> None:
    from ansible_collections.partnercentral.selling.plugins.module_utils import _attribution
    from ansible_collections.partnercentral.selling.plugins.module_utils import _discovery
    from ansible_collections.partnercentral.selling.plugins.module_utils import _module_base
    from ansible_collections.partnercentral.selling.plugins.module_utils import _validation
    from ansible_collections.partnercentral.selling.plugins.module_utils._api import tasks as _tasks
    from ansible_collections.partnercentral.selling.plugins.module_utils._module import invitation

    assert leads.SERVICE_NAME == _module_base.SERVICE_NAME
    assert leads.SERVICE_REGION == _module_base.SERVICE_REGION
    assert leads.CATALOGS == _validation.CATALOGS
    model = _model()
    invitations = model.operation_model("ListEngagementInvitations").input_shape.members
    # The source reads the statuses from the model; the modules' choices are the model's too.
    assert leads.INVITATION_STATUSES == tuple(invitations["Status"].member.enum)
    assert set(leads.INVITATION_STATUSES) == set(_validation.INVITATION_STATUSES)
    assert leads.PENDING == invitation.PENDING and leads.PENDING in leads.INVITATION_STATUSES
    assert leads.LEAD_INVITATION in invitations["PayloadType"].member.enum
    assert leads.LEAD_INVITATION in _validation.INVITATION_PAYLOAD_TYPES
    assert (
        leads.LEAD_CONTEXT in model.operation_model("ListEngagements").input_shape.members["ContextTypes"].member.enum
    )
    assert leads.LEAD_CONTEXT == _discovery.LEAD
    task_statuses = model.shape_for("TaskStatus").enum
    assert leads.COMPLETE in task_statuses and leads.COMPLETE in _attribution.LIVE_STATUSES
    # The page sizes are the model's largest.
    assert leads.PAGE_SIZE == invitations["MaxResults"].metadata["max"]
    assert leads.TASK_PAGE_SIZE == (
        model.operation_model("ListOpportunityFromEngagementTasks").input_shape.members["MaxResults"].metadata["max"]
    )
    # The qualified-lead rule.
    assert leads.QUALIFIED == _discovery.CONVERTIBLE_STATUS
    assert leads.QUALIFIED in _validation.QUALIFICATION_STATUSES
    # The user agent names the collection, as the modules' (set_collection_info) does.
    assert leads.USER_AGENT_EXTRA.startswith(_module_base.COLLECTION_NAME)
    # The conversion's client token is stable per lead context: a redelivered event replays instead of duplicating.
    token = _tasks.derive_client_token("Sandbox", "eng-abcdefghijklmn", "1")
    assert token.startswith(_tasks.TOKEN_PREFIX)
    assert token == _tasks.derive_client_token("Sandbox", "eng-abcdefghijklmn", "1")
    assert token != _tasks.derive_client_token("Sandbox", "eng-abcdefghijklmn", "3")


def _lead_context(context_id: str, status: Optional[str], kind: str = "Lead") -> Dict[str, Any]:
    payload = {"Lead": {"QualificationStatus": status}} if status else {"Lead": {}}
    return {"Id": context_id, "Type": kind, "Payload": payload if kind == "Lead" else {}}


@pytest.mark.parametrize(
    "contexts",
    [
        [_lead_context("1", "Qualified")],
        [_lead_context("1", "Qualified"), _lead_context("2", "Unqualified"), _lead_context("3", "Qualified")],
        [_lead_context("1", None), _lead_context("2", "Disqualified")],
        [_lead_context("1", "Qualified"), _lead_context("2", None, "CustomerProject")],
        [],
    ],
)
def test_the_qualified_lead_rule_is_discoverys(contexts: List[Dict[str, Any]]) -> None:
    from ansible_collections.partnercentral.selling.plugins.module_utils._discovery import lead_contexts_of

    assert leads.qualified_lead_contexts(contexts) == lead_contexts_of(contexts)


@pytest.mark.parametrize("value", ["1", "12", "007", "x", "", None, 3, "2a"])
def test_context_number_is_the_attributions(value: Any) -> None:
    from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import context_number

    assert leads.context_number(value) == context_number(value)


def test_connection_options_and_aliases_are_amazon_aws() -> None:
    from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec

    spec = aws_argument_spec()
    # What the source takes of the modules' connection options; aws_config and debug_botocore_endpoint_logs are
    # about a module's client in a playbook run, not a long-running source.
    taken = set(spec) & set(leads.Options.__dataclass_fields__)
    assert taken == {
        "access_key",
        "secret_key",
        "session_token",
        "profile",
        "region",
        "endpoint_url",
        "validate_certs",
        "aws_ca_bundle",
    }
    for option in taken:
        # The aliases amazon.aws still supports (older releases list a few deprecated ones, amazon.aws 10 none).
        deprecated = {alias["name"] for alias in spec[option].get("deprecated_aliases", ())}
        current = tuple(alias for alias in spec[option].get("aliases", ()) if alias not in deprecated)
        assert leads.ALIASES.get(option, ()) == current, option
    assert set(leads.DEPRECATED_ALIASES.values()) <= taken
    assert leads.Options().validate_certs == spec["validate_certs"]["default"]


def test_client_creation_is_the_modules() -> None:
    from ansible_collections.partnercentral.selling.plugins.module_utils import _module_base

    client = leads.make_client(
        leads.parse_options({"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "endpoint_url": "http://127.0.0.1:1"})
    )
    assert client.meta.service_model.service_name == _module_base.SERVICE_NAME
    assert client.meta.region_name == _module_base.SERVICE_REGION
    assert leads.USER_AGENT_EXTRA in client.meta.config.user_agent_extra


def test_pacing_leaves_the_modules_their_read_rate() -> None:
    from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import DEFAULT_READ_RATE

    # The account's read quota is shared with the jobs that the rules start, at the modules' default read rate.
    assert leads.Options().max_reads_per_second + DEFAULT_READ_RATE <= leads.READ_QUOTA
    with pytest.raises(leads.OptionError, match="max_reads_per_second"):
        leads.parse_options({"max_reads_per_second": leads.READ_QUOTA + 1})
    assert leads.Pacer(DEFAULT_READ_RATE).interval == 1.0 / DEFAULT_READ_RATE  # the engine's read_interval


def test_retries_give_up_no_sooner_than_a_modules_read() -> None:
    from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import READ_ATTEMPTS

    assert leads.Options().max_attempts >= READ_ATTEMPTS


def _retried_codes() -> List[str]:
    from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import RETRY_ERROR_CODES

    errors = {shape.name for shape in _model().operation_model("ListEngagements").error_shapes}
    return [code for code in RETRY_ERROR_CODES if code in errors]


@pytest.mark.parametrize("code", _retried_codes())
def test_the_service_errors_the_modules_retry_are_retried_by_botocore(
    code: str, service: FakeLeadsService, path: str
) -> None:
    from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import TRANSIENT_CODES

    lead = service.add_engagement(1, [("1", "Qualified")])
    service.fail_next("ListEngagements", code, status=500 if code in TRANSIENT_CODES else 400)
    assert keys(run(make_source(service, path))) == [("lead_context", lead, "1")]
    assert service.operations().count("ListEngagements") == 2


@pytest.mark.parametrize(
    "lead_ids, task_contexts, expected",
    [
        (["1"], ["1"], ["1"]),
        (["1"], ["2"], ["1"]),  # the new CustomerProject context answered for the single lead
        (["2"], ["1"], []),  # an older context is not the conversion of this lead
        (["1", "2"], ["3"], []),  # several leads: only exact matches
        (["1", "2"], ["2"], ["2"]),
        (["1"], ["cp-x"], ["1"]),  # ids that are not numbers: no order can rule the task out
        (["lead-a"], ["2"], ["lead-a"]),
        (["lead-a", "lead-b"], ["x"], []),
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
    assert set(documented["invitation_statuses"]["choices"]) == set(leads.INVITATION_STATUSES)
    examples = yaml.safe_load(leads.EXAMPLES)
    assert "partnercentral.selling.leads" in examples[0]["sources"][0]


def test_an_unwritable_checkpoint_stops_the_source_before_any_call(tmp_path: Any, monkeypatch: Any) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(leads, "make_client", lambda options: pytest.fail("no client before the checkpoint works"))
    with pytest.raises(leads.OptionError, match="cannot write checkpoint_path"):
        asyncio.run(leads.main(asyncio.Queue(), {"checkpoint_path": str(blocker / "leads.json")}))


# --- redelivery: an emitted event is a delivery attempt, not a conversion ------------------------------------------


def emissions(source: Any, clock: FakeClock, polls: int) -> List[tuple]:
    """(time, key) of each event of `polls` polls, by the source's clock."""

    class Stamped(asyncio.Queue):
        def __init__(self) -> None:
            super().__init__()
            self.stamped: List[tuple] = []

        async def put(self, item: Any) -> None:
            self.stamped.append((clock.now, keys([item])[0]))

    async def go() -> List[tuple]:
        queue = Stamped()
        await source.run(queue, polls=polls)
        return queue.stamped

    return asyncio.run(go())


@pytest.mark.parametrize("value", [0, -5, "soon", "nan", "inf", True])
def test_redeliver_after_must_be_a_positive_number(value: Any) -> None:
    with pytest.raises(leads.OptionError, match="redeliver_after must be"):
        leads.parse_options({"redeliver_after": value})
    assert leads.parse_options({"redeliver_after": "90"}).redeliver_after == 90.0


def test_redelivery_delay_doubles_and_is_capped() -> None:
    assert [leads.redelivery_delay(900, deliveries) for deliveries in (1, 2, 3, 4)] == [900, 1800, 3600, 7200]
    assert leads.redelivery_delay(900, 10_000) == leads.REDELIVER_MAX == 86400
    assert leads.redelivery_delay(2 * 86400, 3) == 2 * 86400  # a longer redeliver_after is its own cap


def test_an_event_lost_in_a_restart_is_delivered_again_once_due(
    service: FakeLeadsService, path: str, caplog: Any
) -> None:
    lead = service.add_engagement(1, [("1", "Qualified")])
    invitation = service.add_invitation(1)
    clock = FakeClock()
    expected = [("lead_invitation", invitation, None), ("lead_context", lead, "1")]
    assert keys(run(make_source(service, path, clock=clock, redeliver_after=600))) == expected
    # Killed with both events still queued: they never reached an action. A restart before they are due emits
    # nothing (they may still be on their way)...
    clock.now += 300
    assert run(make_source(service, path, clock=clock, redeliver_after=600)) == []
    # ...once their last emission is older than redeliver_after, what the service still shows open is emitted again.
    clock.now += 400
    with caplog.at_level(logging.INFO, logger="partnercentral.selling.leads"):
        source = make_source(service, path, clock=clock, redeliver_after=600)
        assert keys(run(source)) == expected
    assert "redelivering lead context 1 of engagement " + lead in caplog.text
    assert "still unconverted after 1 deliveries" in caplog.text
    assert f"redelivering lead invitation {invitation}: still PENDING after 1 deliveries" in caplog.text
    assert source.checkpoint.engagements[lead]["contexts"]["1"]["deliveries"] == 2
    assert source.checkpoint.invitations[invitation]["deliveries"] == 2


def test_what_is_converted_or_answered_is_not_delivered_again(service: FakeLeadsService, path: str) -> None:
    lead = service.add_engagement(1, [("1", "Qualified")])
    invitation = service.add_invitation(1)
    clock = FakeClock()
    source = make_source(service, path, clock=clock, redeliver_after=600, reconcile_interval=10**6)
    assert len(run(source)) == 2
    service.convert(lead, "1", answered_context="2")
    service.invitations[invitation]["Status"] = "ACCEPTED"
    clock.now += 601
    assert run(source) == []
    assert source.checkpoint.engagements[lead]["contexts"]["1"]["converted"] is True
    assert invitation not in source.checkpoint.invitations
    service.calls.clear()
    clock.now += 10 * 86400
    assert run(source) == []
    # nothing open is left: an incremental poll reads the newest pages and nothing else
    assert service.operations() == ["ListEngagementInvitations", "ListEngagements"]


def test_redelivery_does_not_wait_for_the_full_reconciliation_and_reads_only_what_is_due(
    service: FakeLeadsService, path: str
) -> None:
    older = [service.add_engagement(number, [("1", "Qualified")]) for number in (1, 2)]
    clock = FakeClock()
    source = make_source(service, path, clock=clock, redeliver_after=600, reconcile_interval=10**6)
    assert len(run(source)) == 2
    clock.now += 300
    newer = service.add_engagement(3, [("1", "Qualified")])
    assert keys(run(source)) == [("lead_context", newer, "1")]
    clock.now += 301
    service.calls.clear()
    assert sorted(keys(run(source))) == sorted(("lead_context", engagement, "1") for engagement in older)
    assert source.last_full is not None and service.operations().count("GetEngagement") == 2  # not the newer one


def test_a_lead_that_keeps_failing_backs_off_and_each_redelivery_says_why(
    service: FakeLeadsService, path: str, caplog: Any
) -> None:
    lead = service.add_engagement(1, [("1", "Qualified")])
    clock = FakeClock()
    source = make_source(service, path, clock=clock, redeliver_after=100, poll_interval=20, reconcile_interval=10**6)
    service.fail_conversion(lead, "1", "EngagementValidationFailed", "The engagement data is incomplete")
    with caplog.at_level(logging.INFO, logger="partnercentral.selling.leads"):
        stamped = emissions(source, clock, polls=80)  # 1,600 s
    times = [at for at, _key in stamped]
    assert {key for _at, key in stamped} == {("lead_context", lead, "1")}
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    assert len(gaps) == 4  # emitted, then again after 100, 200, 400 and 800 s (the next would be at 3,100 s)
    for gap, delay in zip(gaps, (100, 200, 400, 800)):
        assert delay <= gap < delay + 20 + 5  # due, then seen at the next poll
    lines = [record.getMessage() for record in caplog.records if "redelivering lead context" in record.getMessage()]
    assert len(lines) == 4  # once per redelivery
    assert all("EngagementValidationFailed: The engagement data is incomplete" in line for line in lines)
    assert all(record.levelno == logging.WARNING for record in caplog.records if "redelivering" in record.message)
    assert "next redelivery in 1600 s" in lines[-1]


def test_an_unqualified_lead_is_redelivered_quietly(service: FakeLeadsService, path: str, caplog: Any) -> None:
    lead = service.add_engagement(1, [("1", "Unqualified")])
    clock = FakeClock()
    source = make_source(service, path, clock=clock, redeliver_after=600)
    assert len(run(source)) == 1
    clock.now += 601
    with caplog.at_level(logging.INFO, logger="partnercentral.selling.leads"):
        assert keys(run(source)) == [("lead_context", lead, "1")]
    assert [record.levelno for record in caplog.records if "redelivering" in record.message] == [logging.INFO]


def _as_version_1(path: str) -> None:
    """The checkpoint as the source wrote it before redelivery: statuses only, no emission times."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    data["version"] = 1
    data["invitations"] = {identifier: record["status"] for identifier, record in data["invitations"].items()}
    for record in data["engagements"].values():
        for context in record["contexts"].values():
            del context["emitted_at"], context["deliveries"]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle)


def test_a_version_1_checkpoint_loads_and_its_open_leads_are_delivered_again_at_once(
    service: FakeLeadsService, path: str, caplog: Any
) -> None:
    invitation = service.add_invitation(1)
    lead = service.add_engagement(1, [("1", "Qualified")])
    converted = service.add_engagement(2, [("1", "Qualified")])
    service.convert(converted, "1")
    clock = FakeClock()
    assert len(run(make_source(service, path, clock=clock))) == 2
    _as_version_1(path)
    clock.now += 10  # long before redeliver_after
    with caplog.at_level(logging.INFO, logger="partnercentral.selling.leads"):
        source = make_source(service, path, clock=clock)
        events = run(source)
    assert keys(events) == [("lead_invitation", invitation, None), ("lead_context", lead, "1")]
    assert "is of version 1" in caplog.text and "is unreadable" not in caplog.text
    with open(path, encoding="utf-8") as handle:
        assert json.load(handle)["version"] == 2
    assert source.checkpoint.engagements[converted]["contexts"]["1"]["converted"] is True
    clock.now += 10
    assert run(make_source(service, path, clock=clock)) == []  # delivered again once, not at every poll


@pytest.mark.parametrize(
    "content",
    [
        '{"version": 2, "catalog": "Sandbox", "invitations": {"engi-1": {"status": "PENDING"}}, "engagements": {}}',
        '{"version": 3, "catalog": "Sandbox", "invitations": {}, "engagements": {}}',
        '{"version": 2, "catalog": "Sandbox", "invitations": {}, "engagements": {"e": {"contexts": {"1": 5}}}}',
        "\x00\x01 garbage",
    ],
)
def test_after_a_corrupt_checkpoint_each_open_lead_is_delivered_once(
    service: FakeLeadsService, path: str, content: str
) -> None:
    lead = service.add_engagement(1, [("1", "Qualified")])
    converted = service.add_engagement(2, [("1", "Qualified")])
    service.convert(converted, "1", answered_context="2")
    clock = FakeClock()
    assert len(run(make_source(service, path, clock=clock))) == 1
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(content)
    clock.now += 60
    source = make_source(service, path, clock=clock)
    assert keys(run(source)) == [("lead_context", lead, "1")]  # as new: once, and the converted one not at all
    assert [name for name in os.listdir(os.path.dirname(path)) if ".corrupt-" in name]
    assert run(source, polls=3) == []


def test_an_engagement_gone_from_the_service_is_not_redelivered(service: FakeLeadsService, path: str) -> None:
    lead = service.add_engagement(1, [("1", "Qualified")])
    clock = FakeClock()
    source = make_source(service, path, clock=clock, redeliver_after=600, reconcile_interval=10**6)
    assert len(run(source)) == 1
    clock.now += 601
    del service.engagements[lead]
    service.fail_next("GetEngagement", "ResourceNotFoundException", status=404)
    assert run(source) == []
    assert lead not in source.checkpoint.engagements
    service.calls.clear()
    clock.now += 10 * 86400
    assert run(source, polls=2) == [] and "GetEngagement" not in service.operations()


def test_the_deprecated_alias_security_token_still_works_and_warns(caplog: Any) -> None:
    """An activation of an earlier release names session_token security_token: it keeps working, with a warning."""
    with caplog.at_level("WARNING", logger="partnercentral.selling.leads"):
        options = leads.parse_options({"security_token": "token-value"})
    assert options.session_token == "token-value"
    assert "'security_token' is deprecated" in caplog.text
    assert "token-value" not in caplog.text  # the value is a secret: never logged
    with pytest.raises(leads.OptionError, match="given twice"):
        leads.parse_options({"security_token": "a", "session_token": "b"})

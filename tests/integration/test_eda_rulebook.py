# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The example rulebook with the real engine: ansible-rulebook runs extensions/eda/rulebooks/leads.yml, with the
event source partnercentral.selling.leads, against the emulator.

The emulator adds leads and invitations while the rulebook runs (its admin endpoints); every qualifying lead is
converted exactly once (its latency is printed beside the bound of two poll intervals plus the conversion job's own
time: a figure, not an assertion, since the jobs' time depends on the machine's load); the others are left alone; a
rulebook killed with SIGKILL and started again converts nothing twice and nothing added while it was down is missed.
ansible-rulebook's rule engine (drools) needs a Java runtime: the tests that start it are skipped, with the reason,
when `ansible-rulebook --version` finds none. Each test prints its measured latencies and their bound.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from typing import Dict
from typing import List

import pytest
from ansible_collections.partnercentral.selling.extensions.eda.plugins.event_source import leads
from ansible_collections.partnercentral.selling.tests.rulebook_support import CONVERSION_PLAYBOOK
from ansible_collections.partnercentral.selling.tests.rulebook_support import MATCHING
from ansible_collections.partnercentral.selling.tests.rulebook_support import Rulebook
from ansible_collections.partnercentral.selling.tests.rulebook_support import kill_trial
from ansible_collections.partnercentral.selling.tests.rulebook_support import rulebook_env
from ansible_collections.partnercentral.selling.tests.rulebook_support import rulebook_problem
from ansible_collections.partnercentral.selling.tests.support import ansible_env
from ansible_collections.partnercentral.selling.tests.support import run_playbook

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CATALOG = "Sandbox"
POLL_INTERVAL = 3
NOT_MATCHING = {"company_name": "Octank", "industry": "Healthcare", "segment": "Enterprise", "country_code": "DE"}

QUALIFIED = ["eng-eda0000000001a", "eng-eda0000000002a"]
UNQUALIFIED = "eng-eda0000000003a"
CONVERTED_BEFORE = "eng-eda0000000004a"
TWO_LEADS = "eng-eda0000000005a"  # two qualified lead contexts


def _lead(context_id: str, status: str) -> Dict[str, Any]:
    return {"id": context_id, "type": "Lead", "qualification_status": status}


FIXTURE = {
    "engagements": [
        *({"catalog": CATALOG, "id": engagement, "contexts": [_lead("1", "Qualified")]} for engagement in QUALIFIED),
        {"catalog": CATALOG, "id": UNQUALIFIED, "contexts": [_lead("1", "Unqualified")]},
        {"catalog": CATALOG, "id": CONVERTED_BEFORE, "contexts": [_lead("1", "Qualified")]},
    ]
}
TWO_LEADS_FIXTURE = {
    "engagements": [
        {"catalog": CATALOG, "id": TWO_LEADS, "contexts": [_lead("1", "Qualified"), _lead("2", "Qualified")]}
    ]
}


@pytest.fixture(scope="module")
def rulebook_engine() -> None:
    """A skip that says what is missing when ansible-rulebook or its Java runtime is not there."""
    problem = rulebook_problem()
    if problem:
        pytest.skip(problem)


def _env(emulator: Any, tmp_path: Any) -> Dict[str, str]:
    return rulebook_env(ansible_env(emulator, tmp_path))


def _tasks(client: Any, engagement: str) -> List[Dict[str, Any]]:
    answer = client.list_opportunity_from_engagement_tasks(Catalog=CATALOG, EngagementIdentifier=[engagement])
    return answer["TaskSummaries"]


def _convert_before(client: Any, engagement: str, context: str) -> None:
    client.start_opportunity_from_engagement_task(
        Catalog=CATALOG, Identifier=engagement, ContextIdentifier=context, ClientToken=f"before-{engagement}-{context}"
    )


@pytest.fixture
def rulebooks() -> Any:
    started: List[Rulebook] = []
    yield started
    for rulebook in started:
        rulebook.kill()
        rulebook.kill_survivors()


def _run_conversion(emulator: Any, tmp_path: Any, engagement: str, context: str, leads: Any = None) -> str:
    """The conversion playbook as the rule runs it, with a lead_context event as ansible_eda.event."""
    event = {"type": "lead_context", "catalog": CATALOG, "engagement_id": engagement, "context_id": context,
             "qualification_status": "Qualified", "lead_contexts": leads or [context]}  # fmt: skip
    extra = tmp_path / f"event-{engagement}-{context}.json"
    extra.write_text(json.dumps({"ansible_eda": {"event": event}}))
    inventory = tmp_path / "inventory"
    inventory.write_text("localhost ansible_connection=local\n")
    result = run_playbook(CONVERSION_PLAYBOOK, str(inventory), _env(emulator, tmp_path), "-e", f"@{extra}")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_same_event_twice_converts_once(emulator: Any, tmp_path: Any) -> None:
    """The conversion playbook is what the rule runs: a repeated event finds the earlier task (already done)."""
    emulator.reset(fixture=FIXTURE, engagements=0, write_tps=0)
    assert "1 created" in _run_conversion(emulator, tmp_path, QUALIFIED[0], "1")
    assert "1 already done" in _run_conversion(emulator, tmp_path, QUALIFIED[0], "1")
    assert len(_tasks(emulator.client(), QUALIFIED[0])) == 1


def test_two_lead_contexts_of_one_engagement_converted_one_event_each(emulator: Any, tmp_path: Any) -> None:
    # Lead 1's task names the new CustomerProject context (AWS's sample); the event of lead 2 carries the engagement's
    # lead contexts, so the engine cannot take that task for lead 2's: it replays lead 2's token, which converts it.
    emulator.reset(fixture=TWO_LEADS_FIXTURE, engagements=0, write_tps=0)
    leads = ["1", "2"]
    assert "1 created" in _run_conversion(emulator, tmp_path, TWO_LEADS, "1", leads)
    assert "1 created" in _run_conversion(emulator, tmp_path, TWO_LEADS, "2", leads)
    assert "1 already done" in _run_conversion(emulator, tmp_path, TWO_LEADS, "2", leads)
    assert len(_tasks(emulator.client(), TWO_LEADS)) == 2


def _run_source_once(emulator: Any, checkpoint: Any) -> List[Dict[str, Any]]:
    """One poll of the event source (a full reconciliation at first) against the emulator, without ansible-rulebook."""
    options = leads.parse_options({"catalog": CATALOG, "checkpoint_path": str(checkpoint), "max_reads_per_second": 10})
    store = leads.Checkpoint(options.checkpoint_path, options.catalog)
    store.load()
    source = leads.LeadSource(leads.LeadsApi(emulator.client(), CATALOG), store, options)

    async def poll() -> List[Dict[str, Any]]:
        queue: asyncio.Queue = asyncio.Queue()
        await source.run(queue, polls=1)
        return [queue.get_nowait() for _event in range(queue.qsize())]

    return asyncio.run(poll())


def test_the_source_follows_the_emulators_lead_intake(emulator: Any, tmp_path: Any) -> None:
    emulator.reset(engagements=0, write_tps=0)
    admin = emulator.admin
    invited = admin.add_lead(customer=MATCHING, qualification_status="Qualified", invitation={"status": "PENDING"})
    other = admin.add_lead(customer=NOT_MATCHING, qualification_status="Qualified", invitation={"status": "PENDING"})
    visible = admin.add_lead(customer=MATCHING, qualification_status="Unqualified")
    checkpoint = tmp_path / "checkpoint.json"

    events = _run_source_once(emulator, checkpoint)
    invitations = {event["invitation_id"]: event for event in events if event["type"] == "lead_invitation"}
    contexts = [event for event in events if event["type"] == "lead_context"]
    assert set(invitations) == {invited["invitation_id"], other["invitation_id"]}
    first = invitations[invited["invitation_id"]]
    assert (first["status"], first["payload_type"], first["engagement_id"]) == (
        "PENDING",
        "LeadInvitation",
        invited["engagement_id"],
    )
    customer = first["customer"]
    assert (customer["company_name"], customer["industry"], customer["market_segment"], customer["country_code"]) == (
        "AnyCompany",
        "Software and Internet",
        "Enterprise",
        "US",
    )
    assert invitations[other["invitation_id"]]["customer"]["country_code"] == "DE"
    # the invited engagements stay hidden until accepted
    assert [(event["engagement_id"], event["qualification_status"]) for event in contexts] == [
        (visible["engagement_id"], "Unqualified")
    ]

    client = emulator.client()
    client.accept_engagement_invitation(Catalog=CATALOG, Identifier=invited["invitation_id"])
    client.reject_engagement_invitation(Catalog=CATALOG, Identifier=other["invitation_id"], RejectionReason="Other")
    admin.set_qualification(visible["engagement_id"], visible["context_id"], "Qualified")
    events = _run_source_once(emulator, checkpoint)  # a restart: full reconciliation from the checkpoint
    assert sorted((event["type"], event["engagement_id"], event["qualification_status"]) for event in events) == sorted(
        [
            ("lead_context", invited["engagement_id"], "Qualified"),
            ("lead_context", visible["engagement_id"], "Qualified"),
        ]
    )
    state = json.loads(checkpoint.read_text())
    assert state["invitations"] == {}  # no longer PENDING: dropped at the full reconciliation
    assert _run_source_once(emulator, checkpoint) == []


def _job_seconds(emulator: Any, tmp_path: Any, engagement: str) -> float:
    """How long one conversion job takes here: the playbook the rule runs, for a lead that is already converted."""
    started = time.monotonic()
    assert "1 already done" in _run_conversion(emulator, tmp_path, engagement, "1")
    return time.monotonic() - started


def test_rulebook_converts_leads_as_they_arrive_and_across_a_kill(
    rulebook_engine: str, emulator: Any, tmp_path: Any, rulebooks: List[Rulebook]
) -> None:
    emulator.reset(fixture=FIXTURE, engagements=0, write_tps=0)
    client = emulator.client()
    admin = emulator.admin
    _convert_before(client, CONVERTED_BEFORE, "1")
    env = _env(emulator, tmp_path)
    checkpoint = tmp_path / "checkpoint.json"
    job = max(_job_seconds(emulator, tmp_path, CONVERTED_BEFORE) for _run in range(2))
    bound = 2 * POLL_INTERVAL + job  # the emulator's task latency is 0: a task completes in the Start answer

    def converted(engagement: str) -> int:
        return len(_tasks(client, engagement))

    first = Rulebook(tmp_path, env, "first").start()
    rulebooks.append(first)
    # ansible-rulebook starts the JVM first: the leads that exist at start have no latency bound.
    first.wait_for(lambda: all(converted(engagement) == 1 for engagement in QUALIFIED), 240, "the fixture's leads")

    latencies = {}
    added_while_running = []
    for number in range(2):
        added = admin.add_lead(customer=MATCHING, qualification_status="Qualified")["engagement_id"]
        added_while_running.append(added)
        latencies[f"added lead {number + 1}"] = first.wait_for(lambda: converted(added) == 1, 120, f"lead {added}")
    left_alone = admin.add_lead(customer=MATCHING, qualification_status="Unqualified")["engagement_id"]
    admin.set_qualification(UNQUALIFIED, "1", "Qualified")  # an old lead qualified later
    latencies["lead qualified later"] = first.wait_for(lambda: converted(UNQUALIFIED) == 1, 120, "the qualified lead")
    time.sleep(3 * POLL_INTERVAL)
    first.kill()
    state = json.loads(checkpoint.read_text())["engagements"]
    assert state[CONVERTED_BEFORE]["contexts"]["1"]["converted"] is True  # converted before: never emitted
    record = state[left_alone]["contexts"]["1"]
    assert (record["qualification_status"], record["converted"]) == ("Unqualified", False)
    assert record["deliveries"] >= 1 and record["emitted_at"] > 0  # emitted: a delivery attempt, with its time

    # while the rulebook is down
    while_down = admin.add_lead(customer=MATCHING, qualification_status="Qualified")["engagement_id"]
    left_alone_down = admin.add_lead(customer=MATCHING, qualification_status="Disqualified")["engagement_id"]

    second = Rulebook(tmp_path, env, "second").start()
    rulebooks.append(second)
    second.wait_for(lambda: converted(while_down) == 1, 240, "the lead added while the rulebook was down")
    second.wait_for(lambda: "full reconciliation done" in second.log(), 60, "the full reconciliation after restart")
    time.sleep(3 * POLL_INTERVAL)
    second.kill()

    print(f"job {job:.1f} s, bound 2 x {POLL_INTERVAL} s + job = {bound:.1f} s; latencies: {latencies}")
    qualifying = [*QUALIFIED, UNQUALIFIED, *added_while_running, while_down]
    for engagement in qualifying:
        assert converted(engagement) == 1, engagement
    assert converted(CONVERTED_BEFORE) == 1
    assert converted(left_alone) == 0 and converted(left_alone_down) == 0
    stats = emulator.stats()
    assert stats["duplicates"] == 0
    # every write was a conversion: the one before the test and one per qualifying lead, none twice
    assert stats["writes_accepted"] == 1 + len(qualifying)
    assert "eda_lead_intake" not in first.log() + second.log()
    # The latencies beside their bound are a figure, not an assertion: the jobs' time depends on the machine's load
    # (wait_for's timeout is what fails a lead that is never converted).
    for what, seconds in latencies.items():
        print(f"{what}: {seconds:.1f} s ({'within' if seconds <= bound else 'OVER'} the bound {bound:.1f} s)")


def test_rulebook_takes_in_invitations_that_match_the_policy(
    rulebook_engine: str, emulator: Any, tmp_path: Any, rulebooks: List[Rulebook]
) -> None:
    emulator.reset(fixture=FIXTURE, engagements=0, write_tps=0)
    client = emulator.client()
    admin = emulator.admin
    env = _env(emulator, tmp_path)
    _convert_before(client, CONVERTED_BEFORE, "1")
    job = max(_job_seconds(emulator, tmp_path, CONVERTED_BEFORE) for _run in range(2))
    # the intake job accepts, the next poll sees the lead, the conversion job converts it
    bound = 2 * POLL_INTERVAL + 2 * job

    def converted(engagement: str) -> int:
        return len(_tasks(client, engagement))

    def invitation_status(invitation: str) -> str:
        return next(item["status"] for item in admin.invitations(CATALOG) if item["id"] == invitation)

    first = Rulebook(tmp_path, env, "first", invitations=True).start()
    rulebooks.append(first)
    first.wait_for(lambda: all(converted(engagement) == 1 for engagement in QUALIFIED), 240, "the fixture's leads")
    invited = admin.add_lead(customer=MATCHING, qualification_status="Qualified", invitation={"status": "PENDING"})
    refused = admin.add_lead(customer=NOT_MATCHING, qualification_status="Qualified", invitation={"status": "PENDING"})
    latency = first.wait_for(lambda: converted(invited["engagement_id"]) == 1, 180, "the invited lead's conversion")
    time.sleep(3 * POLL_INTERVAL)
    first.kill()

    while_down = admin.add_lead(customer=MATCHING, qualification_status="Qualified", invitation={"status": "PENDING"})
    second = Rulebook(tmp_path, env, "second", invitations=True).start()
    rulebooks.append(second)
    second.wait_for(lambda: converted(while_down["engagement_id"]) == 1, 240, "the lead invited while down")
    time.sleep(3 * POLL_INTERVAL)
    second.kill()

    print(f"job {job:.1f} s, bound 2 x {POLL_INTERVAL} s + 2 jobs = {bound:.1f} s; latency {latency:.1f} s")
    assert invitation_status(invited["invitation_id"]) == "ACCEPTED"
    assert invitation_status(while_down["invitation_id"]) == "ACCEPTED"
    assert invitation_status(refused["invitation_id"]) == "PENDING"  # not the policy's: left alone
    assert converted(invited["engagement_id"]) == 1 and converted(while_down["engagement_id"]) == 1
    assert emulator.stats()["duplicates"] == 0
    print(f"invited lead: {latency:.1f} s ({'within' if latency <= bound else 'OVER'} the bound {bound:.1f} s)")


@pytest.mark.parametrize("corrupt", [False, True], ids=["checkpoint-kept", "checkpoint-corrupt"])
def test_lead_events_queued_at_a_kill_are_delivered_again(
    rulebook_engine: str, emulator: Any, tmp_path: Any, corrupt: bool
) -> None:
    """SIGKILL of the activation's process group while lead events wait behind a running playbook, leads added
    while it is down, a restart (with its checkpoint, or with the checkpoint corrupted): every qualifying lead is
    converted exactly once; the events lost in the kill come back by redelivery (logged with their reason)."""
    emulator.reset(engagements=0, write_tps=0)
    trial = kill_trial(emulator, tmp_path, _env(emulator, tmp_path), corrupt=corrupt)
    print(trial.summary())
    assert len(trial.queued_at_kill) >= 2, "the kill did not leave lead events queued"
    assert trial.missing == 0 and trial.duplicates == 0, trial.tasks
    assert trial.conversions == len(trial.qualifying)
    assert trial.strays == 0
    if not corrupt:
        # Without redelivery the checkpoint says "emitted" and the queued leads are never emitted again.
        assert trial.redelivery_lines >= len(trial.queued_at_kill) - 1
    # The time to converge and its bound are printed (no timed assertion: the jobs' time depends on the machine's load).

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The whole lead intake of the role on three partner accounts, one emulator each.

Each account holds engagements with 0, 1 and 2 lead contexts, qualified, unqualified and disqualified leads, leads
converted earlier by this collection (its stable client token) or by another tool (a token of its own), and lead
invitations pending (matching the policy or not), expired and accepted already. The role answers the invitations by
the policy (account 2 rejects the others), discovers the leads not converted and converts them with the explicit
list (account 3 lists one lead that discovery finds too). After one run every qualified lead context that the
policy lets in is converted exactly once and nothing else is; the second run makes no write. Account 3's emulator
answers the requested context id in its tasks, the others the new CustomerProject context (AWS's sample).
Bad input (an unknown or expired invitation, a policy with an unknown key, filters of the wrong type) fails before
any write.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from typing import Any

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import derive_client_token
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import PLAYBOOKS
from ansible_collections.partnercentral.selling.tests.integration.playbook_helpers import playbook_command
from ansible_collections.partnercentral.selling.tests.support import ansible_env
from partnercentral_emulator.pytest_plugin import EmulatorHandle
from partnercentral_emulator.server import EmulatorServer

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PLAYBOOK = os.path.join(PLAYBOOKS, "role_opportunities_from_engagements.yml")
START = "StartOpportunityFromEngagementTask"
WRITES = (START, "AcceptEngagementInvitation", "RejectEngagementInvitation")
HOSTS = ("account-1", "account-2", "account-3")
POLICY = {"country_codes": ["US"]}
REJECT_POLICY = {"country_codes": ["US"], "reject_others": True, "rejection_reason": "Unable to support"}


def eng(account: int, label: str) -> str:
    return "eng-" + f"a{account}{label}".ljust(14, "0")[:14]


def lead(context: str, status: str = "Qualified", country: str = "US") -> dict[str, Any]:
    return {"id": context, "type": "Lead", "qualification_status": status, "customer": {"country_code": country}}


def invitation(status: str) -> dict[str, Any]:
    return {"status": status, "sender_account": "999988887777"}


# label: (contexts, invitation status or None, the lead contexts converted before the role runs: (context, by))
ENGAGEMENTS: dict[str, tuple[list[dict[str, Any]], str | None, list[tuple[str, str]]]] = {
    "zero": ([{"id": "1", "type": "CustomerProject"}], None, []),
    "oneopen": ([lead("1")], None, []),
    "oneearlier": ([lead("1")], None, [("1", "earlier run")]),
    "onetool": ([lead("1")], None, [("1", "tool")]),
    "oneunq": ([lead("1", "Unqualified")], None, []),
    "onedisq": ([lead("1", "Disqualified")], None, []),
    "twoopen": ([lead("1"), lead("2")], None, []),
    "twofirst": ([lead("1"), lead("2")], None, [("1", "earlier run")]),
    "twotool": ([lead("1"), lead("2")], None, [("2", "tool")]),
    "twomixed": ([lead("1"), lead("2", "Disqualified")], None, []),
    "invmatch": ([lead("1")], "PENDING", []),
    "invunq": ([lead("1", "Unqualified")], "PENDING", []),
    "invother": ([lead("1", country="JP")], "PENDING", []),
    "invexpired": ([lead("1")], "EXPIRED", []),
    "invaccepted": ([lead("1", country="JP")], "ACCEPTED", []),
    "invtwo": ([lead("1"), lead("2")], "PENDING", []),
}
# What one role run must convert (besides what was converted before it), the same on every account.
TO_CONVERT = {
    ("oneopen", "1"),
    ("twoopen", "1"),
    ("twoopen", "2"),
    ("twofirst", "2"),
    ("twotool", "1"),
    ("twomixed", "1"),
    ("invmatch", "1"),
    ("invaccepted", "1"),
    ("invtwo", "1"),
    ("invtwo", "2"),
}
CONVERTED_BEFORE = {(label, context) for label, (_leads, _kind, done) in ENGAGEMENTS.items() for context, _how in done}


def fixture(account: int) -> dict[str, Any]:
    engagements = []
    for label, (contexts, status, _done) in ENGAGEMENTS.items():
        spec: dict[str, Any] = {"id": eng(account, label), "catalog": "Sandbox", "contexts": contexts}
        if status:
            spec["invitation"] = invitation(status)
        engagements.append(spec)
    return {"engagements": engagements}


def convert_before(emulator: EmulatorHandle, account: int) -> None:
    """The conversions of an earlier run (the collection's token) and of another tool (a token of its own)."""
    client = emulator.client()
    for label, (_contexts, _status, done) in ENGAGEMENTS.items():
        for context, by in done:
            eng_id = eng(account, label)
            token = derive_client_token("Sandbox", eng_id, context) if by == "earlier run" else str(uuid.uuid4())
            client.start_opportunity_from_engagement_task(
                Catalog="Sandbox", Identifier=eng_id, ContextIdentifier=context, ClientToken=token
            )


def writes(stats: dict[str, Any]) -> dict[str, int]:
    return {op: sum(stats["requests"].get(op, {}).values()) for op in WRITES}


class Accounts:
    """Three emulators, one per account, and ansible-playbook runs over an inventory of the three."""

    def __init__(self, workdir: Any) -> None:
        self.workdir = workdir
        self.servers = []
        self.emulators: list[EmulatorHandle] = []
        for account in (1, 2, 3):
            config = {
                "engagements": 0,
                "fixture": fixture(account),
                "account_id": f"11112222333{account}",
                "write_tps": 0,
                "read_tps": 0,
                "context_id_mode": "requested" if account == 3 else "new",
            }
            server = EmulatorServer(config, host="127.0.0.1", port=0).start()
            self.servers.append(server)
            self.emulators.append(EmulatorHandle(server))
        self.env = ansible_env(self.emulators[0], workdir)
        self.runs = 0

    def close(self) -> None:
        for server in self.servers:
            server.stop()

    def host_vars(self, account: int, **overrides: Any) -> dict[str, Any]:
        host = {
            "partnercentral_catalog": "Sandbox",
            "partnercentral_endpoint_url": self.emulators[account - 1].endpoint_url,
            "partnercentral_write_rate": 50.0,
            "partnercentral_read_rate": 50.0,
            "partnercentral_progress_interval": 0,
            "partnercentral_discover": True,
            "partnercentral_accept_lead_invitations": True,
            "partnercentral_lead_invitation_policy": REJECT_POLICY if account == 2 else POLICY,
            "partnercentral_engagements": (
                [{"identifier": eng(3, "oneopen"), "context_identifier": "1"}] if account == 3 else []
            ),
        }
        host.update(overrides)
        return host

    def run(self, hosts: dict[str, dict[str, Any]], *options: str) -> tuple[subprocess.CompletedProcess, dict]:
        self.runs += 1
        run_dir = self.workdir / f"run{self.runs}"
        run_dir.mkdir()
        with_results = {name: {"results_file": str(run_dir / f"{name}.json"), **hv} for name, hv in hosts.items()}
        command = playbook_command(run_dir, with_results, PLAYBOOK, *options)
        proc = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=600, check=False)
        facts = {}
        for name in hosts:
            path = run_dir / f"{name}.json"
            facts[name] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        return proc, facts


def output(proc: subprocess.CompletedProcess) -> str:
    return f"rc={proc.returncode}\nSTDOUT:\n{proc.stdout[-8000:]}\nSTDERR:\n{proc.stderr[-3000:]}"


@pytest.fixture(scope="module")
def intake(tmp_path_factory):
    accounts = Accounts(tmp_path_factory.mktemp("intake"))
    try:
        for account, emulator in enumerate(accounts.emulators, 1):
            convert_before(emulator, account)
        hosts = {f"account-{n}": accounts.host_vars(n) for n in (1, 2, 3)}
        before = [writes(emulator.stats()) for emulator in accounts.emulators]
        first = accounts.run(hosts)
        middle = [emulator.stats() for emulator in accounts.emulators]
        second = accounts.run(hosts)
        after = [emulator.stats() for emulator in accounts.emulators]
        yield {
            "accounts": accounts,
            "first": first,
            "second": second,
            "before": before,
            "middle": middle,
            "after": after,
        }
    finally:
        accounts.close()


def test_first_run_succeeds_on_every_account(intake):
    proc, facts = intake["first"]
    assert proc.returncode == 0, output(proc)
    for host in HOSTS:
        assert facts[host] is not None and facts[host]["counts"]["errors"] == 0, facts[host]


@pytest.mark.parametrize("account", [1, 2, 3])
def test_every_qualified_lead_the_policy_lets_in_is_converted_exactly_once(intake, account):
    stats = intake["middle"][account - 1]
    expected = {f"Sandbox/{eng(account, label)}/{context}" for label, context in TO_CONVERT | CONVERTED_BEFORE}
    assert set(stats["opportunities"]) == expected
    assert stats["duplicates"] == 0
    new = writes(stats)[START] - intake["before"][account - 1][START]
    # One Start per lead to convert, plus at most one replay per lead of a two-lead engagement converted before.
    assert len(TO_CONVERT) <= new <= len(TO_CONVERT) + 2


@pytest.mark.parametrize("account", [1, 2, 3])
def test_invitations_are_answered_by_the_policy_and_reported_with_why(intake, account):
    _proc, facts = intake["first"]
    invitations = {item["engagement_id"]: item for item in facts[f"account-{account}"]["invitations"]}
    actions = {eng_id: item["action"] for eng_id, item in invitations.items()}
    assert actions == {
        eng(account, "invmatch"): "accepted",
        eng(account, "invunq"): "accepted",
        eng(account, "invtwo"): "accepted",
        eng(account, "invother"): "rejected" if account == 2 else "left_alone",
    }
    assert "country_codes has US" in invitations[eng(account, "invmatch")]["reason"]
    assert "JP not in country_codes" in invitations[eng(account, "invother")]["reason"]
    statuses = {
        item["engagement_id"]: item["status"] for item in intake["accounts"].emulators[account - 1].admin.invitations()
    }
    assert statuses[eng(account, "invexpired")] == "EXPIRED"
    assert statuses[eng(account, "invother")] == ("REJECTED" if account == 2 else "PENDING")


def test_items_say_whether_they_came_from_the_list_or_discovery(intake):
    _proc, facts = intake["first"]
    origins = {
        (item["engagement_id"], item["context_identifier"]): item["origin"] for item in facts["account-3"]["items"]
    }
    assert origins[(eng(3, "oneopen"), "1")] == "list"
    assert origins[(eng(3, "twoopen"), "2")] == "discovery"
    assert list(origins.values()).count("list") == 1
    for account in (1, 2):
        assert {item["origin"] for item in facts[f"account-{account}"]["items"]} == {"discovery"}


def test_the_second_run_makes_no_write(intake):
    proc, facts = intake["second"]
    assert proc.returncode == 0, output(proc)
    for account in (1, 2, 3):
        assert writes(intake["after"][account - 1]) == writes(intake["middle"][account - 1])
        assert intake["after"][account - 1]["opportunities"] == intake["middle"][account - 1]["opportunities"]
        assert facts[f"account-{account}"]["changed"] is False
        assert {item["action"] for item in facts[f"account-{account}"]["invitations"]} <= {"left_alone"}


# ---- bad input: a clear error, no write ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def one_account(tmp_path_factory):
    accounts = Accounts(tmp_path_factory.mktemp("intake-bad"))
    try:
        yield accounts
    finally:
        accounts.close()


def expired_invitation_id(accounts: Accounts) -> str:
    invitations = accounts.emulators[0].admin.invitations()
    return next(item["id"] for item in invitations if item["engagement_id"] == eng(1, "invexpired"))


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"partnercentral_lead_invitation_policy": {"invitation_ids": ["engi-0000000000000"]}},
            "engi-0000000000000",
        ),
        ({"partnercentral_lead_invitation_policy": "EXPIRED"}, "EXPIRED, it can no longer be accepted"),
        ({"partnercentral_lead_invitation_policy": {"country_code": ["US"]}}, "country_code"),
        ({"partnercentral_lead_invitation_policy": {"reject_others": True}}, "must name invitation_ids"),
        ({"partnercentral_discover_max_count": "ten"}, "partnercentral_discover_max_count"),
        (
            {"partnercentral_discover_exclude_engagement_ids": {"eng": 1}},
            "partnercentral_discover_exclude_engagement_ids",
        ),
    ],
    ids=["unknown invitation", "expired invitation", "unknown policy key", "no way to accept", "count", "list"],
)
def test_bad_input_fails_clearly_before_any_write(one_account, overrides, message):
    if overrides.get("partnercentral_lead_invitation_policy") == "EXPIRED":
        overrides = {"partnercentral_lead_invitation_policy": {"invitation_ids": [expired_invitation_id(one_account)]}}
    before = writes(one_account.emulators[0].stats())
    proc, _facts = one_account.run({"account-1": one_account.host_vars(1, **overrides)})
    assert proc.returncode != 0, output(proc)
    assert message in proc.stdout + proc.stderr, output(proc)
    assert writes(one_account.emulators[0].stats()) == before

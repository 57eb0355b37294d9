# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The bad input catalogue: each case with the exact outcome expected, as in the table of docs/reliability.md.

Item cases run together in one batch with valid items, which must still be converted (exactly once). Run cases
(the role's argument checks, credentials, endpoints) each run alone; after the credential and endpoint cases a run
with good settings must convert their whole list: nothing is lost.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from . import harness
from .harness import DONE_STATUSES
from .harness import opportunity_check

ARN = "arn:aws:partnercentral:us-east-1:111122223333:catalog/{catalog}/engagement/{eng}"
UNKNOWN_ENGAGEMENT = "eng-zzzzzzzzzzzzzz"
CUSTOMER_PROJECT_ENGAGEMENT = "eng-relcustproj001"
DISQUALIFIED_ENGAGEMENT = "eng-reldisqual0001"
FIXTURE = {
    "engagements": [
        {
            "catalog": "Sandbox",
            "id": CUSTOMER_PROJECT_ENGAGEMENT,
            "contexts": [{"id": "1", "type": "Lead"}, {"id": "2", "type": "CustomerProject"}],
        },
        {
            "catalog": "Sandbox",
            "id": DISQUALIFIED_ENGAGEMENT,
            "contexts": [{"id": "1", "type": "Lead", "qualification_status": "Disqualified"}],
        },
    ]
}


@dataclasses.dataclass
class ItemCase:
    """One item of the catalogue batch. "{eng}" stands for an engagement of its own, "{first}" for valid item 0's."""

    case: str
    what: str
    item: Any
    status: str
    fragment: str
    reason_code: Optional[str] = None


@dataclasses.dataclass
class RunCase:
    """A run of its own. kind: argspec (ansible fails before any API call), empty, stopped (nothing converted)."""

    case: str
    what: str
    kind: str
    fragment: str
    variables: Dict[str, Any] = dataclasses.field(default_factory=dict)
    env: Dict[str, Any] = dataclasses.field(default_factory=dict)
    engagements: Any = None


def _tags(count: int) -> Dict[str, str]:
    return {f"key{index}": "value" for index in range(count)}


# The valid items of the catalogue batch: all four must end `created`.
VALID_ITEMS = [
    ("V1", "engagement id", {"identifier": "{eng}", "context_identifier": "1"}),
    ("V2", "engagement ARN", {"identifier": ARN.format(catalog="Sandbox", eng="{eng}"), "context_identifier": 1}),
    ("V3", "tags within the rules", {"identifier": "{eng}", "context_identifier": "1", "tags": {"a-b_c:d": "é ü"}}),
    ("V4", "empty tags (same as none)", {"identifier": "{eng}", "context_identifier": "1", "tags": {}}),
]

ITEM_CASES = [
    ItemCase("B01", "engagement id too short", {"identifier": "eng-123", "context_identifier": "1"}, "invalid",
             "must match eng-[0-9a-z]{14}"),
    ItemCase("B02", "engagement id in upper case", {"identifier": "ENG-ABCDEFGHIJ0123", "context_identifier": "1"},
             "invalid", "must match eng-[0-9a-z]{14}"),
    ItemCase("B03", "engagement id with an illegal character",
             {"identifier": "eng-abcdefghij012!", "context_identifier": "1"}, "invalid", "must match eng-[0-9a-z]{14}"),
    ItemCase("B04", "empty identifier", {"identifier": "", "context_identifier": "1"}, "invalid",
             "identifier is required"),
    ItemCase("B05", "ARN of an opportunity, not an engagement",
             {"identifier": "arn:aws:partnercentral:us-east-1::catalog/Sandbox/opportunity/O1234567",
              "context_identifier": "1"}, "invalid", "is not an engagement ARN"),
    ItemCase("B06", "malformed ARN", {"identifier": "arn:nonsense", "context_identifier": "1"}, "invalid",
             "is not an engagement ARN"),
    ItemCase("B07", "engagement ARN of the other catalog",
             {"identifier": ARN.format(catalog="AWS", eng="{eng}"), "context_identifier": "1"}, "invalid",
             "belongs to catalog AWS, not Sandbox"),
    ItemCase("B08", "context 0", {"identifier": "{eng}", "context_identifier": 0}, "invalid",
             "context_identifier must match [1-9][0-9]* (got '0')"),
    ItemCase("B09", "context -1", {"identifier": "{eng}", "context_identifier": -1}, "invalid",
             "context_identifier must match [1-9][0-9]* (got '-1')"),
    ItemCase("B10", "context 'abc'", {"identifier": "{eng}", "context_identifier": "abc"}, "invalid",
             "context_identifier must match [1-9][0-9]* (got 'abc')"),
    ItemCase("B11", "context 1.5", {"identifier": "{eng}", "context_identifier": 1.5}, "invalid",
             "context_identifier must be a positive whole number"),
    ItemCase("B12", "context true", {"identifier": "{eng}", "context_identifier": True}, "invalid",
             "context_identifier must be a positive whole number"),
    ItemCase("B13", "201 tags", {"identifier": "{eng}", "context_identifier": "1", "tags": _tags(201)}, "invalid",
             "tags must hold 1 to 200 keys (got 201)"),
    ItemCase("B14", "tag key of 129 characters",
             {"identifier": "{eng}", "context_identifier": "1", "tags": {"k" * 129: "v"}}, "invalid",
             "must be 1 to 128 characters long (got 129)"),
    ItemCase("B15", "tag value of 257 characters",
             {"identifier": "{eng}", "context_identifier": "1", "tags": {"k": "v" * 257}}, "invalid",
             "value must be at most 256 characters (got 257)"),
    ItemCase("B16", "tag key with an illegal character",
             {"identifier": "{eng}", "context_identifier": "1", "tags": {"bad*key": "v"}}, "invalid",
             "character '*' is not allowed"),
    ItemCase("B17", "tag value with illegal characters",
             {"identifier": "{eng}", "context_identifier": "1", "tags": {"k": "<script>"}}, "invalid",
             "character '<' is not allowed"),
    ItemCase("B18", "empty client_token", {"identifier": "{eng}", "context_identifier": "1", "client_token": ""},
             "invalid", "client_token must be a string of 1 to 255 characters"),
    ItemCase("B19", "client_token of 256 characters",
             {"identifier": "{eng}", "context_identifier": "1", "client_token": "t" * 256}, "invalid",
             "client_token must be a string of 1 to 255 characters"),
    ItemCase("B20", "identifier missing", {"context_identifier": "1"}, "invalid", "identifier is required"),
    ItemCase("B21", "context_identifier missing", {"identifier": "{eng}"}, "invalid",
             "context_identifier must be a positive whole number"),
    ItemCase("B22", "the same item twice", {"identifier": "{first}", "context_identifier": "1"}, "duplicate",
             "same engagement and context as item 0"),
    ItemCase("B23", "the same context by ARN and by id",
             {"identifier": ARN.format(catalog="Sandbox", eng="{first}"), "context_identifier": 1}, "duplicate",
             "same engagement and context as item 0"),
    ItemCase("B24", "unknown engagement", {"identifier": UNKNOWN_ENGAGEMENT, "context_identifier": "1"}, "failed",
             "ResourceNotFoundException"),
    ItemCase("B25", "context that does not exist", {"identifier": "{eng}", "context_identifier": "7"}, "failed",
             "FAILED: ContextNotFound", "ContextNotFound"),
    ItemCase("B26", "CustomerProject context", {"identifier": CUSTOMER_PROJECT_ENGAGEMENT, "context_identifier": "2"},
             "failed", "FAILED: CustomerProjectContextNotPermitted", "CustomerProjectContextNotPermitted"),
    ItemCase("B27", "disqualified lead", {"identifier": DISQUALIFIED_ENGAGEMENT, "context_identifier": "1"}, "failed",
             "FAILED: DisqualifiedLeadNotPermitted", "DisqualifiedLeadNotPermitted"),
]  # fmt: skip

ARGSPEC = "argspec"
EMPTY = "empty"
STOPPED = "stopped"

RUN_CASES = [
    RunCase("R01", "catalog not AWS or Sandbox", ARGSPEC, "partnercentral_catalog",
            variables={"partnercentral_catalog": "Marketplace"}),
    RunCase("R02", "catalog in the wrong case", ARGSPEC, "partnercentral_catalog",
            variables={"partnercentral_catalog": "sandbox"}),
    RunCase("R03", "an item that is not a dictionary", ARGSPEC, "partnercentral_engagements",
            engagements=["{eng}"]),
    RunCase("R04", "an item with an unknown key", ARGSPEC, "contxt",
            engagements=[{"identifier": "{eng}", "contxt": "1"}]),
    RunCase("R05", "empty list", EMPTY, "0 items in catalog Sandbox: nothing to do", engagements=[]),
    RunCase("R06", "expired credentials", STOPPED, "ExpiredTokenException",
            env={"AWS_ACCESS_KEY_ID": "expired_access_key", "AWS_SECRET_ACCESS_KEY": "expired_secret_key",
                 "AWS_SESSION_TOKEN": "expired_session_token"}),
    RunCase("R07", "unknown access key", STOPPED, "UnrecognizedClientException",
            env={"AWS_ACCESS_KEY_ID": "AKIDUNKNOWNRELIAB001"}),
    RunCase("R08", "wrong secret key (bad signature)", STOPPED, "InvalidSignatureException",
            env={"AWS_SECRET_ACCESS_KEY": "wrong_secret_key"}),
    RunCase("R09", "session token missing", STOPPED, "UnrecognizedClientException",
            env={"AWS_SESSION_TOKEN": None}),
    RunCase("R10", "endpoint down (connection refused)", STOPPED, "Could not connect to the endpoint URL",
            env={"AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING": "refused"}),
    RunCase("R11", "endpoint answers HTML with 200", STOPPED, "not the API's JSON",
            env={"AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING": "garbage200"}),
    RunCase("R12", "endpoint answers HTML with 502", STOPPED, "502",
            env={"AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING": "garbage502"}),
]  # fmt: skip
# Run cases that reach the emulator, then a run with good settings that must convert their whole list.
RECOVERY_ENGAGEMENTS = 6


def _fill(value: Any, engagement: str, first: str) -> Any:
    if isinstance(value, str):
        return value.replace("{eng}", engagement).replace("{first}", first)
    if isinstance(value, dict):
        return {_fill(key, engagement, first): _fill(item, engagement, first) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, engagement, first) for item in value]
    return value


def _item_batch(spare: List[str]) -> tuple:
    """The catalogue batch: the valid items first, then one item per ItemCase, each on an engagement of its own."""
    spare = list(spare)
    first = spare[0]
    items, valid_ids, expected = [], [], []
    for case, what, item in VALID_ITEMS:
        engagement = spare.pop(0)
        valid_ids.append(engagement)
        items.append(_fill(item, engagement, first))
        expected.append((case, what, "created", "", None))
    for case in ITEM_CASES:
        items.append(_fill(case.item, spare.pop(0), first))
        expected.append((case.case, case.what, case.status, case.fragment, case.reason_code))
    return items, valid_ids, expected


def _environment(case: RunCase, ctx: Any, endpoints: Dict[str, str]) -> Dict[str, Any]:
    credentials = ctx.emulator.credentials
    env = {}
    for key, value in case.env.items():
        if isinstance(value, str) and hasattr(credentials, value):
            value = getattr(credentials, value)
        elif isinstance(value, str) and value in endpoints:
            value = endpoints[value]
        env[key] = value
    return env


def _run_case(ctx: Any, case: RunCase, items: List[Any], spare: str, counting: Any) -> tuple:
    """Runs one RunCase; returns (problems, note)."""
    problems = []
    endpoints = {"refused": harness.refused_endpoint(), "garbage200": "", "garbage502": ""}
    garbage = []
    for name, status in (("garbage200", 200), ("garbage502", 502)):
        if name in case.env.values():
            server = harness.GarbageEndpoint(status)
            garbage.append(server)
            endpoints[name] = server.endpoint_url
    env = _environment(case, ctx, endpoints)
    engagements = items if case.engagements is None else _fill(case.engagements, spare, spare)
    if case.kind in (ARGSPEC, EMPTY):
        # These must not call the API at all: their endpoint counts every request it gets.
        env["AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING"] = counting.endpoint_url
    before = counting.requests
    try:
        run = ctx.workspace.run(f"{case.case}-{case.kind}", engagements, variables=case.variables, env=env)
    finally:
        for server in garbage:
            server.stop()
    label = f"{case.case} {case.what}"
    if case.kind == ARGSPEC:
        if run.rc == 0 or run.report is not None:
            problems.append(f"{label}: expected ansible to fail before the batch (rc {run.rc})")
        if "Validation of arguments failed" not in run.output or case.fragment not in run.output:
            problems.append(f"{label}: the failure does not name {case.fragment!r}")
        if counting.requests != before:
            problems.append(f"{label}: {counting.requests - before} API calls were made")
        note = f"{label}: rc {run.rc}, refused by the role's argument_specs"
    elif case.kind == EMPTY:
        counts = (run.report or {}).get("counts", {})
        if run.rc != 0 or counts.get("total") != 0 or case.fragment not in run.output:
            problems.append(f"{label}: rc {run.rc}, counts {counts}")
        if counting.requests != before:
            problems.append(f"{label}: {counting.requests - before} API calls were made")
        note = f"{label}: rc {run.rc}, {counts.get('total')} items, no API call"
    else:
        statuses = run.statuses()
        if run.rc == 0 or not run.items:
            problems.append(f"{label}: rc {run.rc}, expected a failed run with a report")
        for item in run.items:
            if item["status"] not in ("not_started", "failed") or case.fragment not in item["message"]:
                problems.append(f"{label}: item {item['index']} {item['status']}: {item['message'][:160]}")
                break
        note = f"{label}: rc {run.rc}, {statuses}, {run.items[0]['message'][:110] if run.items else ''}"
    return problems, note


def run_bad_input(ctx: Any) -> Dict[str, Any]:
    problems: List[str] = []
    notes: List[str] = []
    ctx.admin.reset(write_tps=20, task_latency=0.3, fixture=FIXTURE)
    generated = [
        engagement["id"]
        for engagement in ctx.admin.engagements("Sandbox")
        if engagement["id"] not in (CUSTOMER_PROJECT_ENGAGEMENT, DISQUALIFIED_ENGAGEMENT)
    ]
    needed = len(VALID_ITEMS) + len(ITEM_CASES) + RECOVERY_ENGAGEMENTS + 1
    if len(generated) < needed:
        raise RuntimeError(f"bad input needs {needed} engagements, the emulator has {len(generated)}")
    batch_ids = generated[: len(VALID_ITEMS) + len(ITEM_CASES)]
    recovery_ids = generated[len(batch_ids) : len(batch_ids) + RECOVERY_ENGAGEMENTS]
    spare = generated[len(batch_ids) + RECOVERY_ENGAGEMENTS]

    # 1. The catalogue batch: one run, every item case next to valid items.
    items, valid_ids, expected = _item_batch(batch_ids)
    run = ctx.workspace.run("bad-items", items, variables={"partnercentral_write_rate": 20})
    unexpected = 0
    by_index = {item["index"]: item for item in run.items}
    if len(by_index) != len(items):
        problems.append(f"bad items: {len(by_index)} items reported, {len(items)} sent (rc {run.rc})")
    for index, (case, what, status, fragment, reason) in enumerate(expected):
        got = by_index.get(index)
        if (
            got is None
            or got["status"] != status
            or fragment not in (got.get("message") or "")
            or (reason is not None and got.get("reason_code") != reason)
        ):
            unexpected += 1
            shown = f"{got['status']}: {got.get('message')}" if got else "not reported"
            problems.append(f"{case} {what}: expected {status} with {fragment!r}, got {shown}")
    if run.rc == 0:
        problems.append("bad items: the role did not fail for the problem items")
    check = opportunity_check(ctx.settle(), valid_ids)
    if check["unexpected"]:
        problems.append(f"bad items: opportunities for items that were not valid: {check['unexpected']}")
    notes.append(f"bad items: {len(items)} items, {run.statuses()}, {unexpected} not as expected")

    # 2. The run cases; those that reach the emulator must write nothing.
    recovery_items = [{"identifier": eng, "context_identifier": "1"} for eng in recovery_ids]
    writes_before = ctx.admin.stats()["writes_accepted"]
    counting = harness.GarbageEndpoint(200)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            futures = [pool.submit(_run_case, ctx, case, recovery_items, spare, counting) for case in RUN_CASES]
            for case, future in zip(RUN_CASES, futures):
                case_problems, note = future.result()
                unexpected += 1 if case_problems else 0
                problems.extend(case_problems)
                notes.append(note)
    finally:
        counting.stop()
    writes_after = ctx.admin.stats()["writes_accepted"]
    if writes_after != writes_before:
        problems.append(f"run cases: {writes_after - writes_before} writes were accepted by the emulator")

    # 3. Good settings again: the list of the credential and endpoint cases converts completely.
    recovery = ctx.workspace.run("recovery", recovery_items, variables={"partnercentral_write_rate": 20})
    recovered = [item for item in recovery.items if item["status"] in DONE_STATUSES]
    if recovery.rc != 0 or len(recovered) != len(recovery_items):
        problems.append(f"recovery run: rc {recovery.rc}, {recovery.statuses()}")
        unexpected += 1
    final = opportunity_check(ctx.settle(), valid_ids + recovery_ids)
    if final["unexpected"]:
        problems.append(f"opportunities nobody asked for: {final['unexpected']}")
    notes.append(f"recovery run with good settings: {recovery.statuses()}")
    return {
        "cases": len(VALID_ITEMS) + len(ITEM_CASES) + len(RUN_CASES) + 1,
        "unexpected": unexpected,
        "duplicates": final["duplicates"],
        "missing": final["missing"],
        "problems": problems,
        "notes": notes,
    }

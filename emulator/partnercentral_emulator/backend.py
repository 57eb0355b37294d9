# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""State and semantics of the emulated service; every public method takes the lock."""

from __future__ import annotations

import base64
import collections
import copy
import hashlib
import hmac
import json
import os
import random
import re
import threading
import time
from typing import Any
from typing import Callable

from partnercentral_emulator import config as config_module
from partnercentral_emulator import data
from partnercentral_emulator import intake
from partnercentral_emulator import model
from partnercentral_emulator.config import CATALOGS
from partnercentral_emulator.errors import ApiError
from partnercentral_emulator.errors import validation_error
from partnercentral_emulator.quota import RollingCap
from partnercentral_emulator.quota import TokenBucket

IMPLEMENTED = (
    "StartOpportunityFromEngagementTask",
    "ListOpportunityFromEngagementTasks",
    "GetEngagement",
    "ListEngagements",
) + intake.INTAKE_OPERATIONS
READ_PREFIXES = ("Get", "List", "Search")
MAX_CONTEXTS = intake.MAX_CONTEXTS

_ENGAGEMENT_ARN = re.compile(
    r"arn:aws:partnercentral:[a-z0-9-]*:(?P<account>[0-9]{12}):catalog/(?P<catalog>[A-Za-z]+)/engagement/"
    r"(?P<id>eng-[0-9a-z]{14})"
)
_TASK_ARN_TAIL = re.compile(r"(task-[0-9a-z]{13})$")
# Keys copied into stats' "config" view when they change what a client sees.


class Quotas:
    """The per-second buckets and daily caps of one caller (every caller, or one access key)."""

    def __init__(self, config: dict[str, Any]) -> None:
        strict = config["strict_buckets"]
        self.write_bucket = TokenBucket(config["write_tps"], strict=strict)
        self.read_bucket = TokenBucket(config["read_tps"], strict=strict)
        self.write_cap = RollingCap(config["daily_write_cap"])
        self.read_cap = RollingCap(config["daily_read_cap"])

    def reconfigure(self, config: dict[str, Any]) -> None:
        self.write_bucket.reconfigure(config["write_tps"], config["strict_buckets"])
        self.read_bucket.reconfigure(config["read_tps"], config["strict_buckets"])
        self.write_cap.cap = config["daily_write_cap"]
        self.read_cap.cap = config["daily_read_cap"]


def is_read(operation: str) -> bool:
    return operation.startswith(READ_PREFIXES)


def _key(catalog: str, engagement: str, context: str) -> str:
    return f"{catalog}/{engagement}/{context}"


class Backend(intake.IntakeOperations):
    def __init__(self, base_config: dict[str, Any] | None = None, clock: Callable[[], float] = time.time) -> None:
        self.lock = threading.RLock()
        self._clock = clock
        self.base_config = config_module.build(base_config)
        self._token_secret = os.urandom(16)
        self._generation = 0
        self.reset()

    # ------------------------------------------------------------------ admin

    def reset(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.lock:
            merged = copy.deepcopy(self.base_config)
            merged.update(config_module.check(overrides or {}))
            engagements = data.build_engagements(merged)
            invitations = intake.build_invitations(merged, engagements, self._clock())
            self._check_fixture(engagements)
            self.config = merged
            self.engagements = engagements
            self.invitations = invitations
            self._generation += 1
            self.tasks: list[dict[str, Any]] = []
            self.tasks_by_id: dict[str, dict[str, Any]] = {}
            self.tokens: dict[tuple[str, str], dict[str, Any]] = {}
            self.opportunities: dict[str, list[str]] = {}
            self.next_context: dict[tuple[str, str], int] = {}
            self._seq = 0
            self._opportunity_counter = 0
            self._fault_rng = random.Random(f"faults:{merged['seed']}")
            self._id_rng = random.Random(f"ids:{merged['seed']}")
            # The quotas of one caller: the only set, or one per access key with per_account_quotas.
            self.quotas: dict[str | None, Quotas] = {}
            self.counters: collections.Counter[str] = collections.Counter()
            self.requests: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
            # Per access key: requests by operation and status, and throttled requests by operation.
            self.account_requests: dict[str, dict[str, collections.Counter[str]]] = collections.defaultdict(
                lambda: collections.defaultdict(collections.Counter)
            )
            self.account_throttled: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
            return self.public_config()

    def _check_fixture(self, engagements: dict[str, dict[str, dict[str, Any]]]) -> None:
        """Fixture data must fit the model, or GetEngagement would answer what no real service can."""
        shape = model.operation_model("GetEngagement").output_shape
        for catalog in engagements.values():
            for engagement in catalog.values():
                errors = model.validate(self._engagement_view(engagement), shape)
                if errors:
                    raise config_module.ConfigError(f"engagement {engagement['id']}: {model.describe(errors)}")

    def configure(self, overrides: dict[str, Any]) -> dict[str, Any]:
        """Live update; data keys (engagements, fixture, seed, account_id) take effect at the next reset."""
        with self.lock:
            checked = config_module.check(overrides)
            self.config.update(checked)
            if "per_account_quotas" in checked:
                self.quotas = {}  # a new split starts with full buckets
            for quotas in self.quotas.values():
                quotas.reconfigure(self.config)
            if "seed" in checked:
                self._fault_rng = random.Random(f"faults:{checked['seed']}")
            return self.public_config()

    def public_config(self) -> dict[str, Any]:
        return config_module.public(self.config)

    def record_request(self, operation: str, status: int, access_key: str | None = None) -> None:
        with self.lock:
            self.requests[operation][str(status)] += 1
            if access_key is not None:
                self.account_requests[access_key][operation][str(status)] += 1

    def _quotas(self, access_key: str | None) -> Quotas:
        key = access_key if self.config["per_account_quotas"] else None
        if key not in self.quotas:
            self.quotas[key] = Quotas(self.config)
        return self.quotas[key]

    def stats(self) -> dict[str, Any]:
        with self.lock:
            self._settle()
            opportunities = {key: list(ids) for key, ids in sorted(self.opportunities.items())}
            return {
                "requests": {op: dict(sorted(counts.items())) for op, counts in sorted(self.requests.items())},
                "total_requests": sum(sum(counts.values()) for counts in self.requests.values()),
                "throttled": {
                    "rate": self.counters["throttled_rate"],
                    "daily_cap": self.counters["throttled_daily_cap"],
                    "injected": self.counters["throttled_injected"],
                    "total": self.counters["throttled_rate"]
                    + self.counters["throttled_daily_cap"]
                    + self.counters["throttled_injected"],
                },
                "internal_errors_injected": self.counters["internal_errors_injected"],
                "replays": self.counters["replays"],
                "writes_accepted": self.counters["writes_accepted"],
                "reads_accepted": self.counters["reads_accepted"],
                "tasks": len(self.tasks),
                "tasks_by_status": dict(collections.Counter(self._view(task)["TaskStatus"] for task in self.tasks)),
                "opportunities": opportunities,
                "converted": len(opportunities),
                "duplicates": sum(1 for ids in opportunities.values() if len(ids) > 1),
                "daily_usage": {
                    "writes": sum(quotas.write_cap.used() for quotas in self.quotas.values()),
                    "reads": sum(quotas.read_cap.used() for quotas in self.quotas.values()),
                },
                # Per access key (the request's SigV4 credential), whether or not quotas are per account.
                "accounts": {
                    key: {
                        "requests": {op: dict(sorted(counts.items())) for op, counts in sorted(ops.items())},
                        "throttled": dict(sorted(self.account_throttled[key].items())),
                    }
                    for key, ops in sorted(self.account_requests.items())
                },
            }

    def list_engagements_admin(self, catalog: str | None = None) -> dict[str, Any]:
        with self.lock:
            self._settle()
            catalogs = [catalog] if catalog else list(CATALOGS)
            result = []
            for name in catalogs:
                for engagement in self.engagements.get(name, {}).values():
                    contexts = []
                    for context in engagement["contexts"]:
                        item = {"id": context["id"], "type": context["type"]}
                        lead = (context.get("payload") or {}).get("Lead")
                        if lead is not None:
                            item["qualification_status"] = lead.get("QualificationStatus")
                        contexts.append(item)
                    entry = {"catalog": name, "id": engagement["id"], "arn": engagement["arn"], "contexts": contexts}
                    if engagement.get("invitation"):
                        entry["invitation_id"] = engagement["invitation"]
                    result.append(entry)
            return {"engagements": result}

    # ------------------------------------------------------------ admission

    def decide_faults(self, operation: str) -> tuple[float, ApiError | None]:
        """Injected latency and error, decided before any work so a faulted request changes nothing."""
        with self.lock:
            latency_setting = self.config["added_latency"]
            if isinstance(latency_setting, list):
                latency = self._fault_rng.uniform(latency_setting[0], latency_setting[1])
            else:
                latency = float(latency_setting)
            roll = self._fault_rng.random()
            if roll < self.config["throttle_rate"]:
                self.counters["throttled_injected"] += 1
                return latency, ApiError(
                    "ThrottlingException", "Rate exceeded (injected by the emulator's throttle_rate)."
                )
            if roll < self.config["throttle_rate"] + self.config["internal_error_rate"]:
                self.counters["internal_errors_injected"] += 1
                return latency, ApiError(
                    "InternalServerException", "Internal error (injected by the emulator's internal_error_rate)."
                )
            return latency, None

    def admit(self, operation: str, access_key: str | None = None, arrived: float | None = None) -> None:
        """Apply the daily cap, then the per-second rate (of the caller's account); raise the AWS error when over.

        arrived (time.monotonic) is when the request came in: the service counts a request at its front door, not
        after this emulator's own parsing and signature check, whose time varies with the load of the machine.
        """
        with self.lock:
            read = is_read(operation)
            quotas = self._quotas(access_key)
            cap = quotas.read_cap if read else quotas.write_cap
            bucket = quotas.read_bucket if read else quotas.write_bucket
            kind = "read" if read else "write"
            if cap.exhausted():
                self.counters["throttled_daily_cap"] += 1
                setting = "daily_read_cap" if read else "daily_write_cap"
                raise ApiError(
                    "ServiceQuotaExceededException",
                    f"Service quota exceeded: {kind} requests per rolling 24 hours ({setting}={cap.cap}).",
                )
            if not bucket.take(arrived):
                self.counters["throttled_rate"] += 1
                if access_key is not None:
                    self.account_throttled[access_key][operation] += 1
                setting = "read_tps" if read else "write_tps"
                raise ApiError(
                    "ThrottlingException",
                    f"Rate exceeded: {kind} requests per second ({setting}={bucket.rate:g}).",
                )
            cap.record()
            self.counters["reads_accepted" if read else "writes_accepted"] += 1

    # ------------------------------------------------------------ operations

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self._settle()
            catalog = params.get("Catalog")
            if catalog not in CATALOGS:
                raise validation_error(
                    f"Catalog '{catalog}' is not valid; use one of: {', '.join(CATALOGS)}.",
                    [
                        {
                            "FieldName": "Catalog",
                            "Message": f"Catalog must be one of {', '.join(CATALOGS)}",
                            "Code": "INVALID_VALUE",
                        }
                    ],
                    business=True,
                )
            return getattr(self, f"_op_{operation}")(params)

    def _op_GetEngagement(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._engagement_view(self._engagement(params["Catalog"], params["Identifier"]))

    @staticmethod
    def _engagement_view(engagement: dict[str, Any]) -> dict[str, Any]:
        contexts = []
        for context in engagement["contexts"]:
            item: dict[str, Any] = {"Id": context["id"], "Type": context["type"]}
            if context.get("payload"):
                item["Payload"] = copy.deepcopy(context["payload"])
            contexts.append(item)
        return {
            "Id": engagement["id"],
            "Arn": engagement["arn"],
            "Title": engagement["title"],
            "Description": engagement["description"],
            "CreatedAt": engagement["created_at"],
            "CreatedBy": engagement["created_by"],
            "MemberCount": engagement["member_count"],
            "ModifiedAt": engagement["modified_at"],
            "ModifiedBy": engagement["modified_by"],
            "Contexts": contexts,
        }

    def _op_ListEngagements(self, params: dict[str, Any]) -> dict[str, Any]:
        catalog = params["Catalog"]
        items = [item for item in self.engagements[catalog].values() if self.engagement_visible(item)]
        if params.get("EngagementIdentifier"):
            wanted = {
                self._engagement_id(catalog, ident, "EngagementIdentifier") for ident in params["EngagementIdentifier"]
            }
            items = [item for item in items if item["id"] in wanted]
        if params.get("CreatedBy"):
            items = [item for item in items if item["created_by"] in params["CreatedBy"]]
        if params.get("ExcludeCreatedBy"):
            items = [item for item in items if item["created_by"] not in params["ExcludeCreatedBy"]]
        if params.get("ContextTypes"):
            items = [item for item in items if {c["type"] for c in item["contexts"]} & set(params["ContextTypes"])]
        if params.get("ExcludeContextTypes"):
            items = [
                item for item in items if not {c["type"] for c in item["contexts"]} & set(params["ExcludeContextTypes"])
            ]
        descending = params.get("Sort", {}).get("SortOrder", "DESCENDING") == "DESCENDING"
        items.sort(key=lambda item: (item["created_at"], item["id"]), reverse=descending)
        page, token = self._page(params, items, lambda item: [item["created_at"], item["id"]], descending)
        summaries = []
        for item in page:
            types = []
            for context in item["contexts"]:
                if context["type"] not in types:
                    types.append(context["type"])
            summaries.append(
                {
                    "Arn": item["arn"],
                    "Id": item["id"],
                    "Title": item["title"],
                    "CreatedAt": item["created_at"],
                    "CreatedBy": item["created_by"],
                    "MemberCount": item["member_count"],
                    "ModifiedAt": item["modified_at"],
                    "ModifiedBy": item["modified_by"],
                    "ContextTypes": types,
                }
            )
        result: dict[str, Any] = {"EngagementSummaryList": summaries}
        if token:
            result["NextToken"] = token
        return result

    def _op_ListOpportunityFromEngagementTasks(self, params: dict[str, Any]) -> dict[str, Any]:
        catalog = params["Catalog"]
        items = [task for task in self.tasks if task["catalog"] == catalog]
        views = {task["task_id"]: self._view(task) for task in items}
        if params.get("TaskIdentifier"):
            wanted = set()
            for ident in params["TaskIdentifier"]:
                match = _TASK_ARN_TAIL.search(ident)
                wanted.add(match.group(1) if match else ident)
            items = [task for task in items if task["task_id"] in wanted]
        if params.get("EngagementIdentifier"):
            wanted = {
                self._engagement_id(catalog, ident, "EngagementIdentifier") for ident in params["EngagementIdentifier"]
            }
            items = [task for task in items if task["engagement_id"] in wanted]
        if params.get("ContextIdentifier"):
            wanted = set(params["ContextIdentifier"])
            mode = self.config["list_context_filter"]
            items = [
                task
                for task in items
                if (mode in ("result", "either") and views[task["task_id"]]["ContextId"] in wanted)
                or (mode in ("requested", "either") and task["requested_context"] in wanted)
            ]
        if params.get("OpportunityIdentifier"):
            wanted = set(params["OpportunityIdentifier"])
            items = [task for task in items if views[task["task_id"]].get("OpportunityId") in wanted]
        if params.get("TaskStatus"):
            wanted = set(params["TaskStatus"])
            items = [task for task in items if views[task["task_id"]]["TaskStatus"] in wanted]
        descending = params.get("Sort", {}).get("SortOrder", "DESCENDING") == "DESCENDING"
        items.sort(key=lambda task: (task["start_time"], task["seq"]), reverse=descending)
        page, token = self._page(params, items, lambda task: [task["start_time"], task["seq"]], descending)
        result: dict[str, Any] = {"TaskSummaries": [views[task["task_id"]] for task in page]}
        if token:
            result["NextToken"] = token
        return result

    def _op_StartOpportunityFromEngagementTask(self, params: dict[str, Any]) -> dict[str, Any]:
        catalog = params["Catalog"]
        eng_id = self._engagement_id(catalog, params["Identifier"], "Identifier")
        now = self._clock()
        token_key = ("StartOpportunityFromEngagementTask", params["ClientToken"])
        fingerprint = self._fingerprint(params, drop=("ClientToken",), normalise_identifier=eng_id)
        self._expire_tokens(now)
        remembered = self.tokens.get(token_key)
        if remembered is not None:
            if remembered["fingerprint"] != fingerprint:
                raise ApiError("ConflictException", "Conflicting client token submitted for a new request body.")
            self.counters["replays"] += 1
            return self._view(self.tasks_by_id[remembered["task_id"]])

        engagement = self._engagement(catalog, eng_id)
        requested = params["ContextIdentifier"]
        for task in self.tasks:
            if (
                task["catalog"] == catalog
                and task["engagement_id"] == eng_id
                and task["requested_context"] == requested
                and not task["settled"]
            ):
                raise ApiError(
                    "ConflictException",
                    f"A task for context {requested} of engagement {eng_id} is already in progress "
                    f"({task['task_id']}).",
                )

        task = self._new_task(catalog, eng_id, requested, now)
        context = next((item for item in engagement["contexts"] if item["id"] == requested), None)
        lead = ((context or {}).get("payload") or {}).get("Lead") or {}
        status = str(lead.get("QualificationStatus") or "")
        key = _key(catalog, eng_id, requested)
        if context is None:
            self._fail(task, "ContextNotFound", f"Context {requested} was not found on engagement {eng_id}.")
        elif context["type"] == "CustomerProject":
            self._fail(
                task,
                "CustomerProjectContextNotPermitted",
                "A CustomerProject context cannot be converted to an opportunity.",
            )
        elif context["type"] != "Lead":
            self._fail(
                task,
                "EngagementValidationFailed",
                f"A {context['type']} context cannot be converted to an opportunity.",
            )
        elif status.lower() == "disqualified":
            self._fail(
                task, "DisqualifiedLeadNotPermitted", "A disqualified lead cannot be converted to an opportunity."
            )
        elif status.lower() != "qualified":
            self._fail(
                task, "EngagementValidationFailed", "The lead must have QualificationStatus Qualified to be converted."
            )
        else:
            if self.opportunities.get(key) and self.config["second_conversion"] == "conflict":
                raise ApiError(
                    "ConflictException",
                    f"Context {requested} of engagement {eng_id} was already converted to opportunity "
                    f"{self.opportunities[key][-1]}.",
                )
            reserved = self.next_context.get((catalog, eng_id))
            if reserved is None:
                reserved = max([int(c["id"]) for c in engagement["contexts"] if c["id"].isdigit()] + [0]) + 1
            pending = sum(
                1 for t in self.tasks if t["engagement_id"] == eng_id and t.get("new_context") and not t["settled"]
            )
            if len(engagement["contexts"]) + pending >= MAX_CONTEXTS:
                self._fail(
                    task,
                    "EngagementValidationFailed",
                    f"Engagement {eng_id} already has the maximum of {MAX_CONTEXTS} contexts.",
                )
            else:
                self.next_context[(catalog, eng_id)] = reserved + 1
                self._opportunity_counter += 1
                task.update(
                    {
                        "final_status": "COMPLETE",
                        "opportunity_id": f"O{1000000 + self._opportunity_counter}",
                        "job_id": "job-" + self._random_id(13),
                        "new_context": str(reserved),
                        "company": lead.get("Customer", {}).get("CompanyName", "Example Corp"),
                        "message": "Opportunity created from the engagement context.",
                    }
                )
        self.tasks.append(task)
        self.tasks_by_id[task["task_id"]] = task
        if self.config["token_ttl"] > 0:
            self.tokens[token_key] = {
                "fingerprint": fingerprint,
                "task_id": task["task_id"],
                "expires_at": now + self.config["token_ttl"],
            }
        self._settle()
        return self._view(task)

    # ------------------------------------------------------------- helpers

    def _new_task(self, catalog: str, eng_id: str, requested: str, now: float) -> dict[str, Any]:
        self._seq += 1
        task_id = "task-" + self._random_id(13)
        return {
            "seq": self._seq,
            "task_id": task_id,
            "task_arn": f"arn:aws:partnercentral:us-east-1:{self.config['account_id']}:catalog/{catalog}/"
            f"opportunity-from-engagement-task/{task_id}",
            "catalog": catalog,
            "engagement_id": eng_id,
            "requested_context": requested,
            "start_time": now,
            "complete_at": now + self.config["task_latency"],
            "settled": False,
            "new_context": None,
        }

    @staticmethod
    def _fail(task: dict[str, Any], reason: str, message: str) -> None:
        task.update({"final_status": "FAILED", "reason_code": reason, "message": message})

    def _random_id(self, length: int) -> str:
        return "".join(self._id_rng.choice(data._ALPHABET) for _index in range(length))

    def _settle(self) -> None:
        """Complete the tasks whose latency has passed: the wall clock decides, on every read."""
        now = self._clock()
        for task in self.tasks:
            if task["settled"] or now < task["complete_at"]:
                continue
            task["settled"] = True
            if task["final_status"] != "COMPLETE":
                continue
            engagement = self.engagements[task["catalog"]][task["engagement_id"]]
            rng = random.Random(task["task_id"])
            engagement["contexts"].append(
                {
                    "id": task["new_context"],
                    "type": "CustomerProject",
                    "payload": data.customer_project_payload(rng, task.get("company", "Example Corp")),
                }
            )
            self.touch(engagement)
            key = _key(task["catalog"], task["engagement_id"], task["requested_context"])
            self.opportunities.setdefault(key, []).append(task["opportunity_id"])

    def _view(self, task: dict[str, Any]) -> dict[str, Any]:
        """The task as the API shows it now: in progress until its latency has passed."""
        view: dict[str, Any] = {
            "TaskId": task["task_id"],
            "TaskArn": task["task_arn"],
            "StartTime": task["start_time"],
            "EngagementId": task["engagement_id"],
        }
        if not task["settled"]:
            view["TaskStatus"] = "IN_PROGRESS"
            view["ContextId"] = task["requested_context"]
            return view
        view["TaskStatus"] = task["final_status"]
        view["Message"] = task["message"]
        if task["final_status"] == "FAILED":
            view["ReasonCode"] = task["reason_code"]
            view["ContextId"] = task["requested_context"]
        else:
            view["OpportunityId"] = task["opportunity_id"]
            view["ResourceSnapshotJobId"] = task["job_id"]
            view["ContextId"] = (
                task["new_context"] if self.config["context_id_mode"] == "new" else task["requested_context"]
            )
        return view

    def _expire_tokens(self, now: float) -> None:
        for key in [key for key, item in self.tokens.items() if item["expires_at"] <= now]:
            del self.tokens[key]

    def _engagement_id(self, catalog: str, identifier: str, field: str) -> str:
        """Engagement id from an id or an ARN; an ARN of another catalog names nothing here."""
        if identifier.startswith("arn:"):
            match = _ENGAGEMENT_ARN.fullmatch(identifier)
            if not match:
                raise validation_error(
                    f"{field} '{identifier}' is not a valid engagement ARN.",
                    [
                        {
                            "FieldName": field,
                            "Message": "Not a Partner Central engagement ARN",
                            "Code": "INVALID_STRING_FORMAT",
                        }
                    ],
                )
            if match.group("catalog") != catalog:
                # Not the same engagement: ids are scoped per catalog.
                return f"{match.group('catalog')}:{match.group('id')}"
            return match.group("id")
        return identifier

    def _engagement(self, catalog: str, identifier: str) -> dict[str, Any]:
        eng_id = self._engagement_id(catalog, identifier, "Identifier")
        engagement = self.engagements[catalog].get(eng_id)
        # An engagement shared by a lead invitation is hidden until the invitation is accepted.
        if engagement is None or not self.engagement_visible(engagement):
            raise ApiError("ResourceNotFoundException", f"Engagement {identifier} was not found in catalog {catalog}.")
        return engagement

    @staticmethod
    def _fingerprint(
        params: dict[str, Any], drop: tuple[str, ...] = (), normalise_identifier: str | None = None
    ) -> str:
        body = {key: value for key, value in params.items() if key not in drop}
        if normalise_identifier is not None:
            body["Identifier"] = normalise_identifier
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()

    def _page(
        self, params: dict[str, Any], items: list[Any], cursor_of: Callable[[Any], list[Any]], descending: bool
    ) -> tuple[list[Any], str | None]:
        """Cursor pagination: the token names the last item shown, so inserts do not shift pages."""
        size = params.get("MaxResults") or self.config["default_page_size"]
        query = self._fingerprint(params, drop=("NextToken", "MaxResults"))[:16]
        if params.get("NextToken"):
            cursor = self._decode_token(params["NextToken"], query)
            if descending:
                items = [item for item in items if cursor_of(item) < cursor]
            else:
                items = [item for item in items if cursor_of(item) > cursor]
        page = items[:size]
        token = self._encode_token(query, cursor_of(page[-1])) if len(items) > size else None
        return page, token

    def _encode_token(self, query: str, cursor: list[Any]) -> str:
        payload = base64.urlsafe_b64encode(json.dumps([self._generation, query, cursor]).encode()).decode().rstrip("=")
        mac = hmac.new(self._token_secret, payload.encode(), hashlib.sha256).hexdigest()[:16]
        return f"{payload}.{mac}"

    def _decode_token(self, token: str, query: str) -> list[Any]:
        invalid = validation_error(
            "The NextToken is invalid or expired, or belongs to a request with other parameters.",
            [{"FieldName": "NextToken", "Message": "Invalid pagination token", "Code": "INVALID_VALUE"}],
        )
        payload, _separator, mac = token.partition(".")
        expected = hmac.new(self._token_secret, payload.encode(), hashlib.sha256).hexdigest()[:16]
        if not hmac.compare_digest(mac, expected):
            raise invalid
        try:
            generation, token_query, cursor = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            raise invalid from None
        if generation != self._generation or token_query != query:
            raise invalid
        return cursor

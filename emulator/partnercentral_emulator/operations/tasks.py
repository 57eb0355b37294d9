# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""StartOpportunityFromEngagementTask and ListOpportunityFromEngagementTasks: conversions of lead contexts."""

from __future__ import annotations

import collections
import random
from typing import Any

from partnercentral_emulator import data
from partnercentral_emulator import model
from partnercentral_emulator.errors import ApiError
from partnercentral_emulator.operations.registry import Operations
from partnercentral_emulator.operations.registry import operation
from partnercentral_emulator.vocabulary import DISQUALIFIED
from partnercentral_emulator.vocabulary import MAX_CONTEXTS
from partnercentral_emulator.vocabulary import QUALIFIED
from partnercentral_emulator.vocabulary import TASK_ID_IN_IDENTIFIER
from partnercentral_emulator.vocabulary import ContextType
from partnercentral_emulator.vocabulary import ReasonCode
from partnercentral_emulator.vocabulary import TaskStatus

START = "StartOpportunityFromEngagementTask"


def conversion_key(catalog: str, engagement: str, context: str) -> str:
    """The key of `stats()["opportunities"]`: one requested context of one engagement."""
    return f"{catalog}/{engagement}/{context}"


class TaskOperations(Operations):
    @operation("StartOpportunityFromEngagementTask")
    def start(self, params: dict[str, Any]) -> dict[str, Any]:
        store = self.store
        catalog = params["Catalog"]
        eng_id, request, now, remembered = self.recall(START, params, "Identifier")
        if remembered is not None:
            return self.view(store.tasks_by_id[remembered])

        engagement = store.engagement(catalog, eng_id)
        requested = params["ContextIdentifier"]
        for task in store.tasks:
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
        self._decide(task, engagement, context)
        store.tasks.append(task)
        store.tasks_by_id[task["task_id"]] = task
        self.tokens.remember(START, request, task["task_id"], now)
        self.settle()
        return self.view(task)

    def _decide(self, task: dict[str, Any], engagement: dict[str, Any], context: dict[str, Any] | None) -> None:
        """How the task ends, decided when it starts; it shows IN_PROGRESS until task_latency has passed."""
        catalog, eng_id, requested = task["catalog"], task["engagement_id"], task["requested_context"]
        lead = ((context or {}).get("payload") or {}).get("Lead") or {}
        # The service's reason codes name a disqualified lead; any status other than Qualified is refused too
        # (AWS's sample qualifies a lead before converting it).
        status = str(lead.get("QualificationStatus") or "").lower()
        if context is None:
            _fail(task, ReasonCode.ContextNotFound, f"Context {requested} was not found on engagement {eng_id}.")
        elif context["type"] == ContextType.CustomerProject:
            _fail(
                task,
                ReasonCode.CustomerProjectContextNotPermitted,
                "A CustomerProject context cannot be converted to an opportunity.",
            )
        elif context["type"] != ContextType.Lead:
            _fail(
                task,
                ReasonCode.EngagementValidationFailed,
                f"A {context['type']} context cannot be converted to an opportunity.",
            )
        elif status == DISQUALIFIED.lower():
            _fail(
                task,
                ReasonCode.DisqualifiedLeadNotPermitted,
                "A disqualified lead cannot be converted to an opportunity.",
            )
        elif status != QUALIFIED.lower():
            _fail(
                task,
                ReasonCode.EngagementValidationFailed,
                f"The lead must have QualificationStatus {QUALIFIED} to be converted.",
            )
        else:
            opportunities = self.store.opportunities.get(conversion_key(catalog, eng_id, requested))
            if opportunities and self.store.config["second_conversion"] == "conflict":
                raise ApiError(
                    "ConflictException",
                    f"Context {requested} of engagement {eng_id} was already converted to opportunity "
                    f"{opportunities[-1]}.",
                )
            if self.store.contexts_full(engagement):
                _fail(
                    task,
                    ReasonCode.EngagementValidationFailed,
                    f"Engagement {eng_id} already has the maximum of {MAX_CONTEXTS} contexts.",
                )
                return
            reserved = self.store.next_context_id(catalog, engagement)
            self.store.next_context[(catalog, eng_id)] = reserved + 1
            self.store.opportunity_count += 1
            task.update(
                {
                    "final_status": TaskStatus.COMPLETE,
                    "opportunity_id": f"O{1000000 + self.store.opportunity_count}",
                    "job_id": "job-" + self.store.random_id(13),
                    "new_context": str(reserved),
                    "company": lead.get("Customer", {}).get("CompanyName", "Example Corp"),
                    "lead_customer": lead.get("Customer") or {},
                    "message": "Opportunity created from the engagement context.",
                }
            )

    @operation("ListOpportunityFromEngagementTasks")
    def list(self, params: dict[str, Any]) -> dict[str, Any]:
        catalog = params["Catalog"]
        items = [task for task in self.store.tasks if task["catalog"] == catalog]
        views = {task["task_id"]: self.view(task) for task in items}
        if params.get("TaskIdentifier"):
            wanted = set()
            for ident in params["TaskIdentifier"]:
                match = TASK_ID_IN_IDENTIFIER.search(ident)
                wanted.add(match.group(1) if match else ident)
            items = [task for task in items if task["task_id"] in wanted]
        if params.get("EngagementIdentifier"):
            wanted = self.store.engagement_ids(catalog, params["EngagementIdentifier"])
            items = [task for task in items if task["engagement_id"] in wanted]
        if params.get("ContextIdentifier"):
            wanted = set(params["ContextIdentifier"])
            mode = self.store.config["list_context_filter"]
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
        page, token = self.pager.page(params, items, lambda task: [task["start_time"], task["seq"]])
        result: dict[str, Any] = {"TaskSummaries": [views[task["task_id"]] for task in page]}
        if token:
            result["NextToken"] = token
        return result

    # ----------------------------------------------------------------- state

    def _new_task(self, catalog: str, eng_id: str, requested: str, now: float) -> dict[str, Any]:
        store = self.store
        store.task_count += 1
        task_id = "task-" + store.random_id(13)
        return {
            "seq": store.task_count,
            "task_id": task_id,
            "task_arn": f"arn:aws:partnercentral:us-east-1:{store.config['account_id']}:catalog/{catalog}/"
            f"opportunity-from-engagement-task/{task_id}",
            "catalog": catalog,
            "engagement_id": eng_id,
            "requested_context": requested,
            "start_time": now,
            "complete_at": now + store.config["task_latency"],
            "settled": False,
            "new_context": None,
        }

    def settle(self) -> None:
        """Complete the tasks whose latency has passed: the clock decides, before every operation."""
        store = self.store
        now = store.now()
        for task in store.tasks:
            if task["settled"] or now < task["complete_at"]:
                continue
            task["settled"] = True
            if task["final_status"] != TaskStatus.COMPLETE:
                continue
            engagement = store.engagements[task["catalog"]][task["engagement_id"]]
            rng = random.Random(task["task_id"])
            engagement["contexts"].append(
                {
                    "id": task["new_context"],
                    "type": ContextType.CustomerProject,
                    "payload": data.customer_project_payload(rng, task.get("company", "Example Corp")),
                }
            )
            store.touch(engagement)
            key = conversion_key(task["catalog"], task["engagement_id"], task["requested_context"])
            store.opportunities.setdefault(key, []).append(task["opportunity_id"])
            store.add_opportunity(task["catalog"], converted_opportunity(task), now, task["opportunity_id"])

    def view(self, task: dict[str, Any]) -> dict[str, Any]:
        """The task as the API shows it now: in progress until its latency has passed."""
        view: dict[str, Any] = {
            "TaskId": task["task_id"],
            "TaskArn": task["task_arn"],
            "StartTime": task["start_time"],
            "EngagementId": task["engagement_id"],
        }
        if not task["settled"]:
            view["TaskStatus"] = TaskStatus.IN_PROGRESS
            view["ContextId"] = task["requested_context"]
            return view
        view["TaskStatus"] = task["final_status"]
        view["Message"] = task["message"]
        if task["final_status"] == TaskStatus.FAILED:
            view["ReasonCode"] = task["reason_code"]
            view["ContextId"] = task["requested_context"]
        else:
            view["OpportunityId"] = task["opportunity_id"]
            view["ResourceSnapshotJobId"] = task["job_id"]
            new = self.store.config["context_id_mode"] == "new"
            view["ContextId"] = task["new_context"] if new else task["requested_context"]
        return view

    def status_counts(self) -> dict[str, int]:
        return dict(collections.Counter(self.view(task)["TaskStatus"] for task in self.store.tasks))


def converted_opportunity(task: dict[str, Any]) -> dict[str, Any]:
    """The opportunity a conversion makes, as AWS's lead-to-opportunity sample shows it: Stage Prospect, ReviewStatus
    Pending Submission, title "Converted from Lead", the lead's customer, no contacts, no expected spend."""
    lead = task.get("lead_customer") or {}
    account = {"CompanyName": lead.get("CompanyName") or task.get("company", "Example Corp")}
    if lead.get("Industry") in model.enum("Industry"):
        account["Industry"] = lead["Industry"]
    if lead.get("WebsiteUrl"):
        account["WebsiteUrl"] = lead["WebsiteUrl"]
    address_members = model.service_model().shape_for("Address").members
    address = {key: value for key, value in (lead.get("Address") or {}).items() if key in address_members}
    if address:
        account["Address"] = address
    return {
        "Customer": {"Account": account, "Contacts": []},
        "Project": {"Title": "Converted from Lead", "ExpectedCustomerSpend": []},
        "LifeCycle": {"Stage": "Prospect", "ReviewStatus": "Pending Submission"},
        "OpportunityTeam": [],
    }


def _fail(task: dict[str, Any], reason: str, message: str) -> None:
    task.update({"final_status": TaskStatus.FAILED, "reason_code": reason, "message": message})

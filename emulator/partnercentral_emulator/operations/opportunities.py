# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The opportunity after conversion: read, full-replace update, creation, associations, solutions, submission.

The service's rules as its documentation states them: UpdateOpportunity replaces the record (an omitted member
becomes null) and needs the LastModifiedDate read last (ConflictException otherwise); ReviewStatus decides what may
change; related entities change through Associate/DisassociateOpportunity only, "Other" is refused at Committed or
later; StartEngagementFromOpportunityTask fails with OpportunityValidationFailed when the opportunity cannot be
submitted (no solution, required fields missing, Closed Lost), and otherwise sets ReviewStatus Submitted.
"""

from __future__ import annotations

import copy
from typing import Any

from partnercentral_emulator import model
from partnercentral_emulator.errors import ApiError
from partnercentral_emulator.errors import validation_error
from partnercentral_emulator.operations.registry import Operations
from partnercentral_emulator.operations.registry import operation
from partnercentral_emulator.timestamps import epoch_seconds
from partnercentral_emulator.timestamps import same_instant
from partnercentral_emulator.timestamps import stamp
from partnercentral_emulator.vocabulary import ReasonCode
from partnercentral_emulator.vocabulary import TaskStatus

PENDING, SUBMITTED, IN_REVIEW, APPROVED, REJECTED, ACTION_REQUIRED = (
    "Pending Submission",
    "Submitted",
    "In review",
    "Approved",
    "Rejected",
    "Action Required",
)
READ_ONLY = (SUBMITTED, IN_REVIEW, REJECTED)
# The developer guide's lists ("Working with opportunity updates"), in the model's member names.
ACTION_REQUIRED_EDITABLE = (
    "Customer.Account.Address.City",
    "Customer.Account.Address.CountryCode",
    "Customer.Account.Address.PostalCode",
    "Customer.Account.Address.StateOrRegion",
    "Customer.Account.Address.StreetAddress",
    "Customer.Account.WebsiteUrl",
    "LifeCycle.TargetCloseDate",
    "Project.ExpectedCustomerSpend",
    "Project.CustomerBusinessProblem",
    "PartnerOpportunityIdentifier",
)
APPROVED_LOCKED = (
    "Customer.Account.Address.CountryCode",
    "Customer.Account.Address.PostalCode",
    "Customer.Account.Industry",
    "Customer.Account.WebsiteUrl",
    "Project.CustomerBusinessProblem",
    "PartnerOpportunityIdentifier",
    "Project.Title",
)
# What a submission needs (the emulator's reading of the developer guide; the collection's preflight checks the same).
SUBMISSION_REQUIRED = (
    "Customer.Account.CompanyName",
    "Customer.Account.Industry",
    "Customer.Account.Address.CountryCode",
    "Project.Title",
    "Project.CustomerBusinessProblem",
    "Project.ExpectedCustomerSpend",
    "LifeCycle.TargetCloseDate",
    "OpportunityType",
)
OTHER_REFUSED_STAGES = ("Committed", "Launched", "Closed Lost")
# Members of the record that UpdateOpportunity does not set (output only, or set by other operations).
KEPT_ON_UPDATE = ("Catalog", "Id", "Arn", "CreatedDate", "RelatedEntityIdentifiers", "OpportunityTeam", "Origin")
SUBMIT_TASK = "StartEngagementFromOpportunityTask"
CREATE = "CreateOpportunity"


def _get(record: Any, path: str) -> Any:
    for part in path.split("."):
        record = record.get(part) if isinstance(record, dict) else None
    return record


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


def changed_paths(before: Any, after: Any, prefix: str = "") -> list[str]:
    if isinstance(before, dict) or isinstance(after, dict):
        before = before if isinstance(before, dict) else {}
        after = after if isinstance(after, dict) else {}
        paths: list[str] = []
        for key in list(before) + [key for key in after if key not in before]:
            paths += changed_paths(before.get(key), after.get(key), f"{prefix}{key}.")
        return paths
    if (None if _empty(before) else before) == (None if _empty(after) else after):
        return []
    return [prefix.rstrip(".")]


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    """The members an update may change."""
    return {
        key: value
        for key, value in record.items()
        if key not in KEPT_ON_UPDATE + ("LastModifiedDate",) and not key.startswith("_")
    }


def _within(path: str, fields: tuple[str, ...]) -> bool:
    return any(path == field or path.startswith(field + ".") for field in fields)


def submission_problems(record: dict[str, Any]) -> list[str]:
    problems = [f"{path} is required" for path in SUBMISSION_REQUIRED if _empty(_get(record, path))]
    related = record.get("RelatedEntityIdentifiers") or {}
    if not any(related.get(kind) for kind in ("Solutions", "AwsMarketplaceSolutions", "AwsMarketplaceProducts")):
        problems.append("at least one solution must be associated")
    if _get(record, "LifeCycle.Stage") == "Closed Lost":
        problems.append("a Closed Lost opportunity cannot be submitted")
    return problems


class OpportunityOperations(Operations):
    # ----------------------------------------------------------------- records

    def _record(self, catalog: str, identifier: str) -> dict[str, Any]:
        record = self.store.opportunity_records.setdefault(catalog, {}).get(identifier)
        if record is None:
            raise ApiError("ResourceNotFoundException", f"Opportunity {identifier} was not found in catalog {catalog}.")
        return record

    def _view(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record as GetOpportunity answers it (CreateOpportunity's own members, such as Origin, are kept but
        not shown)."""
        return copy.deepcopy(_within_shape(record, model.service_model().shape_for("GetOpportunityResponse")))

    def _touch(self, record: dict[str, Any]) -> None:
        record["LastModifiedDate"] = stamp(record["LastModifiedDate"], self.store.now())

    @operation("GetOpportunity")
    def get(self, params: dict[str, Any]) -> dict[str, Any]:
        self.settle()
        return self._view(self._record(params["Catalog"], params["Identifier"]))

    @operation("CreateOpportunity")
    def create(self, params: dict[str, Any]) -> dict[str, Any]:
        catalog, now = params["Catalog"], self.store.now()
        remembered = self.tokens.recall(CREATE, params, now)
        if remembered is not None:
            record = self._record(catalog, remembered)
            return {"Id": record["Id"], "LastModifiedDate": record["LastModifiedDate"]}
        fields = {key: copy.deepcopy(value) for key, value in params.items() if key not in ("ClientToken", "Tags")}
        fields["LifeCycle"] = dict(fields.get("LifeCycle") or {}, ReviewStatus=PENDING)
        fields["LifeCycle"].setdefault("Stage", "Prospect")
        record = self.store.add_opportunity(catalog, fields, now)
        self.tokens.remember(CREATE, params, record["Id"], now)
        return {"Id": record["Id"], "LastModifiedDate": record["LastModifiedDate"]}

    @operation("UpdateOpportunity")
    def update(self, params: dict[str, Any]) -> dict[str, Any]:
        self.settle()
        record = self._record(params["Catalog"], params["Identifier"])
        if not same_instant(epoch_seconds(params["LastModifiedDate"]), record["LastModifiedDate"]):
            raise ApiError(
                "ConflictException",
                f"Opportunity {record['Id']} was modified since the LastModifiedDate given; read it again.",
            )
        # The emulator's own keys (a leading "_") are kept too, and are no field of the record.
        after = {
            key: copy.deepcopy(value) for key, value in record.items() if key in KEPT_ON_UPDATE or key.startswith("_")
        }
        after.update(
            {
                key: copy.deepcopy(value)
                for key, value in params.items()
                if key not in ("Catalog", "Identifier", "LastModifiedDate")
            }
        )
        # AWS keeps the review fields: the partner cannot set them.
        life_cycle = dict(after.get("LifeCycle") or {})
        for member in ("ReviewStatus", "ReviewComments", "ReviewStatusReason"):
            life_cycle.pop(member, None)
            if member in (record.get("LifeCycle") or {}):
                life_cycle[member] = record["LifeCycle"][member]
        after["LifeCycle"] = life_cycle
        status = _get(record, "LifeCycle.ReviewStatus")
        changed = changed_paths(_fields(record), _fields(after))
        refused: list[str] = []
        if status in READ_ONLY:
            refused = changed
        elif status == ACTION_REQUIRED:
            refused = [path for path in changed if not _within(path, ACTION_REQUIRED_EDITABLE)]
        elif status == APPROVED:
            refused = [path for path in changed if _within(path, APPROVED_LOCKED)]
        if refused:
            raise validation_error(
                f"Opportunity {record['Id']} is {status}: these fields cannot be updated: {', '.join(refused)}.",
                [
                    {"FieldName": path, "Message": f"Not editable in {status}", "Code": "ACTION_NOT_PERMITTED"}
                    for path in refused
                ],
            )
        after["LastModifiedDate"] = record["LastModifiedDate"]
        if status == ACTION_REQUIRED and changed:
            # "After updates, the opportunity re-enters the validation phase."
            after["LifeCycle"]["ReviewStatus"] = IN_REVIEW
        record.clear()
        record.update(after)
        self._touch(record)
        return {"Id": record["Id"], "LastModifiedDate": record["LastModifiedDate"]}

    def _summaries(self, catalog: str) -> list[dict[str, Any]]:
        self.settle()
        return list(self.store.opportunity_records.setdefault(catalog, {}).values())

    @operation("ListOpportunities")
    def list(self, params: dict[str, Any]) -> dict[str, Any]:
        items = self._summaries(params["Catalog"])
        if params.get("Identifier"):
            items = [item for item in items if item["Id"] in params["Identifier"]]
        if params.get("LifeCycleStage"):
            items = [item for item in items if _get(item, "LifeCycle.Stage") in params["LifeCycleStage"]]
        if params.get("LifeCycleReviewStatus"):
            wanted = params["LifeCycleReviewStatus"]
            items = [item for item in items if _get(item, "LifeCycle.ReviewStatus") in wanted]
        if params.get("CustomerCompanyName"):
            wanted = params["CustomerCompanyName"]
            items = [item for item in items if _get(item, "Customer.Account.CompanyName") in wanted]
        page, token = self.pager.page(params, items, lambda item: [item["LastModifiedDate"], item["Id"]])
        shape = model.service_model().shape_for("OpportunitySummary")
        result: dict[str, Any] = {"OpportunitySummaries": [_within_shape(self._view(item), shape) for item in page]}
        if token:
            result["NextToken"] = token
        return result

    @operation("SearchOpportunities")
    def search(self, params: dict[str, Any]) -> dict[str, Any]:
        items = self._summaries(params["Catalog"])
        predicate = (params.get("Filter") or {}).get("EqualsTo")
        if predicate and predicate["Key"] == "PartnerOpportunityIdentifier":
            value = predicate["Value"].get("StringValue")
            items = [item for item in items if item.get("PartnerOpportunityIdentifier") == value]
        elif params.get("Filter"):
            raise validation_error(
                "The emulator's SearchOpportunities filters by PartnerOpportunityIdentifier only.", []
            )
        page, token = self.pager.page(params, items, lambda item: [item["LastModifiedDate"], item["Id"]])
        shape = model.service_model().shape_for("OpportunitySearchSummary")
        result: dict[str, Any] = {
            "OpportunitySearchSummaries": [_within_shape(self._view(item), shape) for item in page]
        }
        if token:
            result["NextToken"] = token
        return result

    # ------------------------------------------------------------ associations

    def _association(self, params: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
        self.settle()
        record = self._record(params["Catalog"], params["OpportunityIdentifier"])
        if _get(record, "LifeCycle.ReviewStatus") in READ_ONLY:
            raise validation_error(
                f"Opportunity {record['Id']} cannot change while it is {_get(record, 'LifeCycle.ReviewStatus')}.", []
            )
        return record, params["RelatedEntityType"], params["RelatedEntityIdentifier"]

    @operation("AssociateOpportunity")
    def associate(self, params: dict[str, Any]) -> dict[str, Any]:
        record, kind, value = self._association(params)
        if kind == "Solutions":
            known = {solution["Id"] for solution in self.store.solutions(params["Catalog"])} | {"Other"}
            if value not in known:
                raise ApiError("ResourceNotFoundException", f"Solution {value} was not found.")
            if value == "Other" and _get(record, "LifeCycle.Stage") in OTHER_REFUSED_STAGES:
                raise validation_error("The solution Other cannot be associated at Committed or later stages.", [])
        entities = record.setdefault("RelatedEntityIdentifiers", {}).setdefault(kind, [])
        if value not in entities:
            entities.append(value)
            self._touch(record)
        return {}

    @operation("DisassociateOpportunity")
    def disassociate(self, params: dict[str, Any]) -> dict[str, Any]:
        record, kind, value = self._association(params)
        entities = record.setdefault("RelatedEntityIdentifiers", {}).setdefault(kind, [])
        if value not in entities:
            raise ApiError("ResourceNotFoundException", f"{kind} {value} is not associated with {record['Id']}.")
        entities.remove(value)
        self._touch(record)
        return {}

    @operation("ListSolutions")
    def list_solutions(self, params: dict[str, Any]) -> dict[str, Any]:
        items = self.store.solutions(params["Catalog"])
        for member in ("Status", "Identifier", "Category"):
            if params.get(member):
                key = "Id" if member == "Identifier" else member
                items = [item for item in items if item[key] in params[member]]
        page, token = self.pager.page(params, items, lambda item: [item["CreatedDate"], item["Id"]])
        result: dict[str, Any] = {"SolutionSummaries": page}
        if token:
            result["NextToken"] = token
        return result

    # --------------------------------------------------------------- submission

    @operation("StartEngagementFromOpportunityTask")
    def start_submission(self, params: dict[str, Any]) -> dict[str, Any]:
        self.settle()
        catalog, now = params["Catalog"], self.store.now()
        remembered = self.tokens.recall(SUBMIT_TASK, params, now)
        if remembered is not None:
            return self._task_view(self.store.submission_tasks[remembered])
        record = self._record(catalog, params["Identifier"])
        for task in self.store.submission_tasks.values():
            if task["opportunity_id"] == record["Id"] and not task["settled"]:
                raise ApiError("ConflictException", f"A submission of {record['Id']} is already in progress.")
        task_id = "task-" + self.store.random_id(13)
        problems = submission_problems(record)
        if _get(record, "LifeCycle.ReviewStatus") != PENDING:
            problems.append(f"the opportunity is {_get(record, 'LifeCycle.ReviewStatus')}, not {PENDING}")
        task = {
            "task_id": task_id,
            "catalog": catalog,
            "opportunity_id": record["Id"],
            "start_time": now,
            "complete_at": now + self.store.config["task_latency"],
            "settled": False,
            "problems": problems,
            "submission": params["AwsSubmission"],
            "seq": len(self.store.submission_tasks),
        }
        self.store.submission_tasks[task_id] = task
        self.tokens.remember(SUBMIT_TASK, params, task_id, now)
        self.settle()
        return self._task_view(task)

    @operation("ListEngagementFromOpportunityTasks")
    def list_submissions(self, params: dict[str, Any]) -> dict[str, Any]:
        self.settle()
        items = [task for task in self.store.submission_tasks.values() if task["catalog"] == params["Catalog"]]
        if params.get("TaskIdentifier"):
            items = [
                task for task in items if any(ident.endswith(task["task_id"]) for ident in params["TaskIdentifier"])
            ]
        if params.get("OpportunityIdentifier"):
            items = [task for task in items if task["opportunity_id"] in params["OpportunityIdentifier"]]
        views = [self._task_view(task) for task in items]
        if params.get("TaskStatus"):
            views = [view for view in views if view["TaskStatus"] in params["TaskStatus"]]
        page, token = self.pager.page(params, views, lambda view: [view["StartTime"], view["TaskId"]])
        result: dict[str, Any] = {"TaskSummaries": page}
        if token:
            result["NextToken"] = token
        return result

    def _task_view(self, task: dict[str, Any]) -> dict[str, Any]:
        view: dict[str, Any] = {
            "TaskId": task["task_id"],
            "TaskArn": f"arn:aws:partnercentral:us-east-1:{self.store.config['account_id']}:catalog/{task['catalog']}/"
            f"engagement-from-opportunity-task/{task['task_id']}",
            "StartTime": task["start_time"],
            "OpportunityId": task["opportunity_id"],
        }
        if not task["settled"]:
            view["TaskStatus"] = TaskStatus.IN_PROGRESS
        elif task["problems"]:
            view.update(
                TaskStatus=TaskStatus.FAILED,
                ReasonCode=ReasonCode.OpportunityValidationFailed,
                Message="The opportunity cannot be submitted: " + "; ".join(task["problems"]) + ".",
            )
        else:
            view.update(TaskStatus=TaskStatus.COMPLETE, Message="The opportunity was submitted to AWS.")
            view["EngagementId"] = task["engagement_id"]
        return view

    def settle(self) -> None:
        """Submissions whose latency has passed end: the opportunity becomes Submitted, or the task FAILED."""
        now = self.store.now()
        for task in self.store.submission_tasks.values():
            if task["settled"] or now < task["complete_at"]:
                continue
            task["settled"] = True
            if task["problems"]:
                continue
            task["engagement_id"] = "eng-" + self.store.random_id(14)
            record = self.store.opportunity_records[task["catalog"]][task["opportunity_id"]]
            record["LifeCycle"]["ReviewStatus"] = SUBMITTED
            record["_submission"] = task["submission"]
            self._touch(record)

    @operation("GetAwsOpportunitySummary")
    def aws_summary(self, params: dict[str, Any]) -> dict[str, Any]:
        self.settle()
        record = self._record(params["Catalog"], params["RelatedOpportunityIdentifier"])
        summary: dict[str, Any] = {"Catalog": record["Catalog"], "RelatedOpportunityId": record["Id"]}
        submission = record.get("_submission")
        if submission:
            summary["Origin"] = "Partner Referral"
            summary["InvolvementType"] = submission["InvolvementType"]
            if submission.get("Visibility"):
                summary["Visibility"] = submission["Visibility"]
            summary["LifeCycle"] = {"Stage": "Prospect", "TargetCloseDate": _get(record, "LifeCycle.TargetCloseDate")}
            summary["LifeCycle"] = {k: v for k, v in summary["LifeCycle"].items() if v}
        return summary


def _within_shape(value: Any, shape: Any) -> Any:
    """A record cut to an output shape (a summary): the members the shape has, recursively."""
    if shape.type_name == "structure" and isinstance(value, dict):
        return {
            key: _within_shape(item, shape.members[key])
            for key, item in value.items()
            if key in shape.members and item is not None
        }
    if shape.type_name == "list" and isinstance(value, list):
        return [_within_shape(item, shape.member) for item in value]
    return value


REVIEW_OUTCOMES = (IN_REVIEW, APPROVED, ACTION_REQUIRED, REJECTED)


def review(store: Any, body: dict[str, Any]) -> dict[str, Any]:
    """The admin endpoint's AWS review: a submitted opportunity moves to In review, then Approved, Action Required
    or Rejected (with ReviewComments); for demos and tests."""
    catalog, identifier, status = body.get("catalog", "Sandbox"), body.get("identifier"), body.get("review_status")
    if status not in REVIEW_OUTCOMES:
        raise ValueError(f"review_status must be one of {list(REVIEW_OUTCOMES)}, got {status!r}")
    record = store.opportunity_records.get(catalog, {}).get(identifier)
    if record is None:
        raise ValueError(f"no opportunity {identifier!r} in catalog {catalog}")
    current = record["LifeCycle"].get("ReviewStatus")
    if current not in (SUBMITTED, IN_REVIEW):
        raise ValueError(f"opportunity {identifier} is {current!r}: only a Submitted or In review one is reviewed")
    record["LifeCycle"]["ReviewStatus"] = status
    if body.get("comments"):
        record["LifeCycle"]["ReviewComments"] = str(body["comments"])
    record["LastModifiedDate"] = stamp(record["LastModifiedDate"], store.now())
    return {"identifier": identifier, "review_status": status}


def opportunity_records(store: Any, catalog: str | None) -> dict[str, Any]:
    """The admin view of the opportunities: id -> ReviewStatus, Stage, related entities."""
    return {
        record["Id"]: {
            "catalog": record["Catalog"],
            "review_status": _get(record, "LifeCycle.ReviewStatus"),
            "stage": _get(record, "LifeCycle.Stage"),
            "related": record.get("RelatedEntityIdentifiers") or {},
            "partner_opportunity_identifier": record.get("PartnerOpportunityIdentifier"),
        }
        for cat, records in store.opportunity_records.items()
        if catalog in (None, cat)
        for record in records.values()
    }

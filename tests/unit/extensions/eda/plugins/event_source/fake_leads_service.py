# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A fake HTTP layer for a real botocore client: the lead operations of Partner Central as in-memory state.

It answers at botocore's ``before-send`` event, so requests are serialized, answers parsed and retried by botocore
itself (its retry handler sees a ThrottlingException exactly as from the service). Faults are queued per operation.
"""

from __future__ import annotations

import json
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config

SERVICE = "partnercentral-selling"
ACCESS_KEY = "AKIDLEADSTEST"
SECRET_KEY = "leads-secret-value-that-must-never-show"
ACCOUNT = "111122223333"
T0 = 1767614400.0  # 2026-01-05T12:00:00Z


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_kwargs: Any) -> Any:
        yield self.body


def _page(items: List[Any], params: Dict[str, Any]) -> Tuple[List[Any], Optional[str]]:
    start = int(params.get("NextToken") or 0)
    size = params.get("MaxResults", 100)
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


class FakeLeadsService:
    """Invitations, engagements with contexts, and conversion tasks; every request is recorded."""

    def __init__(self) -> None:
        self.invitations: Dict[str, Dict[str, Any]] = {}
        self.engagements: Dict[str, Dict[str, Any]] = {}
        self.tasks: List[Dict[str, Any]] = []
        self.calls: List[Tuple[str, Dict[str, Any]]] = []
        self.faults: Dict[str, List[Tuple[int, Dict[str, str], bytes]]] = {}
        self.now = T0

    # --- state ---------------------------------------------------------------------------------------------------

    def tick(self) -> float:
        self.now += 60
        return self.now

    def add_invitation(
        self, number: int, status: str = "PENDING", country: str = "US", industry: str = "Software and Internet"
    ) -> str:
        identifier = f"engi-{number:013d}"
        self.invitations[identifier] = {
            "Id": identifier,
            "Arn": f"arn:aws:partnercentral:us-east-1:{ACCOUNT}:catalog/Sandbox/engagement-invitation/{identifier}",
            "PayloadType": "LeadInvitation",
            "EngagementId": f"eng-inv{number:011d}",
            "EngagementTitle": f"Lead {number}",
            "Status": status,
            "InvitationDate": self.tick(),
            "ExpirationDate": self.now + 15 * 86400,
            "SenderAwsAccountId": "Aws",
            "SenderCompanyName": "AWS",
            "Catalog": "Sandbox",
            "ParticipantType": "RECEIVER",
            "Payload": {
                "LeadInvitation": {
                    "Customer": {
                        "CompanyName": f"Customer {number}",
                        "Industry": industry,
                        "CountryCode": country,
                        "MarketSegment": "Enterprise",
                        "WebsiteUrl": "https://example.com",
                    },
                    "Interaction": {
                        "SourceType": "Marketing",
                        "SourceName": "Campaign",
                        "Usecase": "Migration",
                        "ContactBusinessTitle": "CTO",
                    },
                }
            },
        }
        return identifier

    def add_engagement(self, number: int, leads: List[Tuple[str, Optional[str]]]) -> str:
        identifier = f"eng-{number:014d}"
        created = self.tick()
        self.engagements[identifier] = {
            "Id": identifier,
            "Arn": f"arn:aws:partnercentral:us-east-1:{ACCOUNT}:catalog/Sandbox/engagement/{identifier}",
            "Title": f"Engagement {number}",
            "CreatedAt": created,
            "ModifiedAt": created,
            "Contexts": [self._lead(context_id, status, number) for context_id, status in leads],
        }
        return identifier

    @staticmethod
    def _lead(context_id: str, status: Optional[str], number: int) -> Dict[str, Any]:
        lead: Dict[str, Any] = {
            "Customer": {
                "CompanyName": f"Customer {number}",
                "Industry": "Software and Internet",
                "MarketSegment": "Enterprise",
                "Address": {"CountryCode": "US"},
            },
            "Interactions": [
                {
                    "SourceType": "Marketing",
                    "Contact": {
                        "BusinessTitle": "CTO",
                        "Email": f"contact{number}@example.com",
                        "FirstName": "Ada",
                        "LastName": "Lovelace",
                    },
                }
            ],
        }
        if status is not None:
            lead["QualificationStatus"] = status
        return {"Id": context_id, "Type": "Lead", "Payload": {"Lead": lead}}

    def set_qualification(self, engagement_id: str, context_id: str, status: str) -> None:
        engagement = self.engagements[engagement_id]
        for context in engagement["Contexts"]:
            if context["Id"] == context_id:
                context["Payload"]["Lead"]["QualificationStatus"] = status
        engagement["ModifiedAt"] = self.tick()

    def convert(self, engagement_id: str, context_id: str, answered_context: Optional[str] = None) -> None:
        """A COMPLETE task, answering a new CustomerProject context id when answered_context is given."""
        engagement = self.engagements[engagement_id]
        if answered_context:
            engagement["Contexts"].append({"Id": answered_context, "Type": "CustomerProject"})
        engagement["ModifiedAt"] = self.tick()
        number = len(self.tasks) + 1
        self.tasks.append(
            {
                "TaskId": f"task-{number:013d}",
                "StartTime": self.now,
                "TaskStatus": "COMPLETE",
                "EngagementId": engagement_id,
                "ContextId": answered_context or context_id,
                "OpportunityId": f"O{number}",
            }
        )

    def fail_conversion(self, engagement_id: str, context_id: str, reason: str, message: str) -> None:
        """A FAILED task of the lead (the service refused its conversion)."""
        number = len(self.tasks) + 1
        self.tasks.append(
            {
                "TaskId": f"task-{number:013d}",
                "StartTime": self.tick(),
                "TaskStatus": "FAILED",
                "EngagementId": engagement_id,
                "ContextId": context_id,
                "ReasonCode": reason,
                "Message": message,
            }
        )

    def fail_next(self, operation: str, code: str = "ThrottlingException", status: int = 400, times: int = 1) -> None:
        body = json.dumps({"__type": code, "message": "Rate exceeded"}).encode()
        self.faults.setdefault(operation, []).extend(
            [(status, {"content-type": "application/x-amz-json-1.0"}, body)] * times
        )

    def html_next(self, operation: str) -> None:
        self.faults.setdefault(operation, []).append((200, {"content-type": "text/html"}, b"<html>proxy login</html>"))

    def operations(self) -> List[str]:
        return [call[0] for call in self.calls]

    # --- HTTP ------------------------------------------------------------------------------------------------------

    def __call__(self, request: Any, **_kwargs: Any) -> AWSResponse:
        operation = request.headers["X-Amz-Target"].decode().split(".")[-1]
        params = json.loads(request.body or b"{}")
        self.calls.append((operation, params))
        queued = self.faults.get(operation)
        if queued:
            status, headers, body = queued.pop(0)
        else:
            status, headers = 200, {"content-type": "application/x-amz-json-1.0"}
            body = json.dumps(getattr(self, "_op_" + operation)(params)).encode()
        return AWSResponse(request.url, status, headers, _Raw(body))

    def _op_ListEngagementInvitations(self, params: Dict[str, Any]) -> Dict[str, Any]:
        items = [
            {key: value for key, value in item.items() if key != "Payload"}
            for item in self.invitations.values()
            if item["Status"] in params.get("Status", [item["Status"]])
        ]
        items.sort(key=lambda item: item["InvitationDate"], reverse=True)
        page, token = _page(items, params)
        answer: Dict[str, Any] = {"EngagementInvitationSummaries": page}
        if token:
            answer["NextToken"] = token
        return answer

    def _op_GetEngagementInvitation(self, params: Dict[str, Any]) -> Dict[str, Any]:
        return self.invitations[params["Identifier"]]

    def _op_ListEngagements(self, params: Dict[str, Any]) -> Dict[str, Any]:
        items = [
            {
                "Id": item["Id"],
                "Arn": item["Arn"],
                "Title": item["Title"],
                "CreatedAt": item["CreatedAt"],
                "ModifiedAt": item["ModifiedAt"],
                "ContextTypes": sorted({context["Type"] for context in item["Contexts"]}),
            }
            for item in self.engagements.values()
            if {context["Type"] for context in item["Contexts"]} & set(params.get("ContextTypes", ["Lead"]))
        ]
        items.sort(key=lambda item: item["CreatedAt"], reverse=True)
        page, token = _page(items, params)
        answer: Dict[str, Any] = {"EngagementSummaryList": page}
        if token:
            answer["NextToken"] = token
        return answer

    def _op_GetEngagement(self, params: Dict[str, Any]) -> Dict[str, Any]:
        return self.engagements[params["Identifier"]]

    def _op_ListOpportunityFromEngagementTasks(self, params: Dict[str, Any]) -> Dict[str, Any]:
        wanted = set(params.get("EngagementIdentifier", []))
        page, token = _page([task for task in self.tasks if task["EngagementId"] in wanted], params)
        answer: Dict[str, Any] = {"TaskSummaries": page}
        if token:
            answer["NextToken"] = token
        return answer


_SESSION: List[Any] = []


def make_client(service: Callable[..., Any], max_attempts: int = 3) -> Any:
    """A real client of the service, with the source's retry mode, answered by the fake HTTP layer."""
    if not _SESSION:
        _SESSION.append(botocore.session.Session())
    client = _SESSION[0].create_client(
        SERVICE,
        region_name="us-east-1",
        endpoint_url="https://partnercentral.invalid",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"mode": "adaptive", "max_attempts": max_attempts}),
    )
    client.meta.events.register("before-send", service)
    return client

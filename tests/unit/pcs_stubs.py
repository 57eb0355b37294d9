# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Helpers of the unit tests: a fake clock, tasks as the service answers them, expected calls on a Stubber.

No test reaches the network: every call is answered by the Stubber, which also checks the request parameters and
the answers against botocore's service model.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

import botocore.session
import pytest
from ansible.module_utils import basic
from botocore.config import Config
from botocore.stub import ANY
from botocore.stub import Stubber

SERVICE = "partnercentral-selling"
START = "StartOpportunityFromEngagementTask"
LIST = "ListOpportunityFromEngagementTasks"
T0 = datetime.datetime(2026, 1, 5, 12, 0, 0, tzinfo=datetime.timezone.utc)


_SESSION: List[Any] = []


def make_client() -> Any:
    """A real botocore client of the service with dummy credentials; the Stubber answers its calls."""
    if not _SESSION:
        # One session for the whole run: its loader caches the service model, a client then costs milliseconds.
        _SESSION.append(botocore.session.Session())
    return _SESSION[0].create_client(
        SERVICE,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="dummy-secret",
        config=Config(retries={"max_attempts": 1}),
    )


class FakeClock:
    """A monotonic clock that only moves when the engine sleeps; every sleep is recorded."""

    def __init__(self, start: float = 1000.0) -> None:
        self.start = start
        self.now = start
        self.sleeps: List[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, f"negative sleep {seconds}"
        self.sleeps.append(seconds)
        self.now += seconds

    @property
    def elapsed(self) -> float:
        return self.now - self.start


def engagement(n: int) -> str:
    """A valid engagement id, distinct for each n."""
    return f"eng-{n:014d}"


def task_id(n: int) -> str:
    return f"task-{n:013d}"


def make_task(
    n: int,
    engagement_id: str,
    context_id: str = "1",
    status: str = "COMPLETE",
    start: Optional[datetime.datetime] = None,
    catalog: str = "Sandbox",
    reason_code: Optional[str] = None,
    message: Optional[str] = None,
) -> Dict[str, Any]:
    """A task as Start and List answer it (the same shape in both)."""
    task = {
        "TaskId": task_id(n),
        "TaskArn": f"arn:aws:partnercentral:us-east-1::catalog/{catalog}/opportunity-from-engagement-task/{task_id(n)}",
        "StartTime": start or T0 + datetime.timedelta(seconds=n),
        "TaskStatus": status,
        "EngagementId": engagement_id,
        "ContextId": context_id,
    }
    if status == "COMPLETE":
        task["OpportunityId"] = f"O{1000 + n}"
        task["ResourceSnapshotJobId"] = f"job-{n:013d}"
    if reason_code:
        task["ReasonCode"] = reason_code
    if message:
        task["Message"] = message
    return task


def engagement_context(context_id: str, kind: str = "Lead", status: str = "Qualified") -> Dict[str, Any]:
    """A context of a GetEngagement answer: a Lead of the qualification status, or a CustomerProject."""
    if kind != "Lead":
        return {"Id": context_id, "Type": kind}
    interaction = {
        "SourceType": "Event",
        "SourceId": "event-1",
        "SourceName": "re:Invent",
        "CustomerAction": "Visited the booth",
        "Contact": {"BusinessTitle": "CTO", "Email": "a@example.com", "FirstName": "A", "LastName": "B"},
    }
    lead = {
        "QualificationStatus": status,
        # Address and the interaction's source and action are required by the model of the oldest botocore.
        "Customer": {"CompanyName": f"Company {context_id}", "Address": {"CountryCode": "US"}},
        "Interactions": [interaction],
    }
    return {"Id": context_id, "Type": "Lead", "Payload": {"Lead": lead}}


class Api:
    """Expected calls, in order, on a stubbed client; records when (fake time) and with what each call was made."""

    def __init__(self, client: Any, clock: FakeClock, catalog: str = "Sandbox") -> None:
        self.client = client
        self.clock = clock
        self.catalog = catalog
        self.stubber = Stubber(client)
        self.calls: List[Dict[str, Any]] = []
        client.meta.events.register("before-parameter-build", self._record)

    def _record(self, params: Dict[str, Any], model: Any, **kwargs: Any) -> None:
        self.calls.append({"operation": model.name, "time": self.clock.now, "params": dict(params)})

    def times(self, operation: str) -> List[float]:
        return [call["time"] for call in self.calls if call["operation"] == operation]

    def params(self, operation: str) -> List[Dict[str, Any]]:
        return [call["params"] for call in self.calls if call["operation"] == operation]

    def expect_list(
        self, tasks: List[Dict[str, Any]] = (), next_token: Optional[str] = None, **filters: Any
    ) -> Dict[str, Any]:
        """One List page; filters are the expected request parameters besides Catalog and MaxResults."""
        expected = {"Catalog": self.catalog, "MaxResults": ANY}
        expected.update(filters)
        answer: Dict[str, Any] = {"TaskSummaries": list(tasks)}
        if next_token:
            answer["NextToken"] = next_token
        self.stubber.add_response("list_opportunity_from_engagement_tasks", answer, expected)
        return expected

    def expect_lookup(self, engagement_ids: List[str], tasks: List[Dict[str, Any]] = (), **kwargs: Any) -> None:
        self.expect_list(tasks, EngagementIdentifier=list(engagement_ids), **kwargs)

    def expect_get_engagement(self, identifier: str, contexts: List[Dict[str, Any]]) -> None:
        """One GetEngagement of `identifier`, answered with `contexts` (see engagement_context)."""
        answer = {"Id": identifier, "Contexts": list(contexts)}
        self.stubber.add_response("get_engagement", answer, {"Catalog": self.catalog, "Identifier": identifier})

    def expect_start(
        self,
        answer: Dict[str, Any],
        identifier: str,
        context_id: str = "1",
        token: Any = ANY,
        tags: Optional[List[Dict[str, str]]] = None,
    ) -> None:
        expected = {
            "Catalog": self.catalog,
            "Identifier": identifier,
            "ContextIdentifier": context_id,
            "ClientToken": token,
        }
        if tags is not None:
            expected["Tags"] = tags
        self.stubber.add_response("start_opportunity_from_engagement_task", dict(answer), expected)

    def expect_error(
        self, method: str, code: str, message: str = "", status: int = 400, request_id: Optional[str] = None
    ) -> None:
        self.stubber.add_client_error(
            method,
            service_error_code=code,
            service_message=message or code,
            http_status_code=status,
            response_meta={"RequestId": request_id} if request_id else None,
        )


class ModuleExit(Exception):
    """exit_json or fail_json of a module under test, raised instead of leaving the process."""

    def __init__(self, failed: bool, result: Dict[str, Any]) -> None:
        super().__init__(result.get("msg", ""))
        self.failed = failed
        self.result = result


@contextlib.contextmanager
def module_args(args: Dict[str, Any]):
    """The module arguments a module's main() reads, on every supported ansible-core."""
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:  # ansible-core < 2.19
        patch_module_args = None
    if patch_module_args is not None:
        with patch_module_args(args):
            yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode())
        yield


# What a module under test must not pick up from the machine: region, profile, keys and other endpoints.
AWS_ENVIRONMENT = (
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING",
    "EC2_REGION",
)


def isolate_module(monkeypatch: Any, tmp_path: Any) -> None:
    """A module's main() under test: no AWS settings of the machine, exit_json and fail_json raise ModuleExit."""
    for name in AWS_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))

    def exit_json(module: Any, **result: Any) -> None:
        raise ModuleExit(False, result)

    def fail_json(module: Any, **result: Any) -> None:
        raise ModuleExit(True, result)

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", fail_json)

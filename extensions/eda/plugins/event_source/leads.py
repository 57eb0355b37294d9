# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""partnercentral.selling.leads: an ansible-rulebook event source for the leads that AWS shares with a partner.

It polls the List operations of the Partner Central Selling API and puts on the queue one event per new lead
invitation and one per lead context not converted yet (see DOCUMENTATION for the events and the options).

Why it is self-contained (boto3 and the standard library only) instead of importing the collection's module_utils:
ansible-rulebook loads an event source with runpy.run_path from the installed collection, in its own Python (a
decision environment in AAP), where ``ansible_collections.partnercentral.selling`` is importable only if the
collections directory happens to be on sys.path, and where ansible-core and amazon.aws, which the module_utils
import, may be absent. The facts it shares with the modules (service name, default region, catalogs, invitation
statuses, the qualified-lead rule, the rule that attributes a task to a context, pacing, retries, the client's
options and aliases) are tied to the module_utils by the unit tests; the enums and page sizes are read from
botocore's model of the service, as the modules' choice lists are checked against it.

Layers, so that each is testable alone:
- ``parse_options``: the arguments, validated before any API call (a bad option stops the source with a clear
  message);
- ``LeadsApi``: the boto3 calls (client injected), one page or one item per call, each answer checked;
- ``Checkpoint``: what was emitted and when (each emission is a delivery attempt), persisted atomically as JSON;
- ``LeadSource``: the async loop: paces the reads, reconciles, emits, redelivers what is still open after
  ``redeliver_after`` (with a backoff per lead), saves the checkpoint after each event.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
import math
import os
import tempfile
import time
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Awaitable
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple
from urllib.parse import urlsplit

try:
    import boto3
    import botocore.config
    import botocore.exceptions
    import botocore.session
    from botocore import xform_name
except ImportError:  # pragma: no cover - reported by make_client when the source starts
    boto3 = None

DOCUMENTATION = r"""
---
short_description: Emit an event for each new lead that AWS Partner Central shares with the partner.
description:
  - An ansible-rulebook event source plugin that polls the AWS Partner Central Selling API.
  - >
    It emits one event per new lead invitation (C(ListEngagementInvitations) as receiver, payload type
    C(LeadInvitation)), with the customer fields a policy filters on, read with C(GetEngagementInvitation).
  - >
    It emits one event per C(Lead) context of an engagement that is not converted yet and per qualification
    status of that context (C(ListEngagements) with context type C(Lead), then C(GetEngagement) for each new or
    modified engagement). A context counts as converted when a C(COMPLETE) task of
    C(ListOpportunityFromEngagementTasks) belongs to it: same context id, or, on an engagement with a single
    Lead context, a newer context id (the CustomerProject context that the conversion adds). An engagement with
    several Lead contexts only counts exact matches; the conversion modules, which are idempotent, decide.
  - >
    A persisted checkpoint (O(checkpoint_path)) records what was emitted and when, so a restart neither replays
    everything nor misses what arrived while the source was down: at start, and every O(reconcile_interval)
    seconds, the source lists everything and emits what the checkpoint does not hold (EventBridge delivery
    and polling are both best effort). In between it reads only the newest pages.
  - >
    An emitted event is a delivery attempt, not a conversion: ansible-rulebook runs the actions one after
    another, and events waiting behind a running playbook are lost when the activation is killed. So every lead
    context that is still not converted (the source reads its engagement's tasks again), and every lead invitation
    that is still C(PENDING), is emitted again once its last emission is older than O(redeliver_after), then
    after twice that, and so on (at most a day apart), until it is converted, accepted or rejected. Each
    redelivery is logged with its reason (the latest failed task of the lead, when there is one).
  - >
    Delivery is therefore at least once per O(redeliver_after) (with that backoff) until the lead is converted;
    rules must call idempotent actions, which the collection's modules and playbooks are (the conversion
    replays the lead's stable client token and finds the earlier task), so that a lead is converted exactly
    once.
  - >
    A checkpoint that cannot be read is moved aside (C(<path>.corrupt-<UTC time>)), logged as an error, and
    replaced by a full reconciliation from nothing: converted leads are not emitted again (the source checks
    the tasks), the open ones are emitted as new. A checkpoint of the earlier format (version 1, without
    emission times) is loaded, its open leads taken as emitted long ago: they are redelivered at the first poll.
  - No credential is ever put in an event or a log line.
  - >
    Credentials follow boto3's chain (environment, profile, instance role) unless given as options, like the
    collection's modules. Without O(endpoint_url), botocore honours the E(AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING)
    environment variable.
options:
  catalog:
    description:
      - The catalog to watch. V(Sandbox) is for tests, V(AWS) is production.
    type: str
    choices: [AWS, Sandbox]
    default: AWS
  checkpoint_path:
    description:
      - A JSON file where the source records what it emitted (written atomically after each event).
      - Without it, a restart emits every open lead again.
      - Use one file per catalog and partner account.
    type: str
  poll_interval:
    description:
      - Seconds between two polls of the newest pages.
    type: float
    default: 60
  reconcile_interval:
    description:
      - Seconds between two full reconciliations (every page of invitations and engagements).
    type: float
    default: 900
  redeliver_after:
    description:
      - Seconds after which a lead context still not converted, or a lead invitation still C(PENDING), is emitted
        again. Each further redelivery of the same lead waits twice as long as the previous one, at most a day.
      - >
        The cost: one more run of the rule's action per lead still open at each redelivery (a conversion that
        finds the lead converted writes nothing), and two reads per engagement (one per invitation) to check it.
        Keep it longer than the backlog of actions that ansible-rulebook can hold (a longer value redelivers
        fewer events that are still waiting; a shorter one brings a lost event back sooner).
    type: float
    default: 3600
  max_reads_per_second:
    description:
      - The pace of the source's API reads. The account's read quota (10 per second) is shared with the modules
        that the rules start, so the default leaves them most of it.
    type: float
    default: 2
  invitation_statuses:
    description:
      - The invitation statuses to list and emit. An invitation is emitted again when its status changes to
        another listed status.
    type: list
    elements: str
    choices: [PENDING, ACCEPTED, REJECTED, EXPIRED]
    default: [PENDING]
  lead_invitations:
    description:
      - Whether to emit the lead invitation events.
    type: bool
    default: true
  lead_contexts:
    description:
      - Whether to emit the lead context events.
    type: bool
    default: true
  max_attempts:
    description:
      - botocore's retries of a call after its first attempt, in botocore's adaptive retry mode, which backs off and
        slows the client down on throttling. A poll that still fails is logged and the next poll tries again.
    type: int
    default: 10
  access_key:
    description:
      - AWS access key ID. Aliases C(aws_access_key_id), C(aws_access_key).
    type: str
  secret_key:
    description:
      - AWS secret access key. Aliases C(aws_secret_access_key), C(aws_secret_key).
    type: str
  session_token:
    description:
      - STS session token for temporary credentials. Alias C(aws_session_token).
      - The alias C(security_token) is deprecated (removed in release 3.0.0) and logs a warning.
    type: str
  profile:
    description:
      - A profile of the AWS shared configuration files. Alias C(aws_profile).
    type: str
  region:
    description:
      - The region of the API (it has a single endpoint, in us-east-1). Alias C(aws_region).
    type: str
    default: us-east-1
  endpoint_url:
    description:
      - URL to connect to instead of the service's endpoint (for example a local emulator). Alias
        C(aws_endpoint_url).
    type: str
  validate_certs:
    description:
      - Whether to verify the endpoint's TLS certificate.
    type: bool
    default: true
  aws_ca_bundle:
    description:
      - A CA bundle to verify the endpoint's certificate with.
    type: str
notes:
  - >
    Events of type V(lead_invitation) carry C(catalog), C(invitation_id), C(invitation_arn), C(status),
    C(engagement_id), C(engagement_title), C(payload_type), C(sender_aws_account_id), C(sender_company_name),
    C(invitation_date), C(expiration_date) and C(customer) (C(company_name), C(industry), C(market_segment),
    C(country_code), C(website_url), C(aws_maturity)), plus C(interaction) (C(source_type), C(source_name),
    C(usecase)).
  - >
    Events of type V(lead_context) carry C(catalog), C(engagement_id), C(engagement_arn), C(engagement_title),
    C(context_id), C(context_type), C(qualification_status), C(engagement_modified_at) and C(customer) (the same
    keys). Contacts (names, e-mails, phones) are left out of every event.
"""

EXAMPLES = r"""
- name: Leads shared by AWS
  hosts: localhost
  sources:
    - partnercentral.selling.leads:
        catalog: AWS
        checkpoint_path: /var/lib/eda/partnercentral-leads-AWS.json
        poll_interval: 60
        redeliver_after: 3600
  rules:
    # The action is idempotent: a redelivered event of a lead converted meanwhile writes nothing.
    - name: A qualified lead to convert
      condition: event.type == "lead_context" and event.qualification_status == "Qualified"
      action:
        run_playbook:
          name: partnercentral.selling.eda_lead_conversion
"""

SERVICE_NAME = "partnercentral-selling"
SERVICE_REGION = "us-east-1"
CATALOGS = ("AWS", "Sandbox")
LEAD_INVITATION = "LeadInvitation"
LEAD_CONTEXT = "Lead"
# The invitation status that waits for the partner's answer: the only one redelivered.
PENDING = "PENDING"
# The task status of a conversion that holds the lead's opportunity.
COMPLETE = "COMPLETE"
# The qualified-lead rule: only a lead of this qualification status converts (DisqualifiedLeadNotPermitted).
QUALIFIED = "Qualified"
EVENT_LEAD_INVITATION = "lead_invitation"
EVENT_LEAD_CONTEXT = "lead_context"
# The account's read quota (per second), shared with the jobs that the rules start, and the source's default pace.
READ_QUOTA = 10.0
DEFAULT_READS_PER_SECOND = 2.0
# botocore's retries of one call after its first attempt (adaptive mode), by default.
DEFAULT_MAX_ATTEMPTS = 10
# Redelivery of what is still open: first after redeliver_after, then twice as long each time, at most a day apart.
DEFAULT_REDELIVER_AFTER = 3600.0
REDELIVER_MAX = 86400.0
CHECKPOINT_VERSION = 2
# Version 1 (before redelivery) had no emission times; it still loads.
READABLE_CHECKPOINT_VERSIONS = (1, CHECKPOINT_VERSION)
USER_AGENT_EXTRA = "partnercentral.selling-eda-leads"
BOTOCORE_MISSING = (
    "partnercentral.selling.leads needs boto3 and botocore with the partnercentral-selling service "
    "(pip install -r requirements.txt)"
)

# Option name -> accepted aliases: amazon.aws's names for the connection options (a unit test compares them).
ALIASES = {
    "access_key": ("aws_access_key_id", "aws_access_key"),
    "secret_key": ("aws_secret_access_key", "aws_secret_key"),
    "session_token": ("aws_session_token",),
    "profile": ("aws_profile",),
    "region": ("aws_region",),
    "endpoint_url": ("aws_endpoint_url",),
}
# Aliases that earlier releases of this source accepted and amazon.aws no longer does: still accepted, with a
# deprecation warning, so that an existing activation keeps its credentials through an upgrade of the collection.
DEPRECATED_ALIASES = {"security_token": "session_token"}


def _model_facts() -> Dict[str, Any]:
    """The enums and page sizes the source uses, from botocore's model of the service ({} without it)."""
    if boto3 is None:
        return {}
    try:
        model = botocore.session.get_session().get_service_model(SERVICE_NAME)
    except botocore.exceptions.UnknownServiceError:  # a botocore older than requirements.txt's floor
        return {}
    invitations = model.operation_model("ListEngagementInvitations").input_shape.members
    engagements = model.operation_model("ListEngagements").input_shape.members
    tasks = model.operation_model("ListOpportunityFromEngagementTasks").input_shape.members
    return {
        "invitation_statuses": tuple(invitations["Status"].member.enum),
        "page_size": min(invitations["MaxResults"].metadata["max"], engagements["MaxResults"].metadata["max"]),
        "task_page_size": tasks["MaxResults"].metadata["max"],
    }


_MODEL = _model_facts()
INVITATION_STATUSES: Tuple[str, ...] = _MODEL.get("invitation_statuses", ())
# The API's largest pages: ListEngagementInvitations and ListEngagements, ListOpportunityFromEngagementTasks.
PAGE_SIZE: int = _MODEL.get("page_size", 1)
TASK_PAGE_SIZE: int = _MODEL.get("task_page_size", 1)

logger = logging.getLogger("partnercentral.selling.leads")


class OptionError(ValueError):
    """An argument of the source is wrong: raised before any API call."""


class BadAnswer(ValueError):
    """The endpoint answered something that is not the API's answer (not JSON, a required key missing)."""


# --- options -----------------------------------------------------------------------------------------------------


@dataclass
class Options:
    catalog: str = "AWS"
    checkpoint_path: Optional[str] = None
    poll_interval: float = 60.0
    reconcile_interval: float = 900.0
    redeliver_after: float = DEFAULT_REDELIVER_AFTER
    max_reads_per_second: float = DEFAULT_READS_PER_SECOND
    invitation_statuses: List[str] = field(default_factory=lambda: [PENDING])
    lead_invitations: bool = True
    lead_contexts: bool = True
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    access_key: Optional[str] = field(default=None, repr=False)
    secret_key: Optional[str] = field(default=None, repr=False)
    session_token: Optional[str] = field(default=None, repr=False)
    profile: Optional[str] = None
    region: str = SERVICE_REGION
    endpoint_url: Optional[str] = None
    validate_certs: bool = True
    aws_ca_bundle: Optional[str] = None


_NUMBERS = {
    "poll_interval": (0.01, None),
    "reconcile_interval": (0.01, None),
    "redeliver_after": (0.01, None),
    "max_reads_per_second": (0.01, READ_QUOTA),
}
_STRINGS = ("checkpoint_path", "access_key", "secret_key", "session_token", "profile", "region", "endpoint_url")


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    raise OptionError(f"{name} must be a boolean, got {value!r}")


def parse_options(args: Dict[str, Any]) -> Options:
    """The source's arguments as Options; every problem is reported at once, before any API call."""
    values = {}
    problems = []
    for key, value in args.items():
        if key.startswith("eda_"):
            continue  # ansible-rulebook adds its own keys (eda_feedback_queue)
        name = next((option for option, aliases in ALIASES.items() if key in aliases), key)
        if key in DEPRECATED_ALIASES:
            name = DEPRECATED_ALIASES[key]
            logger.warning(
                "option %r is deprecated and will be removed in release 3.0.0 of partnercentral.selling: use %r",
                key,
                name,
            )
        if name not in Options.__dataclass_fields__:
            problems.append(f"unknown option {key!r}")
        elif name in values:
            problems.append(f"option {name!r} given twice (through an alias)")
        elif value is not None:
            values[name] = value
    options = Options()
    for name, value in values.items():
        try:
            setattr(options, name, _convert(name, value))
        except OptionError as error:
            problems.append(str(error))
    if options.access_key and not options.secret_key or options.secret_key and not options.access_key:
        problems.append("access_key and secret_key go together")
    if not options.lead_invitations and not options.lead_contexts:
        problems.append("lead_invitations and lead_contexts are both false: nothing to emit")
    if not INVITATION_STATUSES:
        problems.append(BOTOCORE_MISSING)
    if problems:
        raise OptionError("partnercentral.selling.leads: " + "; ".join(problems))
    return options


def _convert(name: str, value: Any) -> Any:
    if name == "catalog":
        if value not in CATALOGS:
            raise OptionError(f"catalog must be one of {', '.join(CATALOGS)}, got {value!r}")
        return value
    if name in _NUMBERS:
        low, high = _NUMBERS[name]
        try:
            if isinstance(value, bool):
                raise TypeError(value)
            number = float(value)
        except (TypeError, ValueError):
            raise OptionError(f"{name} must be a number, got {value!r}") from None
        if not math.isfinite(number) or number < low or (high is not None and number > high):
            bounds = (
                f"between {low} and {high}" if high is not None else f"a positive number of seconds (at least {low})"
            )
            raise OptionError(f"{name} must be {bounds}, got {value!r}")
        return number
    if name == "max_attempts":
        if isinstance(value, bool) or not str(value).isdigit() or not 1 <= int(value) <= 50:
            raise OptionError(f"max_attempts must be an integer between 1 and 50, got {value!r}")
        return int(value)
    if name == "invitation_statuses":
        statuses = [value] if isinstance(value, str) else value
        if not isinstance(statuses, list) or not statuses or any(item not in INVITATION_STATUSES for item in statuses):
            raise OptionError(f"invitation_statuses must be a list of {', '.join(INVITATION_STATUSES)}, got {value!r}")
        return list(dict.fromkeys(statuses))
    if name in ("lead_invitations", "lead_contexts", "validate_certs"):
        return _bool(name, value)
    if name in _STRINGS or name == "aws_ca_bundle":
        if not isinstance(value, str) or not value:
            # Never echo the value: it may be a secret.
            raise OptionError(f"{name} must be a non-empty string")
        return value
    raise OptionError(f"unknown option {name!r}")  # pragma: no cover - parse_options filters names


def endpoint_for_log(url: Optional[str]) -> str:
    """The endpoint without any user:password part, for the start line."""
    if not url:
        return "botocore's default (or AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING)"
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def make_client(options: Options) -> Any:
    """A boto3 client with the same connection options as the modules, and botocore's adaptive retries."""
    if boto3 is None:
        raise OptionError(BOTOCORE_MISSING)
    session = boto3.session.Session(
        aws_access_key_id=options.access_key,
        aws_secret_access_key=options.secret_key,
        aws_session_token=options.session_token,
        profile_name=options.profile,
    )
    config = botocore.config.Config(
        retries={"mode": "adaptive", "max_attempts": options.max_attempts},
        user_agent_extra=USER_AGENT_EXTRA,
    )
    verify: Any = options.aws_ca_bundle if options.aws_ca_bundle else options.validate_certs
    # endpoint_url=None lets botocore apply AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING (or AWS_ENDPOINT_URL).
    return session.client(
        SERVICE_NAME, region_name=options.region, endpoint_url=options.endpoint_url, verify=verify, config=config
    )


# --- the API calls -----------------------------------------------------------------------------------------------


def _checked(answer: Any, key: str, action: str, kind: type = list) -> Any:
    """The value under key of an API answer, or BadAnswer: a proxy page or a changed API must not read as empty."""
    if not isinstance(answer, dict):
        raise BadAnswer(f"{action}: the answer is not an object")
    headers = (answer.get("ResponseMetadata") or {}).get("HTTPHeaders") or {}
    content_type = str(headers.get("content-type") or "")
    if content_type and "json" not in content_type.lower():
        raise BadAnswer(f"{action}: the endpoint answered {content_type!r}, not the API's JSON")
    value = answer.get(key)
    if not isinstance(value, kind):
        raise BadAnswer(f"{action}: the answer has no {key} {kind.__name__}")
    return value


class LeadsApi:
    """The source's boto3 calls, one page or one item per call (the caller paces them); the client is injected."""

    def __init__(self, client: Any, catalog: str, page_size: int = PAGE_SIZE) -> None:
        self.client = client
        self.catalog = catalog
        self.page_size = page_size

    def invitations_page(self, statuses: List[str], token: Optional[str]) -> Tuple[List[Dict[str, Any]], Optional[str]]:
        params = {
            "ParticipantType": "RECEIVER",
            "PayloadType": [LEAD_INVITATION],
            "Status": statuses,
            "Sort": {"SortBy": "InvitationDate", "SortOrder": "DESCENDING"},
        }
        return self._page("ListEngagementInvitations", "EngagementInvitationSummaries", params, token)

    def invitation(self, identifier: str) -> Dict[str, Any]:
        answer = self.client.get_engagement_invitation(Catalog=self.catalog, Identifier=identifier)
        _checked(answer, "Id", "GetEngagementInvitation", str)
        return answer

    def engagements_page(self, token: Optional[str]) -> Tuple[List[Dict[str, Any]], Optional[str]]:
        params = {"ContextTypes": [LEAD_CONTEXT], "Sort": {"SortBy": "CreatedDate", "SortOrder": "DESCENDING"}}
        return self._page("ListEngagements", "EngagementSummaryList", params, token)

    def _page(
        self, operation: str, key: str, params: Dict[str, Any], token: Optional[str]
    ) -> Tuple[List[Dict[str, Any]], Optional[str]]:
        """One page of a List operation of the catalog, its items checked, and the token of the next page."""
        request = dict(params, Catalog=self.catalog, MaxResults=self.page_size)
        if token:
            request["NextToken"] = token
        answer = getattr(self.client, xform_name(operation))(**request)
        return _checked(answer, key, operation), answer.get("NextToken")

    def engagement(self, identifier: str) -> Dict[str, Any]:
        answer = self.client.get_engagement(Catalog=self.catalog, Identifier=identifier)
        _checked(answer, "Contexts", "GetEngagement")
        return answer

    def tasks_page(self, engagement_id: str, token: Optional[str]) -> Tuple[List[Dict[str, Any]], Optional[str]]:
        params: Dict[str, Any] = {
            "Catalog": self.catalog,
            "EngagementIdentifier": [engagement_id],
            "MaxResults": TASK_PAGE_SIZE,
        }
        if token:
            params["NextToken"] = token
        answer = self.client.list_opportunity_from_engagement_tasks(**params)
        items = _checked(answer, "TaskSummaries", "ListOpportunityFromEngagementTasks")
        return items, answer.get("NextToken")


def context_number(context_id: Any) -> Optional[int]:
    """A context id as a number (ids are "1", "2"...), None when it is not one: then no order can be told."""
    try:
        return int(str(context_id))
    except ValueError:
        return None


def _may_hold(lead_id: str, task_context: Any) -> bool:
    """Whether a task naming another context may be the lead's conversion: the context a conversion creates is
    newer than the lead; without numbers nothing can be ruled out (the modules' rule, _attribution._may_hold)."""
    lead_number, task_number = context_number(lead_id), context_number(task_context)
    if lead_number is None or task_number is None:
        return True
    return task_number > lead_number


def converted_lead_contexts(tasks: List[Dict[str, Any]], lead_ids: List[str]) -> List[str]:
    """The Lead contexts of one engagement that a COMPLETE conversion task belongs to.

    A subset of the modules' rule (module_utils _attribution.lead_states): a task belongs to the context it names; the
    service may name the CustomerProject context that the conversion created instead, so on an engagement with a
    single Lead context a task naming another context that may be its conversion (newer, or not numbered) belongs to
    that lead too. With several Lead contexts only exact matches count: the conversion (which attributes by
    elimination, else replays its client token) sorts out the rest, so a lead counted converted here is converted for
    the engine too, and none is left out.
    """
    converted = []
    for lead_id in lead_ids:
        for task in tasks:
            if task.get("TaskStatus") != COMPLETE:
                continue
            task_context = str(task.get("ContextId"))
            if task_context == lead_id or (
                len(lead_ids) == 1 and task_context not in lead_ids and _may_hold(lead_id, task_context)
            ):
                converted.append(lead_id)
                break
    return converted


def qualification_status(context: Dict[str, Any]) -> Any:
    return ((context.get("Payload") or {}).get(LEAD_CONTEXT) or {}).get("QualificationStatus")


def qualified_lead_contexts(contexts: List[Any]) -> List[str]:
    """The qualified-lead rule (module_utils _discovery.lead_contexts_of): the Lead contexts that can convert."""
    return [
        str(context.get("Id"))
        for context in contexts or []
        if isinstance(context, dict)
        and context.get("Type") == LEAD_CONTEXT
        and qualification_status(context) == QUALIFIED
    ]


def latest_failure(tasks: List[Dict[str, Any]], context_id: str) -> Optional[str]:
    """What the service said of the lead's latest conversion attempt when it failed (ReasonCode: Message), else None."""
    own = [task for task in tasks if str(task.get("ContextId")) == context_id]
    if not own:
        return None
    latest = max(own, key=lambda task: str(_text(task.get("StartTime")) or ""))
    if latest.get("TaskStatus") != "FAILED":
        return None
    return (
        f"task {latest.get('TaskId')} FAILED: {latest.get('ReasonCode') or 'no ReasonCode'}: "
        f"{latest.get('Message') or 'no message'}"
    )


# --- events --------------------------------------------------------------------------------------------------------


def _text(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.isoformat()
    return value


def _customer(customer: Dict[str, Any]) -> Dict[str, Any]:
    address = customer.get("Address") or {}
    return {
        "company_name": customer.get("CompanyName"),
        "industry": customer.get("Industry"),
        "market_segment": customer.get("MarketSegment"),
        "country_code": customer.get("CountryCode") or address.get("CountryCode"),
        "website_url": customer.get("WebsiteUrl"),
        "aws_maturity": customer.get("AwsMaturity"),
    }


def invitation_event(catalog: str, invitation: Dict[str, Any]) -> Dict[str, Any]:
    """The event of one lead invitation (GetEngagementInvitation's answer), without contacts."""
    lead = (invitation.get("Payload") or {}).get("LeadInvitation") or {}
    interaction = lead.get("Interaction") or {}
    return {
        "type": EVENT_LEAD_INVITATION,
        "catalog": catalog,
        "invitation_id": invitation.get("Id"),
        "invitation_arn": invitation.get("Arn"),
        "status": invitation.get("Status"),
        "engagement_id": invitation.get("EngagementId"),
        "engagement_title": invitation.get("EngagementTitle"),
        "payload_type": invitation.get("PayloadType"),
        "sender_aws_account_id": invitation.get("SenderAwsAccountId"),
        "sender_company_name": invitation.get("SenderCompanyName"),
        "invitation_date": _text(invitation.get("InvitationDate")),
        "expiration_date": _text(invitation.get("ExpirationDate")),
        "customer": _customer(lead.get("Customer") or {}),
        "interaction": {
            "source_type": interaction.get("SourceType"),
            "source_name": interaction.get("SourceName"),
            "usecase": interaction.get("Usecase"),
        },
    }


def lead_context_event(catalog: str, engagement: Dict[str, Any], context: Dict[str, Any]) -> Dict[str, Any]:
    """The event of one unconverted Lead context of an engagement (GetEngagement's answer), without contacts."""
    lead = (context.get("Payload") or {}).get("Lead") or {}
    return {
        "type": EVENT_LEAD_CONTEXT,
        "catalog": catalog,
        "engagement_id": engagement.get("Id"),
        "engagement_arn": engagement.get("Arn"),
        "engagement_title": engagement.get("Title"),
        "context_id": str(context.get("Id")),
        "context_type": context.get("Type"),
        "qualification_status": lead.get("QualificationStatus"),
        "engagement_modified_at": _text(engagement.get("ModifiedAt")),
        "customer": _customer(lead.get("Customer") or {}),
        # The qualified Lead contexts of the engagement: the conversion passes them on (the item key lead_contexts), so
        # that a task that answered a new context id is attributed to the right lead of an engagement with several.
        "lead_contexts": qualified_lead_contexts(engagement.get("Contexts") or []),
    }


# --- checkpoint ----------------------------------------------------------------------------------------------------


def _delivery_fields_valid(record: Dict[str, Any]) -> bool:
    emitted_at, deliveries = record.get("emitted_at"), record.get("deliveries")
    number = isinstance(emitted_at, (int, float)) and not isinstance(emitted_at, bool) and math.isfinite(emitted_at)
    count = isinstance(deliveries, int) and not isinstance(deliveries, bool) and deliveries >= 0
    return count and (number or (emitted_at is None and deliveries == 0))


def redelivery_delay(redeliver_after: float, deliveries: int) -> float:
    """Seconds between the last emission and the next: redeliver_after, doubled after each redelivery, at most a day
    (or redeliver_after when that is longer): a lead that keeps failing is not emitted again in a tight loop."""
    return min(redeliver_after * 2.0 ** min(max(deliveries - 1, 0), 32), max(REDELIVER_MAX, redeliver_after))


def redelivery_due(record: Dict[str, Any], redeliver_after: float) -> Optional[float]:
    """When an emitted record is due again (epoch seconds), None when it was never emitted."""
    if record.get("emitted_at") is None or not record.get("deliveries"):
        return None
    return float(record["emitted_at"]) + redelivery_delay(redeliver_after, int(record["deliveries"]))


class Checkpoint:
    """What the source emitted and when, as a JSON file replaced atomically on each save.

    {"version": 2, "catalog": "AWS",
     "invitations": {"<invitation id>": {"status": "<status emitted>", "emitted_at": <epoch seconds>,
                                         "deliveries": <times emitted with that status>}},
     "engagements": {"<engagement id>": {"modified_at": "<ModifiedAt examined>",
                                          "contexts": {"<context id>": {"qualification_status": "...",
                                                                         "converted": false,
                                                                         "emitted_at": <epoch seconds or null>,
                                                                         "deliveries": <times emitted>}}}}}
    An emission is a delivery attempt: emitted_at and deliveries say when the lead is due again (see redelivery_due).
    An engagement's modified_at is written once all its Lead contexts are emitted, so an interrupted engagement is
    examined again; a context is written right after its event.

    Version 1 (written before redelivery existed) had the invitations' statuses only and no emission times. It still
    loads, its open leads taken as emitted once at the epoch: so they are redelivered at the first poll after the
    upgrade. An event of them may have been lost in a restart (what redelivery fixes), and the price is one more
    action per open lead, once; taking them as emitted at load time would leave a lost lead open for another
    redeliver_after.
    """

    def __init__(self, path: Optional[str], catalog: str) -> None:
        self.path = path
        self.catalog = catalog
        self.invitations: Dict[str, Dict[str, Any]] = {}
        self.engagements: Dict[str, Dict[str, Any]] = {}

    def load(self) -> None:
        """Read the file; a missing file is a first start, an unreadable one is moved aside (never a crash)."""
        if not self.path or not os.path.exists(self.path):
            return
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
            invitations, engagements = self._validated(data)
        except (OSError, ValueError) as error:
            aside = f"{self.path}.corrupt-{datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%dT%H%M%SZ')}"
            try:
                os.replace(self.path, aside)
                kept = f"moved to {aside}"
            except OSError:
                kept = "left in place"
            logger.error(
                "checkpoint %s is unreadable (%s); %s. Starting from an empty checkpoint: a full reconciliation "
                "emits the open leads again (converted ones are not emitted)",
                self.path,
                error,
                kept,
            )
            return
        if data.get("catalog") != self.catalog:
            raise OptionError(
                f"partnercentral.selling.leads: checkpoint {self.path} belongs to catalog {data.get('catalog')!r}, "
                f"not {self.catalog!r}: use one checkpoint_path per catalog"
            )
        if data["version"] != CHECKPOINT_VERSION:
            logger.info(
                "checkpoint %s is of version %s: its open leads are taken as emitted long ago (redelivered at the "
                "first poll); it is written as version %s from now on",
                self.path,
                data["version"],
                CHECKPOINT_VERSION,
            )
        self.invitations = invitations
        self.engagements = engagements

    @staticmethod
    def _validated(data: Any) -> Tuple[Dict[str, Dict[str, Any]], Dict[str, Dict[str, Any]]]:
        """The maps of a readable checkpoint in the current format; ValueError for anything else."""
        if not isinstance(data, dict) or data.get("version") not in READABLE_CHECKPOINT_VERSIONS:
            versions = " or ".join(str(version) for version in READABLE_CHECKPOINT_VERSIONS)
            raise ValueError(f"not a version {versions} checkpoint")
        invitations = data.get("invitations")
        engagements = data.get("engagements")
        if not isinstance(invitations, dict) or not isinstance(engagements, dict):
            raise ValueError("invitations or engagements is not a map")
        for record in engagements.values():
            if not isinstance(record, dict) or not isinstance(record.get("contexts"), dict):
                raise ValueError("an engagement record has no contexts map")
            if not all(isinstance(context, dict) for context in record["contexts"].values()):
                raise ValueError("a context record is not a map")
        if data["version"] == 1:
            if not all(isinstance(status, str) for status in invitations.values()):
                raise ValueError("invitations is not a map of invitation id to status")
            invitations = {
                identifier: {"status": status, "emitted_at": 0.0, "deliveries": 1}
                for identifier, status in invitations.items()
            }
            for record in engagements.values():
                for context in record["contexts"].values():
                    emitted = not context.get("converted")
                    context.update(emitted_at=0.0 if emitted else None, deliveries=1 if emitted else 0)
        for record in list(invitations.values()) + [
            context for engagement in engagements.values() for context in engagement["contexts"].values()
        ]:
            if not isinstance(record, dict) or not _delivery_fields_valid(record):
                raise ValueError("a record has no valid emitted_at and deliveries")
        if not all(isinstance(record.get("status"), str) for record in invitations.values()):
            raise ValueError("an invitation record has no status")
        return invitations, engagements

    def save(self) -> None:
        if not self.path:
            return
        data = {
            "version": CHECKPOINT_VERSION,
            "catalog": self.catalog,
            "invitations": self.invitations,
            "engagements": self.engagements,
        }
        directory = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".leads-checkpoint-", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, sort_keys=True, separators=(",", ":"))
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


# --- the loop ------------------------------------------------------------------------------------------------------


class Pacer:
    """Spaces the reads at most `rate` per second (asynchronously, the rule engine keeps running)."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self.clock = clock
        self.sleep = sleep
        self.next_slot = -math.inf

    async def wait(self) -> None:
        now = self.clock()
        slot = max(now, self.next_slot)
        self.next_slot = slot + self.interval
        if slot > now:
            await self.sleep(slot - now)


API_ERRORS: Tuple[type, ...] = (BadAnswer,)
if boto3 is not None:
    API_ERRORS = (BadAnswer, botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError)


def _error_code(error: BaseException) -> Optional[str]:
    if boto3 is not None and isinstance(error, botocore.exceptions.ClientError):
        return error.response.get("Error", {}).get("Code")
    return None


def describe(error: BaseException) -> str:
    """An error for the log: the AWS code and message (botocore puts no credential in them)."""
    if boto3 is not None and isinstance(error, botocore.exceptions.ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code', 'ClientError')}: {details.get('Message', '')}"
    return f"{type(error).__name__}: {error}"


class LeadSource:
    """Polls, reconciles, emits and redelivers; every read goes through the pacer and runs in a thread.

    clock paces the polls (monotonic); wall stamps the emissions in the checkpoint, which outlives the process.
    """

    def __init__(
        self,
        api: LeadsApi,
        checkpoint: Checkpoint,
        options: Options,
        pacer: Optional[Pacer] = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.api = api
        self.checkpoint = checkpoint
        self.options = options
        self.pacer = pacer or Pacer(options.max_reads_per_second)
        self.clock = clock
        self.sleep = sleep
        self.wall = wall
        self.last_full: Optional[float] = None
        self.emitted = 0
        self.redelivered = 0

    async def _read(self, call: Callable[..., Any], *args: Any) -> Any:
        await self.pacer.wait()
        return await asyncio.to_thread(call, *args)

    async def run(self, queue: asyncio.Queue, polls: Optional[int] = None) -> None:
        """Poll forever (or `polls` times, for tests); a failed poll is logged and the next one tries again."""
        done = 0
        while polls is None or done < polls:
            started = self.clock()
            full = self.last_full is None or started - self.last_full >= self.options.reconcile_interval
            if await self.poll(queue, full):
                self.last_full = started
            done += 1
            if polls is None or done < polls:
                await self.sleep(max(0.0, self.options.poll_interval - (self.clock() - started)))

    async def poll(self, queue: asyncio.Queue, full: bool) -> bool:
        """One poll, then the redelivery of what is due; True when it was a full reconciliation that completed."""
        complete = True
        parts: List[Tuple[str, Callable[[asyncio.Queue, bool], Awaitable[None]]]] = []
        if self.options.lead_invitations:
            parts.append(("invitations", self._poll_invitations))
        if self.options.lead_contexts:
            parts.append(("engagements", self._poll_engagements))
        for name, part in parts:
            try:
                await part(queue, full)
            except API_ERRORS as error:
                complete = False
                logger.error(
                    "%s poll of %s failed (%s); the next poll tries again",
                    "full" if full else "incremental",
                    name,
                    describe(error),
                )
        # The checkpoint says when each open lead is due again: that needs no listing, so it runs at every poll and a
        # lost event comes back within a poll interval of its due time, whatever reconcile_interval is.
        await self._redeliver(queue)
        if full and complete:
            logger.info(
                "full reconciliation done (%d events emitted so far, %d of them redeliveries)",
                self.emitted,
                self.redelivered,
            )
        return full and complete

    async def _emit(self, queue: asyncio.Queue, event: Dict[str, Any]) -> None:
        await queue.put(event)
        self.emitted += 1

    def _due(self, record: Dict[str, Any], now: float) -> bool:
        due = redelivery_due(record, self.options.redeliver_after)
        return due is not None and due <= now

    async def _redeliver(self, queue: asyncio.Queue) -> None:
        """Examine again what was emitted long enough ago and is still open, and emit what the service still shows
        open (a pending invitation, an unconverted lead context). Each item's errors are its own."""
        now = self.wall()
        if self.options.lead_invitations:
            for identifier, record in list(self.checkpoint.invitations.items()):
                if record.get("status") == PENDING and self._due(record, now):
                    await self._emit_invitation(queue, identifier, redelivery=True)
        if self.options.lead_contexts:
            for identifier, record in list(self.checkpoint.engagements.items()):
                contexts = record["contexts"].values()
                if not any(not context.get("converted") and self._due(context, now) for context in contexts):
                    continue
                try:
                    await self._examine(queue, identifier, record.get("modified_at"))
                except API_ERRORS as error:
                    if _error_code(error) == "ResourceNotFoundException":
                        # The engagement is gone (the full reconciliation would drop it too): nothing to deliver.
                        del self.checkpoint.engagements[identifier]
                        self.checkpoint.save()
                        continue
                    logger.error(
                        "engagement %s could not be examined for redelivery (%s); tried again at the next poll",
                        identifier,
                        describe(error),
                    )

    async def _poll_invitations(self, queue: asyncio.Queue, full: bool) -> None:
        seen = set()
        token = None
        while True:
            items, token = await self._read(self.api.invitations_page, self.options.invitation_statuses, token)
            known_in_page = False
            for summary in items:
                identifier = summary.get("Id") if isinstance(summary, dict) else None
                if not isinstance(identifier, str):
                    logger.warning("ListEngagementInvitations returned an item without Id; skipped")
                    continue
                seen.add(identifier)
                status = summary.get("Status")
                if (self.checkpoint.invitations.get(identifier) or {}).get("status") == status:
                    known_in_page = True
                    continue
                await self._emit_invitation(queue, identifier)
            if not token or (known_in_page and not full):
                break
        if full:
            gone = [identifier for identifier in self.checkpoint.invitations if identifier not in seen]
            if gone:
                # No longer listed with a watched status (accepted, expired...): it cannot come back as such.
                for identifier in gone:
                    del self.checkpoint.invitations[identifier]
                self.checkpoint.save()

    async def _emit_invitation(self, queue: asyncio.Queue, identifier: str, redelivery: bool = False) -> None:
        try:
            invitation = await self._read(self.api.invitation, identifier)
        except API_ERRORS as error:
            if redelivery and _error_code(error) == "ResourceNotFoundException":
                del self.checkpoint.invitations[identifier]
                self.checkpoint.save()
                return
            # One unreadable invitation must not hold back the others; it is tried again at the next poll.
            logger.error(
                "GetEngagementInvitation %s failed (%s); tried again at the next poll", identifier, describe(error)
            )
            return
        if invitation.get("PayloadType") not in (None, LEAD_INVITATION):
            return
        status = invitation.get("Status")
        known = self.checkpoint.invitations.get(identifier)
        if status not in self.options.invitation_statuses:
            if known is not None:
                # Answered or expired since it was emitted: nothing left to deliver.
                del self.checkpoint.invitations[identifier]
                self.checkpoint.save()
            return
        deliveries = 1
        if known is not None and known.get("status") == status:
            if not redelivery or status != PENDING:
                return  # its status changed between the list and the get, or it is not open any more
            deliveries = int(known.get("deliveries") or 0) + 1
            logger.info(
                "redelivering lead invitation %s: still %s after %d deliveries; next redelivery in %.0f s unless "
                "it is answered",
                identifier,
                status,
                deliveries - 1,
                redelivery_delay(self.options.redeliver_after, deliveries),
            )
            self.redelivered += 1
        await self._emit(queue, invitation_event(self.api.catalog, invitation))
        self.checkpoint.invitations[identifier] = {
            "status": status,
            "emitted_at": self.wall(),
            "deliveries": deliveries,
        }
        self.checkpoint.save()

    async def _poll_engagements(self, queue: asyncio.Queue, full: bool) -> None:
        seen = set()
        token = None
        while True:
            items, token = await self._read(self.api.engagements_page, token)
            known_in_page = False
            for summary in items:
                identifier = summary.get("Id") if isinstance(summary, dict) else None
                if not isinstance(identifier, str):
                    logger.warning("ListEngagements returned an item without Id; skipped")
                    continue
                seen.add(identifier)
                modified = _text(summary.get("ModifiedAt"))
                record = self.checkpoint.engagements.get(identifier)
                if record is not None and record.get("modified_at") == modified:
                    known_in_page = True
                    continue
                try:
                    await self._examine(queue, identifier, modified)
                except API_ERRORS as error:
                    logger.error(
                        "engagement %s could not be examined (%s); tried again later", identifier, describe(error)
                    )
            if not token or (known_in_page and not full):
                break
        if full:
            gone = [identifier for identifier in self.checkpoint.engagements if identifier not in seen]
            for identifier in gone:
                del self.checkpoint.engagements[identifier]
            if gone:
                self.checkpoint.save()

    async def _examine(self, queue: asyncio.Queue, identifier: str, modified: Any) -> None:
        """Read one engagement (and its tasks when a lead is open): emit its new Lead contexts, those whose
        qualification changed, and those still unconverted whose redelivery is due; record the converted ones."""
        engagement = await self._read(self.api.engagement, identifier)
        leads = [
            context
            for context in engagement["Contexts"]
            if isinstance(context, dict) and context.get("Type") == LEAD_CONTEXT and context.get("Id") is not None
        ]
        record = self.checkpoint.engagements.setdefault(identifier, {"modified_at": None, "contexts": {}})
        contexts = record["contexts"]
        lead_ids = [str(context["Id"]) for context in leads]
        for vanished in [context_id for context_id in contexts if context_id not in lead_ids]:
            del contexts[vanished]  # no longer a Lead context of the engagement: nothing to deliver
        now = self.wall()
        work = []
        for context in leads:
            known = contexts.get(str(context["Id"]))
            status = qualification_status(context)
            if known is None or (not known.get("converted") and known.get("qualification_status") != status):
                work.append((context, status, "new"))
            elif not known.get("converted"):
                # Open and known: redelivered when due, else only checked for a conversion.
                work.append((context, status, "due" if self._due(known, now) else "check"))
        if work:
            tasks: List[Dict[str, Any]] = []
            token = None
            while True:
                page, token = await self._read(self.api.tasks_page, identifier, token)
                tasks.extend(task for task in page if isinstance(task, dict))
                if not token:
                    break
            converted = converted_lead_contexts(tasks, lead_ids)
            for context, status, kind in work:
                context_id = str(context["Id"])
                known = contexts.get(context_id) or {}
                if context_id in converted:
                    contexts[context_id] = {
                        "qualification_status": status,
                        "converted": True,
                        "emitted_at": known.get("emitted_at"),
                        "deliveries": int(known.get("deliveries") or 0) if known.get("emitted_at") is not None else 0,
                    }
                    continue
                if kind == "check":
                    continue
                deliveries = 1
                if kind == "due":
                    deliveries = int(known.get("deliveries") or 0) + 1
                    self._log_redelivery(identifier, context_id, status, deliveries, latest_failure(tasks, context_id))
                    self.redelivered += 1
                await self._emit(queue, lead_context_event(self.api.catalog, engagement, context))
                contexts[context_id] = {
                    "qualification_status": status,
                    "converted": False,
                    "emitted_at": self.wall(),
                    "deliveries": deliveries,
                }
                self.checkpoint.save()
        record["modified_at"] = modified
        self.checkpoint.save()

    def _log_redelivery(
        self, engagement_id: str, context_id: str, status: Any, deliveries: int, failure: Optional[str]
    ) -> None:
        # A qualified lead should have been converted by now: a warning. Another status is only emitted again (a
        # rule may act on it); the collection's rulebook leaves it alone.
        reason = failure or f"still unconverted after {deliveries - 1} deliveries"
        logger.log(
            logging.WARNING if status == QUALIFIED else logging.INFO,
            "redelivering lead context %s of engagement %s (qualification status %s): %s; next redelivery in "
            "%.0f s unless converted",
            context_id,
            engagement_id,
            status,
            reason,
            redelivery_delay(self.options.redeliver_after, deliveries),
        )


async def main(queue: asyncio.Queue, args: Dict[str, Any]) -> None:
    """ansible-rulebook's entry point: validate the options, load the checkpoint, then poll until cancelled."""
    options = parse_options(args)
    checkpoint = Checkpoint(options.checkpoint_path, options.catalog)
    checkpoint.load()
    try:
        checkpoint.save()  # an unwritable path stops the source now, not after its first event
    except OSError as error:
        raise OptionError(f"partnercentral.selling.leads: cannot write checkpoint_path: {error}") from None
    if not options.checkpoint_path:
        logger.warning("no checkpoint_path: a restart emits every open lead again")
    client = make_client(options)
    logger.info(
        "watching catalog %s at %s every %ss (full reconciliation every %ss, open leads redelivered after %ss, "
        "at most %s reads/s)",
        options.catalog,
        endpoint_for_log(options.endpoint_url or getattr(client.meta, "endpoint_url", None)),
        options.poll_interval,
        options.reconcile_interval,
        options.redeliver_after,
        options.max_reads_per_second,
    )
    await LeadSource(LeadsApi(client, options.catalog), checkpoint, options).run(queue)


if __name__ == "__main__":
    # Run by hand: python leads.py '{"catalog": "Sandbox", "endpoint_url": "http://127.0.0.1:4566"}' prints events.
    import sys

    class PrintQueue(asyncio.Queue):
        async def put(self, item: Any) -> None:
            sys.stdout.write(json.dumps(item) + "\n")
            sys.stdout.flush()

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(PrintQueue(), json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}))

#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: partnercentral_opportunities_from_engagements
short_description: Create opportunities from many AWS Partner Central engagement contexts at the API quota
version_added: 1.0.0
description:
  - Converts a list of engagement contexts (leads that AWS shared with the partner) into opportunities with
    C(StartOpportunityFromEngagementTask), in one module run, at the API's write quota, and waits for all the tasks
    together.
  - Uses the engine of P(partnercentral.selling.partnercentral_opportunity_from_engagement#module), so every item is
    idempotent across re-runs in the same way. Earlier tasks are looked up with C(ListOpportunityFromEngagementTasks),
    10 engagements per call; a context that an earlier run converted costs no write call, a task an interrupted run
    left C(IN_PROGRESS) is adopted and waited on, and each start uses a client token that is the same on every run.
  - Starts never go faster than O(write_rate). Each waits one interval after the previous start was sent, plus the
    part of that start's round trip beyond the fastest one seen, so that a quota enforced as a bucket of one token is
    held without throttling. A throttle slows the pace down, to a fifth of O(write_rate) at worst, with a random
    spread so that other clients of the account, which share its write quota, do not retry together (it recovers
    within a few accepted starts, never beyond O(write_rate)); the throttled start goes first at the next slot, and
    a throttle is not a failed attempt (an item fails for throttling only after O(wait_timeout) from its first
    Start request). Reads are paced at O(read_rate). The retry policy is the one
    of P(partnercentral.selling.partnercentral_opportunity_from_engagement#module).
  - Waiting polls all running tasks together. While starts are still queued it polls only when 100 tasks are open or
    before a task's O(wait_timeout) runs out (the batch cannot end before its last start); after the last start,
    completion is seen within about a second or 10% of a task's time.
  - Item problems never fail the module. A malformed item (not a dictionary, an unknown key, an identifier or
    context that breaks the API's rules) is reported as V(invalid), a repeated item as V(duplicate), a task that
    fails as V(failed) with its C(ReasonCode) and a hint. The module fails only for module-level problems (options,
    credentials, botocore version). Decide what to do with item problems from RV(batch.counts), or use the
    C(partnercentral.selling.opportunities_from_engagements) role, which fails at the end when items failed.
  - When the batch has to stop (access denied, a daily quota exhausted, the endpoint unreachable), the items not
    started yet are reported as V(not_started); a re-run continues where the batch stopped.
  - The module's action plugin runs the module in the background and prints a progress line at least every
    O(progress_interval) seconds and every 10% of the items (done, in progress, failed). When the task itself
    uses C(async), the module runs as any other module and prints nothing.
  - On the controller (a local connection without become) the module runs as a module process. With the variable
    C(partnercentral_controller_fork=true) (an inventory, play or task variable, not a module option) and when the
    module would run with C(ansible-playbook)'s own Python, it runs instead in a process forked from Ansible's worker,
    whose code, boto3 and botocore are already imported, with the same result, warnings and deprecations. C(-vvv)
    says which way it ran, and why not in the fork when the variable is set. Not on macOS.
author:
  - partnercentral.selling maintainers (@partnercentral-selling)
options:
  engagements:
    description:
      - The engagement contexts to convert, each a dictionary.
      - The keys are the request options of
        P(partnercentral.selling.partnercentral_opportunity_from_engagement#module), with the same rules and aliases,
        C(identifier) (alias C(engagement_id)) and C(context_identifier) (alias C(context_id)), required; C(tags) and
        C(client_token), optional.
      - Two optional keys are not sent. C(origin) (V(list) or V(discovery), default V(list)) is reported with the
        item's result. C(lead_contexts) lists the ids of every C(Lead) context of the engagement, as
        P(partnercentral.selling.partnercentral_engagement_info#module) saw them; it tells which earlier tasks can
        belong to which lead (see the notes).
      - Items are checked one by one; a bad item is reported in RV(batch.items) and does not stop the others.
    type: list
    elements: raw
    required: true
  progress_path:
    description:
      - A file where the module keeps a small JSON document of its progress (state, total, done, in progress, failed,
        pending, counts per status, API calls), replaced atomically at most about once a second.
      - When not set, the action plugin uses a temporary file of its own and removes it at the end.
    type: path
  progress_interval:
    description:
      - Seconds between two progress lines of the action plugin at most; a line is also printed every 10% of the
        items. V(0) prints no progress lines.
    type: float
    default: 30
  report_path:
    description:
      - Where to write a report of the batch as JSON and as Markdown (a table of the items, the totals, and the
        failures grouped by reason code with what to do).
      - A directory (an existing one, or a path that ends with C(/)) gets C(partnercentral-batch.json) and
        C(partnercentral-batch.md). Any other path is a basename; C(<report_path>.json) and C(<report_path>.md) are
        written, and an ending C(.json) or C(.md) is dropped first. Missing directories are created.
      - Reports are written in check mode too (they say what a real run would do); they are output, not managed
        state, and writing them does not make the task changed.
    type: path
  report_title:
    description:
      - The title of the reports. Defaults to the catalog of the batch.
    type: str
notes:
  - The IAM actions used are C(partnercentral:StartOpportunityFromEngagementTask),
    C(partnercentral:ListOpportunityFromEngagementTasks) and C(partnercentral:GetEngagement) (only when an earlier task
    may be another lead's; without it the module replays the client token instead, one more write call).
  - "An engagement can hold several lead contexts, and a COMPLETE task may answer the id of the CustomerProject
    context that its conversion created instead of the lead's. Such a task is attributed when only one lead can hold
    it: the leads known for the engagement are the contexts that the batch names for it plus the items'
    C(lead_contexts) (all of the engagement's, when given); a lead newer than the task's context cannot hold it, and a
    lead with a task of its own holds no other. Where the items do not give every lead and the List data leaves room
    for a task to be another lead's, the engine reads the engagement's lead contexts (C(GetEngagement), once per such
    engagement and run). When two leads could still hold it, the lead is not guessed: its start replays the stable
    client token, the service answers the earlier task of that token (V(already_done), one write call, nothing
    created) or starts the conversion; a lead converted by another tool is refused by the service and reported
    V(already_done). A list may name the leads of an engagement one at a time, in any order. An engagement with one
    lead costs no write call on a re-run, and the run one C(GetEngagement) in all."
  - The quotas are per partner account. To convert the engagements of several accounts, give each account its own
    inventory host (see the C(partnercentral.selling.opportunities_from_engagements) role); the hosts run in parallel.
attributes:
  check_mode:
    support: full
    details:
      - Makes no write call; items a real run would start are reported as V(would_create) and make the task changed.
  diff_mode:
    support: none
extends_documentation_fragment:
  - partnercentral.selling._options.CATALOG
  - partnercentral.selling._options.WAIT
  - partnercentral.selling._options.RATES
  - partnercentral.selling._attributes
  - partnercentral.selling._attributes.ACTIONGROUP
  - partnercentral.selling.partnercentral
  - amazon.aws.common.modules
  - amazon.aws.region.modules
"""

EXAMPLES = r"""
- name: Convert the lead contexts of many engagements (Sandbox catalog)
  partnercentral.selling.partnercentral_opportunities_from_engagements:
    catalog: Sandbox
    engagements:
      - identifier: eng-abcdefghij0123
        context_identifier: "1"
      - identifier: eng-abcdefghij0456
        context_identifier: "1"
        tags:
          campaign: q4-leads
    report_path: reports/leads
  register: conversion

- name: Show what failed and why
  ansible.builtin.debug:
    msg: "{{ conversion.batch['items'] | selectattr('status', 'in', ['failed', 'invalid', 'timed_out']) }}"

- name: Stop when an item failed
  ansible.builtin.assert:
    that: conversion.batch.counts.errors == 0
    fail_msg: "{{ conversion.batch.counts.errors }} engagements were not converted, see reports/leads.md"

- name: Start the conversions without waiting, at a raised write quota, with a progress line every 10 seconds
  partnercentral.selling.partnercentral_opportunities_from_engagements:
    catalog: AWS
    engagements: "{{ leads }}"
    write_rate: 5
    wait: false
    progress_interval: 10
  vars:
    leads:
      - identifier: eng-abcdefghij0789
        context_identifier: "1"
"""

RETURN = r"""
batch:
  description: What the batch did, item by item.
  returned: always
  type: dict
  contains:
    changed:
      description: Whether any item was started (or would be, in check mode).
      type: bool
      returned: always
      sample: true
    catalog:
      description: The catalog of the batch.
      type: str
      returned: always
      sample: Sandbox
    counts:
      description:
        - The number of items per status, plus C(total) and C(errors) (the items V(failed), V(timed_out),
          V(invalid) or V(not_started)).
        - The statuses are V(created), V(started), V(already_done), V(adopted), V(in_progress), V(would_create),
          V(failed), V(timed_out), V(invalid), V(duplicate) and V(not_started); every one is always present.
      type: dict
      returned: always
      sample: {"created": 20, "already_done": 2, "failed": 1, "invalid": 1, "duplicate": 1, "total": 25, "errors": 2}
    api_calls:
      description:
        - The API requests the batch made. C(writes) counts every Start request sent (a start sent again after a
          throttle counts again); C(reads) counts List requests (retries inside one request not counted).
      type: dict
      returned: always
      sample: {"writes": 20, "reads": 9}
    stopped:
      description: Why the batch stopped before the end (the items not started are V(not_started)), else null.
      type: str
      returned: always
      sample: null
    items:
      description: One result per item of O(engagements), in the same order.
      type: list
      elements: dict
      returned: always
      contains:
        index:
          description: The position of the item in O(engagements), from 0.
          type: int
          returned: always
          sample: 0
        identifier:
          description: The identifier as given.
          type: str
          returned: always
          sample: eng-abcdefghij0123
        engagement_id:
          description: The engagement id (also when the identifier is an ARN).
          type: str
          returned: always
          sample: eng-abcdefghij0123
        context_identifier:
          description: The requested context.
          type: str
          returned: always
          sample: "1"
        catalog:
          description: The catalog.
          type: str
          returned: always
          sample: Sandbox
        origin:
          description: Where the item came from, as its C(origin) key says, V(list) when it has none.
          type: str
          returned: always
          sample: discovery
        status:
          description:
            - V(created) (started and complete), V(started) (started, not waited on), V(already_done) (an earlier
              run converted the context), V(adopted) (an earlier run started the task, this run waited for it),
              V(in_progress) (an earlier task still runs), V(would_create) (check mode), V(failed), V(timed_out),
              V(invalid), V(duplicate) (same engagement and context as an earlier item) or V(not_started).
          type: str
          returned: always
          sample: created
        changed:
          description: Whether this item was started (or would be).
          type: bool
          returned: always
          sample: true
        client_token:
          description: The client token sent with the start.
          type: str
          returned: always
          sample: ansible-pcs-3f1e0c9b2a7d4e5f60718293a4b5c6d7e8f90a1b
        task:
          description:
            - The task, in the form of the C(task) the single-engagement module returns; null when there is none.
          type: dict
          returned: always
          sample: {"task_id": "task-1a2b3c4d5e6f7", "task_status": "COMPLETE", "opportunity_id": "O1234567"}
        task_id:
          description: The id of the task, when there is one.
          type: str
          returned: always
          sample: task-1a2b3c4d5e6f7
        opportunity_id:
          description: The opportunity of the context, when known.
          type: str
          returned: always
          sample: O1234567
        reason_code:
          description: The task's C(ReasonCode) when it failed.
          type: str
          returned: always
          sample: DisqualifiedLeadNotPermitted
        error:
          description:
            - Whether the item counts in C(errors) of RV(batch.counts), that is whether its status is V(failed),
              V(timed_out), V(invalid) or V(not_started).
          type: bool
          returned: always
          sample: false
        error_code:
          description: The AWS error code (or the botocore error class) of the API error that made the item fail or
            not start; null when no API error did.
          type: str
          returned: always
          sample: AccessDeniedException
        request_id:
          description: The request id of that API error, when the service answered one; null otherwise.
          type: str
          returned: always
          sample: 1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d
        message:
          description: What happened, in words.
          type: str
          returned: always
          sample: converted by an earlier run
        hint:
          description: What to do about a problem item.
          type: str
          returned: when the status is V(failed), V(timed_out), V(invalid) or V(not_started)
          sample: "The lead is disqualified: qualify it (UpdateEngagementContext) before converting."
        duplicate_of:
          description: The index of the earlier item with the same engagement and context.
          type: int
          returned: when the status is V(duplicate)
          sample: 3
        detected_at:
          description: When this run saw the task finish (ISO 8601), null when it did not.
          type: str
          returned: always
          sample: "2026-11-26T10:00:05.512345+00:00"
msg:
  description: A one-line summary of the batch.
  returned: always
  type: str
  sample: >-
    25 items in catalog Sandbox: 22 created, 1 failed, 1 invalid, 1 duplicate; 2 not converted; 23 writes, 5 reads
reports:
  description: The report files written.
  returned: when O(report_path) is set
  type: dict
  contains:
    json:
      description: The JSON report.
      type: str
      returned: always
      sample: reports/leads.json
    markdown:
      description: The Markdown report.
      type: str
      returned: always
      sample: reports/leads.md
"""

from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import CATALOG_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import DEFAULT_PROGRESS_INTERVAL
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import RATE_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import WAIT_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import argument_spec
from ansible_collections.partnercentral.selling.plugins.module_utils._module.batch import run
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import PartnerCentralModule


def main():
    spec = argument_spec(
        CATALOG_ARG_SPEC,
        WAIT_ARG_SPEC,
        RATE_ARG_SPEC,
        engagements=dict(type="list", elements="raw", required=True),
        progress_path=dict(type="path"),
        progress_interval=dict(type="float", default=DEFAULT_PROGRESS_INTERVAL),
        report_path=dict(type="path"),
        report_title=dict(type="str"),
    )
    run(PartnerCentralModule(argument_spec=spec, supports_check_mode=True))


if __name__ == "__main__":
    main()

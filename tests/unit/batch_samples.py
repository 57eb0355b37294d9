# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Batch summaries as the engine returns them, for the tests of reports, progress and the batch module's glue."""

from __future__ import annotations

from ansible_collections.partnercentral.selling.plugins.module_utils._hints import REASON_HINTS
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import SUMMARY_STATUSES

ENG = "eng-abcdefghij0123"
NOW = 1_790_000_000.0


def item(index: int, status: str, **extra) -> dict:
    result = {
        "index": index,
        "identifier": ENG,
        "engagement_id": ENG,
        "context_identifier": "1",
        "catalog": "Sandbox",
        "status": status,
        "changed": status == "created",
        "client_token": None,
        "task": None,
        "task_id": None,
        "opportunity_id": None,
        "reason_code": None,
        "message": "",
        "detected_at": None,
    }
    result.update(extra)
    return result


def summary(*items: dict, stopped=None) -> dict:
    counts = {status: 0 for status in SUMMARY_STATUSES}
    for entry in items:
        counts[entry["status"]] += 1
    counts["total"] = len(items)
    counts["errors"] = sum(counts[s] for s in ("failed", "timed_out", "invalid", "not_started"))
    return {
        "changed": any(entry["changed"] for entry in items),
        "catalog": "Sandbox",
        "counts": counts,
        "items": list(items),
        "api_calls": {"reads": 3, "writes": 2},
        "stopped": stopped,
    }


SAMPLE = summary(
    item(0, "created", task_id="task-aaaaaaaaaaaaa", opportunity_id="O1001", message="converted"),
    item(
        1,
        "failed",
        reason_code="DisqualifiedLeadNotPermitted",
        task_id="task-bbbbbbbbbbbbb",
        message="task task-bbbbbbbbbbbbb FAILED: DisqualifiedLeadNotPermitted: lead | disqualified",
        hint=REASON_HINTS["DisqualifiedLeadNotPermitted"],
    ),
    item(
        2,
        "invalid",
        identifier="eng-BAD",
        engagement_id=None,
        message="identifier 'eng-BAD' must match",
        hint="Fix the item in the list; the rest of the batch is not affected.",
    ),
    item(3, "duplicate", duplicate_of=0, message="same engagement and context as item 0: processed once"),
    item(
        4,
        "invalid",
        identifier=None,
        engagement_id=None,
        context_identifier=None,
        message="not a dictionary",
        hint="Fix the item in the list; the rest of the batch is not affected.",
    ),
    item(5, "failed", reason_code="ContextNotFound", message="no such context"),
)

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The statuses of a conversion item: the vocabulary of the engine, the progress document, reports and results."""

from __future__ import annotations

# Final statuses: what a result and a report show.
CREATED = "created"  # started by this run and COMPLETE
STARTED = "started"  # started by this run, not waited on (wait=false)
ALREADY_DONE = "already_done"  # an earlier run converted it
ADOPTED = "adopted"  # an earlier run started it; this run waited for it to COMPLETE
IN_PROGRESS = "in_progress"  # an earlier run started it and this run did not wait (wait=false or check mode)
WOULD_CREATE = "would_create"  # check mode: a real run would start a task
FAILED = "failed"  # the task FAILED or the service refused the item
TIMED_OUT = "timed_out"  # still IN_PROGRESS at wait_timeout; a re-run adopts it
INVALID = "invalid"  # refused before any API call
DUPLICATE = "duplicate"  # same catalog, engagement and context as an earlier item of the list
NOT_STARTED = "not_started"  # the batch stopped (quota, credentials, endpoint) before this item

# Statuses that only live during a run.
PENDING = "pending"  # not looked up yet
READY = "ready"  # looked up, to be started
WAITING = "waiting"  # task IN_PROGRESS, being polled

SUMMARY_STATUSES = (
    CREATED,
    STARTED,
    ALREADY_DONE,
    ADOPTED,
    IN_PROGRESS,
    WOULD_CREATE,
    FAILED,
    TIMED_OUT,
    INVALID,
    DUPLICATE,
    NOT_STARTED,
)
# Statuses a batch counts as problems: each item result says so in its `error` key, and the role fails on them.
ERROR_STATUSES = (FAILED, TIMED_OUT, INVALID, NOT_STARTED)
CHANGED_STATUSES = (CREATED, STARTED, WOULD_CREATE)
# What the running progress document counts as done (the finished document counts every item that is not an error).
DONE_STATUSES = (CREATED, STARTED, ALREADY_DONE, ADOPTED, IN_PROGRESS, WOULD_CREATE)

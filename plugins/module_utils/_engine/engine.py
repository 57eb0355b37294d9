# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one engine behind every module of the collection: look up earlier tasks, start at the write quota, wait.

A single conversion is a batch of one. For each engagement context the engine decides from the tasks the service
already holds whether the conversion is done (nothing to do), running (adopt and wait), or to be started (with a
client token that is the same on every run, so that a retry or a re-run replays instead of duplicating).
"""

from __future__ import annotations

import math
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import PartnerCentralError
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import API_FILTER_MAX_VALUES
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import LIST_PAGE_SIZE
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import chunks
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import START_ATTEMPTS
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import TRANSIENT_BACKOFF_MAX
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import derive_client_token
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import find_finished_since
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import find_tasks
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import start_task
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import start_time_key
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import CONVERTED
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import UNKNOWN
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import LeadState
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import DEFAULT_READ_RATE
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import DEFAULT_WAIT_TIMEOUT
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import DEFAULT_WRITE_RATE
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.items import Item
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.leads import EngagementLeads
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.pacing import ReadPacer
from ansible_collections.partnercentral.selling.plugins.module_utils._engine.pacing import WritePacer
from ansible_collections.partnercentral.selling.plugins.module_utils._progress import progress_document
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import ADOPTED
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import ALREADY_DONE
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import CREATED
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import DUPLICATE
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import ERROR_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import FAILED
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import IN_PROGRESS
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import INVALID
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import NOT_STARTED
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import PENDING
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import READY
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import STARTED
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import SUMMARY_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import TIMED_OUT
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import WAITING
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import WOULD_CREATE
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import request_problems

# At most this many tasks are waited on between two polls while starts are still queued: one scan page holds them.
MAX_OPEN_TASKS = LIST_PAGE_SIZE
# A waited task is polled at least this long before its wait_timeout, so that a finished task is never reported
# timed out for want of a poll.
DEADLINE_MARGIN = 2.0
# Completion is seen within this share of the time a task has run (and within min_poll_interval at least).
DETECTION_FRACTION = 0.1


class ConversionEngine:
    """Converts engagement contexts into opportunities for one catalog, at the write rate, waiting in groups."""

    def __init__(
        self,
        client: Any,
        catalog: str,
        wait: bool = True,
        wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
        write_rate: float = DEFAULT_WRITE_RATE,
        read_rate: float = DEFAULT_READ_RATE,
        check_mode: bool = False,
        progress: Optional[Callable[[Dict[str, Any]], None]] = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        min_poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
    ) -> None:
        self.client = client
        self.catalog = catalog
        self.wait = wait
        self.wait_timeout = float(wait_timeout)
        self.pacer = WritePacer(write_rate)
        self.read_pacer = ReadPacer(read_rate, clock, sleep)
        self.check_mode = check_mode
        self.progress = progress
        self.clock = clock
        self.sleep = sleep
        self.min_poll_interval = min_poll_interval
        self.max_poll_interval = max_poll_interval
        self.items: List[Item] = []
        self.stop_message: Optional[str] = None
        self.stop_error: Optional[PartnerCentralError] = None
        self.calls = {"reads": 0, "writes": 0}
        self._next_poll = 0.0
        self._seen_tasks: Dict[str, set] = {}  # engagement id -> ids of the tasks its lookups listed
        self._owners: Dict[str, tuple] = {}  # task id -> (engagement id, context) this run started it for
        # The engagements' lead contexts where the items do not give them all and the List data needs them.
        self._engagement_leads = EngagementLeads(client, catalog, self._pace_read)
        self._last_poll = float("-inf")
        self._starts_queued = False  # Start requests are still to be sent: polls only where they pay
        self._sent_at: Optional[float] = None
        events = getattr(getattr(client, "meta", None), "events", None)
        if events is not None:
            # The moment a Start leaves (after botocore built and signed it) is the closest to its arrival there is.
            events.register("before-send.partnercentral-selling.StartOpportunityFromEngagementTask", self._on_send)

    # ---- pacing ----------------------------------------------------------------------------------------------------
    def _on_send(self, **_kwargs: Any) -> None:
        self._sent_at = self.clock()

    def _pace_read(self) -> None:
        """The pace of every read of the engine (lookups, polls, discovery's reads): the read rate, counted."""
        self.read_pacer.wait()
        self.calls["reads"] += 1

    # ---- public ----------------------------------------------------------------------------------------------------
    def run(self, requests: List[Dict[str, Any]]) -> Dict[str, Any]:
        self.items = [
            Item(index, {} if request is None else request, self.catalog) for index, request in enumerate(requests)
        ]
        self._check_items()
        groups = self._lookup_groups()
        ready: List[Item] = []
        waiting: Dict[str, Item] = {}
        self._report()
        while groups or ready or waiting:
            if self.stop_message:
                self._stop_remaining(groups, ready)
                groups, ready = [], []
                if not waiting:
                    break
            self._note_starts_queued(bool(groups or ready) and not self.check_mode, waiting)
            now = self.clock()
            # While starts are queued, reads wait for their slot here instead of sleeping in _pace_read, so that
            # lookups and polls fit between starts and do not slow the write cadence.
            read_at = self.read_pacer.next_at if ready else now
            if groups and len(ready) < API_FILTER_MAX_VALUES and read_at <= now:
                ready.extend(self._look_up(groups.pop(0), waiting))
                continue
            # A due poll goes before the next start: when starts run late (throttling), polls must not starve.
            if waiting and self._next_poll <= now and read_at <= now:
                self._poll(waiting)
                continue
            if ready and not self.check_mode and self.pacer.next_at <= now:
                self._start(ready, waiting)
                continue
            if self.check_mode and ready:
                for item in ready:
                    item.token = item.user_token or derive_client_token(
                        self.catalog, item.engagement_id, item.context_identifier, item.attempt
                    )
                    item.status = WOULD_CREATE
                    item.message = (
                        "Would have replayed the stable client token (started a task if the lead is not converted) "
                        "if not in check mode"
                        if item.replay
                        else "Would have started a task if not in check mode"
                    )
                ready = []
                self._report()
                continue
            self._expire(waiting)
            wake = [max(self._next_poll, read_at), min(item.deadline for item in waiting.values())] if waiting else []
            if groups and len(ready) < API_FILTER_MAX_VALUES:
                wake.append(read_at)
            if ready:
                wake.append(self.pacer.next_at)
            if wake:
                self.sleep(max(0.0, min(wake) - self.clock()))
        return self.summary()

    def summary(self) -> Dict[str, Any]:
        results = [item.result() for item in self.items]
        counts = {status: 0 for status in SUMMARY_STATUSES}
        for result in results:
            counts[result["status"]] = counts.get(result["status"], 0) + 1
        counts["total"] = len(results)
        counts["errors"] = sum(counts[status] for status in ERROR_STATUSES)
        return {
            "changed": any(result["changed"] for result in results),
            "catalog": self.catalog,
            "counts": counts,
            "items": results,
            "api_calls": dict(self.calls),
            "stopped": self.stop_message,
        }

    # ---- steps -----------------------------------------------------------------------------------------------------
    def _check_items(self) -> None:
        seen: Dict[tuple, int] = {}
        for item in self.items:
            problems = item.shape_problems + (
                request_problems(self.catalog, item.identifier, item.context_identifier, item.tags, item.user_token)
                if item.is_mapping
                else []
            )
            if problems:
                item.status = INVALID
                item.message = "; ".join(problems)
                continue
            if item.key in seen:
                item.status = DUPLICATE
                item.duplicate_of = seen[item.key]
                item.message = f"same engagement and context as item {seen[item.key]}: processed once"
                continue
            seen[item.key] = item.index

    def _lookup_groups(self) -> List[List[Item]]:
        """Items grouped so that one List call (10 engagement ids) looks up a whole group."""
        by_engagement: Dict[str, List[Item]] = {}
        for item in self.items:
            if item.status == PENDING:
                by_engagement.setdefault(item.engagement_id, []).append(item)
        return [
            [item for engagement in group for item in by_engagement[engagement]]
            for group in chunks(list(by_engagement))
        ]

    def _look_up(self, group: List[Item], waiting: Dict[str, Item]) -> List[Item]:
        engagement_ids = list(dict.fromkeys(item.engagement_id for item in group))
        try:
            tasks = find_tasks(self.client, self.catalog, engagement_ids=engagement_ids, pace=self._pace_read)
        except PartnerCentralError as e:
            if e.fatal:
                self.stop_message, self.stop_error = e.message, e
                return group
            for item in group:
                item.status = FAILED
                item.error = e
                item.message = f"could not look up earlier tasks, not started to avoid a duplicate: {e.message}"
            self._report()
            return []
        by_engagement: Dict[str, List[Dict[str, Any]]] = {}
        for task in tasks:
            by_engagement.setdefault(task.get("EngagementId"), []).append(task)
        states = {
            engagement_id: self._lead_states(engagement_id, by_engagement.get(engagement_id, []))
            for engagement_id in engagement_ids
        }
        ready = []
        for item in group:
            state = states[item.engagement_id][item.context_identifier]
            if self._adopt(item, state.tasks if state.state == CONVERTED else [], waiting):
                if state.candidates:
                    item.message += self._attributed_message(state)
                continue
            item.attempt = sum(1 for task in state.tasks if task.get("TaskStatus") == "FAILED")
            if state.state == UNKNOWN:
                item.replay = True
                item.message = (
                    f"tasks {', '.join(t.get('TaskId', '?') for t in state.candidates)} may be this lead's or another "
                    "lead's of the engagement: the start replays the stable client token instead of guessing"
                )
            item.status = READY
            ready.append(item)
        self._report()
        return ready

    def _lead_states(self, engagement_id: str, tasks: List[Dict[str, Any]]) -> Dict[str, LeadState]:
        """The attribution of the engagement's tasks to its lead contexts: the ones this batch names, those its items
        carry (lead_contexts: all of the engagement's), or else, where the List data needs them, the ones read."""
        self._seen_tasks.setdefault(engagement_id, set()).update(task.get("TaskId") for task in tasks)
        known: List[str] = []
        complete = False
        for item in self.items:
            if item.engagement_id == engagement_id and item.status not in (INVALID, DUPLICATE):
                known += [item.context_identifier] + item.lead_contexts
                complete = complete or bool(item.lead_contexts)
        owners = {
            task_id: context for task_id, (engagement, context) in self._owners.items() if engagement == engagement_id
        }
        return self._engagement_leads.states(engagement_id, tasks, known, complete, owners)

    @staticmethod
    def _attributed_message(state: LeadState) -> str:
        if len(state.candidates) < 2:
            return " (its task answered another context id; no other lead of the engagement can hold it)"
        return (
            f" (tasks {', '.join(t.get('TaskId', '?') for t in state.candidates)} converted this lead and other leads "
            "of the engagement; the List data does not say which is which)"
        )

    def _adopt(self, item: Item, matched: List[Dict[str, Any]], waiting: Dict[str, Item]) -> bool:
        """Take over an earlier task of the context: COMPLETE means done, IN_PROGRESS is waited on."""
        for status in ("COMPLETE", "IN_PROGRESS"):
            tasks = sorted((task for task in matched if task.get("TaskStatus") == status), key=start_time_key)
            if not tasks:
                continue
            item.task = tasks[-1]
            item.adopted = True
            if status == "COMPLETE":
                item.status = ALREADY_DONE
                item.message = "converted by an earlier run"
            else:
                item.message = "started by an earlier run"
                self._follow(item, waiting)
            return True
        return False

    def _follow(self, item: Item, waiting: Dict[str, Item]) -> None:
        """Wait for an IN_PROGRESS task unless this run does not wait."""
        if not self.wait or self.check_mode:
            item.status = STARTED if not item.adopted else IN_PROGRESS
            return
        item.status = WAITING
        item.watch_since = self.clock()
        item.deadline = item.watch_since + self.wait_timeout
        waiting[item.task["TaskId"]] = item
        first_poll = self._poll_due(waiting, item.watch_since, [item])
        self._next_poll = min(self._next_poll, first_poll) if len(waiting) > 1 else first_poll

    def _start(self, ready: List[Item], waiting: Dict[str, Item]) -> None:
        """Start the first ready item; a throttled or transiently failed start goes back to the head of the queue.

        The engine owns throttling of starts (see START_ATTEMPTS in _api/retries.py): a throttle is the pacer's signal,
        not a reason to sleep and retry blindly, and the item is tried again at the pacer's next slot. The write quota
        is the account's, shared with its other clients: a throttle says "later", not that the item is wrong, so it
        is not a failed attempt; the item fails for throttling only when its next slot would come after its
        wait_timeout, counted from its first Start request. Transient failures keep their bound, START_ATTEMPTS.
        """
        item = ready.pop(0)
        item.token = item.user_token or derive_client_token(
            self.catalog, item.engagement_id, item.context_identifier, item.attempt
        )
        item.start_requests += 1
        self.calls["writes"] += 1
        self._sent_at = None
        called = self.clock()
        if item.start_requests == 1:
            item.throttle_deadline = called + self.wait_timeout
        try:
            answer = start_task(
                self.client, self.catalog, item.identifier, item.context_identifier, item.token, item.tags
            )
        except PartnerCentralError as e:
            answered = self.clock()
            sent = called if self._sent_at is None else self._sent_at
            if e.throttled:
                item.throttled += 1
                self.pacer.answered(sent, answered, throttled=True)
                if self.pacer.next_at <= item.throttle_deadline:
                    ready.insert(0, item)
                    return
            failures = item.start_requests - item.throttled  # requests that were not throttled: all transient
            if e.transient and failures < START_ATTEMPTS:
                # A transient failure (5xx, a dropped connection) holds the next start back by a growing delay;
                # the same client token makes the repeated request safe.
                hold = min(TRANSIENT_BACKOFF_MAX, 2.0 ** (failures - 1))
                self.pacer.answered(sent, answered, hold=hold)
                ready.insert(0, item)
                return
            if not e.throttled:
                self.pacer.answered(sent, answered)
            if e.code == "ConflictException":
                self._resolve_conflict(item, waiting, e)
            elif e.fatal:
                self.stop_message, self.stop_error = e.message, e
                item.status = NOT_STARTED
                item.error = e
                item.message = e.message
            else:
                item.status = FAILED
                item.error = e
                item.message = e.message
                if e.throttled:
                    first = item.throttle_deadline - self.wait_timeout
                    item.message += (
                        f" (throttled {item.throttled} times in {answered - first:.0f} s, until the item's "
                        f"wait_timeout={self.wait_timeout:g}s: other clients share the account's write quota, such "
                        "as another run, an EDA activation or a CRM connector; a re-run tries again)"
                    )
                elif e.transient:
                    item.message += f" (after {failures} failed Start requests; a re-run tries again)"
            self._report()
            return
        self.pacer.answered(called if self._sent_at is None else self._sent_at, self.clock())
        if item.replay and answer.get("TaskId") in self._seen_tasks.get(item.engagement_id, set()):
            # The service replayed the task that this token started in an earlier run: converted then, not now.
            item.adopted = True
            item.message = "converted by an earlier run: the service replayed the task of the stable client token"
        else:
            item.started = True
            self._owners[answer.get("TaskId", "")] = (item.engagement_id, item.context_identifier)
            if item.replay:
                item.message = "the lead was not converted: the replayed client token started its conversion"
        self._settle(item, answer, waiting)
        self._report()

    def _resolve_conflict(self, item: Item, waiting: Dict[str, Item], error: PartnerCentralError) -> None:
        """Another task holds the context (a parallel run, an earlier token): find it and adopt it."""
        try:
            tasks = find_tasks(self.client, self.catalog, engagement_ids=[item.engagement_id], pace=self._pace_read)
        except PartnerCentralError as e:
            item.status = FAILED
            item.error = e
            item.message = f"{error.message}; looking up the task that holds the context failed too: {e.message}"
            return
        # The same attribution as the lookup, knowing which tasks this run started for which context.
        state = self._lead_states(item.engagement_id, tasks)[item.context_identifier]
        live = [task for task in state.tasks if task.get("TaskStatus") in ("COMPLETE", "IN_PROGRESS")]
        if self._adopt(item, live, waiting):
            return
        if state.state == UNKNOWN:
            # The service refused to convert the context again and the List data cannot tell which task holds it:
            # another tool converted it with a token of its own. Nothing to adopt, nothing to start.
            item.adopted = True
            item.status = ALREADY_DONE
            item.message = (
                f"converted by another task ({error.message}); tasks "
                f"{', '.join(t.get('TaskId', '?') for t in state.candidates)} may be its conversion"
            )
        else:
            item.status = FAILED
            item.error = error
            item.message = (
                f"{error.message}; no COMPLETE or IN_PROGRESS task of engagement {item.engagement_id} context "
                f"{item.context_identifier} was found to adopt (a client_token reused with other parameters?)"
            )

    def _settle(self, item: Item, task: Dict[str, Any], waiting: Dict[str, Item]) -> None:
        item.task = task
        status = task.get("TaskStatus")
        if status in ("COMPLETE", "FAILED"):
            item.detected_at = time.time()
        if status == "COMPLETE":
            item.status = ALREADY_DONE if item.adopted else CREATED
        elif status == "FAILED":
            item.status = FAILED
            item.reason_code = task.get("ReasonCode")
            item.message = (
                f"task {task.get('TaskId')} FAILED: {task.get('ReasonCode')}: {task.get('Message') or ''}".strip()
            )
        else:
            self._follow(item, waiting)

    def _poll(self, waiting: Dict[str, Item]) -> None:
        """One round of status reads for every waited task: by id when few, else one scan of finished tasks."""
        self._last_poll = self.clock()
        try:
            starts = [item.task.get("StartTime") for item in waiting.values()]
            if len(waiting) <= API_FILTER_MAX_VALUES or None in starts:
                tasks = find_tasks(self.client, self.catalog, task_ids=list(waiting), pace=self._pace_read)
            else:
                tasks = find_finished_since(self.client, self.catalog, min(starts), pace=self._pace_read)
        except PartnerCentralError as e:
            if e.fatal:
                self.stop_message, self.stop_error = e.message, e
                for item in waiting.values():
                    item.status = FAILED
                    item.error = e
                    item.message = f"could not follow task {item.task.get('TaskId')}: {e.message}"
                waiting.clear()
                self._report()
                return
            tasks = []
        for task in tasks:
            item = waiting.get(task.get("TaskId"))
            if item is None or task.get("TaskStatus") not in ("COMPLETE", "FAILED"):
                continue
            del waiting[task["TaskId"]]
            self._settle(item, task, waiting)
            if item.adopted and item.status == ALREADY_DONE:
                item.status = ADOPTED
        self._expire(waiting)
        self._schedule_poll(waiting)
        self._report()

    def _schedule_poll(self, waiting: Dict[str, Item]) -> None:
        if waiting:
            self._next_poll = self._poll_due(waiting, self.clock(), list(waiting.values()))

    def _poll_due(self, waiting: Dict[str, Item], now: float, items: List[Item]) -> float:
        """When the next poll pays.

        While starts are queued the batch cannot end before its last start, so seeing a task finish early buys
        nothing: poll only before the oldest waited task's deadline or once MAX_OPEN_TASKS tasks are open. Once the
        last start is sent, poll at the detection cadence: max(min interval, DETECTION_FRACTION of the youngest
        wait), capped at the max interval, so that completion is seen within that share of a task's time.
        """
        if self._starts_queued:
            # Each waited task is polled once in the DEADLINE_MARGIN before its deadline, not again and again.
            due = [
                item.deadline - DEADLINE_MARGIN
                for item in waiting.values()
                if item.deadline - DEADLINE_MARGIN > self._last_poll
            ]
            if len(waiting) >= MAX_OPEN_TASKS:
                # A poll that found them all still running is repeated only after the max interval.
                due.append(self._last_poll + self.max_poll_interval)
            return max(now, min(due)) if due else float("inf")
        since = max(item.watch_since for item in items)
        age = max(0.0, now - since)
        cadence = min(self.max_poll_interval, max(self.min_poll_interval, DETECTION_FRACTION * age))
        if cadence > self.min_poll_interval:
            return now + cadence
        # At the min interval, on a grid from the youngest task's start rather than from the last poll: the youngest
        # finishes last, and a grid of its own sees it finish within one interval wherever the older ones' polls fell.
        return since + (math.floor(age / cadence + 1e-6) + 1) * cadence

    def _note_starts_queued(self, queued: bool, waiting: Dict[str, Item]) -> None:
        """The last start went out (or the batch stopped): the waited tasks switch to the detection cadence."""
        if self._starts_queued and not queued and waiting:
            self._starts_queued = False
            now = self.clock()
            self._next_poll = min(
                self._next_poll, max(now, min(item.watch_since for item in waiting.values()) + self.min_poll_interval)
            )
        self._starts_queued = queued

    def _expire(self, waiting: Dict[str, Item]) -> None:
        now = self.clock()
        for task_id, item in list(waiting.items()):
            if now >= item.deadline:
                del waiting[task_id]
                item.status = TIMED_OUT
                item.message = (
                    f"task {task_id} still IN_PROGRESS after wait_timeout={self.wait_timeout:g}s; "
                    "a re-run adopts it and waits again"
                )

    def _stop_remaining(self, groups: List[List[Item]], ready: List[Item]) -> None:
        if not groups and not ready:
            return
        for item in [item for group in groups for item in group] + ready:
            item.status = NOT_STARTED
            item.error = self.stop_error
            item.message = f"not started: the batch stopped: {self.stop_message}"
        self._report()

    def _report(self) -> None:
        if self.progress is None:
            return
        self.progress(progress_document((item.status for item in self.items), self.calls))

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The batch module's glue around the engine: option checks, item spelling, the progress file."""

from __future__ import annotations

import datetime
import json
import os
import tempfile
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

PROGRESS_FORMAT_VERSION = 1
# The progress file is rewritten at most this often (seconds); the first and the final state are always written.
PROGRESS_MIN_INTERVAL = 1.0
# Keys an engagement item may have, and the spellings of the single-engagement module that mean the same.
ITEM_ALIASES = {"engagement_id": "identifier", "context_id": "context_identifier"}


def option_problems(params: Dict[str, Any]) -> List[str]:
    """Module-level problems of the batch options (item problems are the engine's, reported per item)."""
    problems = []
    if params["wait_timeout"] < 1:
        problems.append(f"wait_timeout must be at least 1 second (got {params['wait_timeout']})")
    for name in ("write_rate", "read_rate"):
        if params[name] <= 0:
            problems.append(f"{name} must be a positive number of requests per second (got {params[name]:g})")
    if params.get("progress_interval") is not None and params["progress_interval"] < 0:
        problems.append(
            f"progress_interval must be 0 (no progress lines) or more (got {params['progress_interval']:g})"
        )
    return problems


def normalize_items(engagements: List[Any]) -> List[Any]:
    """Items with the single module's aliases spelled out; anything else is left for the engine to judge."""
    result = []
    for item in engagements:
        if isinstance(item, dict):
            item = dict(item)
            for alias, name in ITEM_ALIASES.items():
                if alias in item and name not in item:
                    item[name] = item.pop(alias)
        result.append(item)
    return result


def summary_message(summary: Dict[str, Any]) -> str:
    """One line for people: how many items ended how, and the API calls it took."""
    counts = summary.get("counts", {})
    parts = [
        f"{count} {status.replace('_', ' ')}"
        for status, count in counts.items()
        if count and status not in ("total", "errors")
    ]
    calls = summary.get("api_calls", {})
    message = (
        f"{counts.get('total', 0)} items in catalog {summary.get('catalog')}: {', '.join(parts) or 'nothing to do'}; "
        f"{counts.get('errors', 0)} not converted; {calls.get('writes', 0)} writes, {calls.get('reads', 0)} reads"
    )
    if summary.get("stopped"):
        message += f"; the batch stopped: {summary['stopped']}"
    return message


def finished_progress(progress: Dict[str, Any], summary: Dict[str, Any]) -> Dict[str, Any]:
    """The last progress document completed from the batch summary: nothing pending, every item done or failed."""
    counts = summary.get("counts", {})
    finished = dict(progress)
    finished.update(
        {
            "total": counts.get("total", 0),
            "failed": counts.get("errors", 0),
            "in_progress": 0,
            "pending": 0,
            "done": counts.get("total", 0) - counts.get("errors", 0),
            "counts": {status: count for status, count in counts.items() if status not in ("total", "errors")},
            "api_calls": summary.get("api_calls", {}),
        }
    )
    return finished


def _utc(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.timezone.utc).isoformat(timespec="seconds")


class ProgressFile:
    """Writes the engine's progress to a small JSON file, atomically, at most every PROGRESS_MIN_INTERVAL seconds.

    The batch action plugin reads it while the module runs in the background and prints progress lines.
    """

    def __init__(
        self,
        path: str,
        min_interval: float = PROGRESS_MIN_INTERVAL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = os.path.abspath(os.path.expanduser(path))
        self.min_interval = min_interval
        self.clock = clock
        self.started = clock()
        self.last_write: Optional[float] = None
        self.last: Dict[str, Any] = {}

    def update(self, progress: Dict[str, Any]) -> None:
        """The engine's progress callback."""
        self.last = progress
        now = self.clock()
        if self.last_write is not None and now - self.last_write < self.min_interval:
            return
        self._write("running", progress, now)

    def finish(self, summary: Dict[str, Any]) -> None:
        """The final state, written whatever the interval: the action plugin then collects the module's result."""
        self._write("finished", finished_progress(self.last, summary), self.clock())

    def _write(self, state: str, progress: Dict[str, Any], now: float) -> None:
        document = dict(progress)
        document.update(
            {
                "format_version": PROGRESS_FORMAT_VERSION,
                "state": state,
                "started_at": _utc(self.started),
                "updated_at": _utc(now),
                "elapsed": round(now - self.started, 3),
            }
        )
        directory = os.path.dirname(self.path)
        try:
            os.makedirs(directory, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".progress-", dir=directory)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(document, stream)
            os.replace(temporary, self.path)
        except OSError:
            # Progress is a courtesy: a full disk or a removed directory must not stop the batch.
            return
        self.last_write = now

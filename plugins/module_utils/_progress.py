# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The progress document of a batch: built from the engine's items, written to a file by the module, completed from
the batch summary, read back and turned into progress lines by the action plugin.

A module cannot print while it runs; the batch module keeps this small JSON document instead, and its action plugin
prints from it (see plugins/action/partnercentral_opportunities_from_engagements.py).
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import Iterable
from typing import Optional

from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import DONE_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import ERROR_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import PENDING
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import READY
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import WAITING

PROGRESS_FORMAT_VERSION = 1
# The progress file is rewritten at most this often (seconds); the first and the final state are always written.
PROGRESS_MIN_INTERVAL = 1.0
# The file name the action plugin gives the module when the user names none.
PROGRESS_FILE_NAME = "partnercentral-progress.json"


# ---- built --------------------------------------------------------------------------------------------------------
def progress_document(statuses: Iterable[str], api_calls: Dict[str, int]) -> Dict[str, Any]:
    """The progress of a run from the current status of each item and the API calls made so far."""
    counts: Dict[str, int] = {}
    total = 0
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
        total += 1
    return {
        "total": total,
        "done": sum(counts.get(s, 0) for s in DONE_STATUSES),
        "in_progress": counts.get(WAITING, 0),
        "failed": sum(counts.get(s, 0) for s in ERROR_STATUSES),
        "pending": counts.get(PENDING, 0) + counts.get(READY, 0),
        "counts": counts,
        "api_calls": dict(api_calls),
    }


# ---- completed ----------------------------------------------------------------------------------------------------
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


# ---- written ------------------------------------------------------------------------------------------------------
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


# ---- read ---------------------------------------------------------------------------------------------------------
def parse_document(text: str) -> Optional[Dict[str, Any]]:
    """A JSON object of a text; None for anything else (a file caught while being replaced, an error page)."""
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def read_document(path: str) -> Optional[Dict[str, Any]]:
    """A JSON object of a file on the controller; None while it does not exist or cannot be read."""
    try:
        with open(path, encoding="utf-8") as stream:
            return parse_document(stream.read())
    except OSError:
        return None


class ProgressLines:
    """Decides when to print a progress line: at least every `interval` seconds and each further 10% finished."""

    def __init__(self, label: str, interval: float, clock: Any = time.monotonic) -> None:
        self.label = label
        self.interval = interval
        self.clock = clock
        self.last_line = clock()
        self.last_step = -1
        self.last_text = ""

    @staticmethod
    def text(progress: Dict[str, Any]) -> str:
        total = int(progress.get("total") or 0)
        done = int(progress.get("done") or 0)
        failed = int(progress.get("failed") or 0)
        finished = done + failed
        percent = 100 * finished // total if total else 100
        calls = progress.get("api_calls") or {}
        return (
            f"{finished}/{total} finished ({percent}%): {done} done, {failed} failed, "
            f"{int(progress.get('in_progress') or 0)} in progress, {int(progress.get('pending') or 0)} pending; "
            f"{int(calls.get('writes') or 0)} writes, {int(calls.get('reads') or 0)} reads; "
            f"{float(progress.get('elapsed') or 0):.0f} s"
        )

    def line(self, progress: Dict[str, Any], final: bool = False) -> Optional[str]:
        """The line to print now, or None."""
        if self.interval <= 0 and not final:
            return None
        total = int(progress.get("total") or 0)
        finished = int(progress.get("done") or 0) + int(progress.get("failed") or 0)
        step = 10 * finished // total if total else 10
        now = self.clock()
        if not final and step <= self.last_step and now - self.last_line < self.interval:
            return None
        text = self.text(progress)
        if not final and text == self.last_text and now - self.last_line < self.interval:
            return None
        self.last_line, self.last_step, self.last_text = now, max(step, self.last_step), text
        state = "done" if final else "progress"
        return f"partnercentral batch {state} [{self.label}]: {text}"

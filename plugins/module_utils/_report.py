# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reports of a batch: the engine's summary as a JSON file and as a Markdown file for people.

Both files are written atomically (a temporary file in the same directory, then a rename), so a reader never sees
half a report. Nothing secret is in a report: items, task and opportunity ids, reason codes and messages.
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
import time
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ansible_collections.partnercentral.selling.plugins.module_utils._hints import reason_hint
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import ERROR_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._statuses import SUMMARY_STATUSES

REPORT_FORMAT_VERSION = 1
# Basename used when report_path names a directory.
DEFAULT_BASENAME = "partnercentral-batch"
_EXTENSIONS = (".json", ".md")


def report_paths(report_path: str) -> Tuple[str, str]:
    """The JSON and Markdown files for report_path.

    A directory (existing, or spelled with a trailing slash) gets ``partnercentral-batch.json`` and ``.md`` inside;
    any other path is a basename: ``<report_path>.json`` and ``<report_path>.md`` (an ending .json or .md is dropped).
    """
    path = os.path.expanduser(report_path)
    if path.endswith(("/", os.sep)) or os.path.isdir(path):
        base = os.path.join(os.path.normpath(path), DEFAULT_BASENAME)
    else:
        path = os.path.normpath(path)
        root, ext = os.path.splitext(path)
        base = root if ext.lower() in _EXTENSIONS else path
    return base + ".json", base + ".md"


def failure_key(item: Dict[str, Any]) -> str:
    """What a failure is grouped by: the task's ReasonCode, else the item status (invalid, timed_out, ...)."""
    return item.get("reason_code") or item["status"]


def failures_by_reason(summary: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Items with an error status grouped by reason code, each group with the hint of what to do, biggest first."""
    groups: Dict[str, Dict[str, Any]] = {}
    for item in summary.get("items", []):
        if item.get("status") not in ERROR_STATUSES:
            continue
        key = failure_key(item)
        group = groups.setdefault(
            key,
            {"count": 0, "hint": item.get("hint") or reason_hint(key), "items": []},
        )
        group["count"] += 1
        group["items"].append(item["index"])
    return dict(sorted(groups.items(), key=lambda entry: (-entry[1]["count"], entry[0])))


def build_report(summary: Dict[str, Any], title: Optional[str] = None, now: Optional[float] = None) -> Dict[str, Any]:
    """The JSON report: the summary plus when, what and the failures grouped by reason."""
    generated = datetime.datetime.fromtimestamp(now if now is not None else time.time(), tz=datetime.timezone.utc)
    return {
        "format_version": REPORT_FORMAT_VERSION,
        "title": title or f"Batch in catalog {summary.get('catalog')}",
        "generated_at": generated.isoformat(timespec="seconds"),
        "catalog": summary.get("catalog"),
        "changed": summary.get("changed", False),
        "stopped": summary.get("stopped"),
        "counts": summary.get("counts", {}),
        "api_calls": summary.get("api_calls", {}),
        "failures_by_reason": failures_by_reason(summary),
        "items": summary.get("items", []),
    }


def _cell(value: Any) -> str:
    """Text safe inside a Markdown table cell."""
    if value is None or value == "":
        return ""
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _code(value: Any) -> str:
    text = _cell(value)
    return f"`{text}`" if text and "`" not in text else text


def _engagement(item: Dict[str, Any]) -> Any:
    return item.get("engagement_id") or item.get("identifier")


def _reason_text(item: Dict[str, Any]) -> str:
    parts: List[str] = []
    if item.get("reason_code"):
        parts.append(f"**{_cell(item['reason_code'])}**")
    if item.get("message"):
        parts.append(_cell(item["message"]))
    return ": ".join(parts)


def render_markdown(report: Dict[str, Any]) -> str:
    """The Markdown report: totals, failures by reason with what to do, then one table row per item."""
    counts = report.get("counts", {})
    calls = report.get("api_calls", {})
    lines = [
        f"# {_cell(report.get('title'))}",
        "",
        f"- Catalog: {_cell(report.get('catalog'))}",
        f"- Generated: {_cell(report.get('generated_at'))}",
        f"- Items: {counts.get('total', 0)}, problems: {counts.get('errors', 0)}",
        f"- API calls: {calls.get('writes', 0)} writes, {calls.get('reads', 0)} reads",
    ]
    if report.get("stopped"):
        lines.append(f"- **The batch stopped**: {_cell(report['stopped'])}")
    lines += ["", "## Totals", "", "| Status | Items |", "| --- | ---: |"]
    for status in SUMMARY_STATUSES:
        if counts.get(status):
            lines.append(f"| {status} | {counts[status]} |")
    lines.append(f"| **total** | **{counts.get('total', 0)}** |")

    lines += ["", "## Failures by reason", ""]
    failures = report.get("failures_by_reason", {})
    if not failures:
        lines.append("None.")
    items_by_index = {item["index"]: item for item in report.get("items", [])}
    for reason, group in failures.items():
        lines += [f"### {_cell(reason)} ({group['count']})", "", f"What to do: {_cell(group['hint'])}", ""]
        for index in group["items"]:
            item = items_by_index.get(index, {})
            lines.append(
                f"- item {index}: engagement {_code(_engagement(item)) or '(none)'}, context "
                f"{_code(item.get('context_identifier')) or '(none)'}: {_cell(item.get('message'))}"
            )
        lines.append("")
    if failures:
        lines.pop()

    lines += [
        "",
        "## Items",
        "",
        "| # | Engagement | Context | Origin | Status | Task | Opportunity | Reason / message |",
        "| ---: | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for item in report.get("items", []):
        lines.append(
            "| {index} | {engagement} | {context} | {origin} | {status} | {task} | {opportunity} | {reason} |".format(
                index=item.get("index"),
                engagement=_code(_engagement(item)),
                context=_cell(item.get("context_identifier")),
                origin=_cell(item.get("origin") or "list"),
                status=_cell(item.get("status")),
                task=_code(item.get("task_id")),
                opportunity=_code(item.get("opportunity_id")),
                reason=_reason_text(item),
            )
        )
    return "\n".join(lines) + "\n"


def _write_atomically(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".report-", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_reports(summary: Dict[str, Any], report_path: str, title: Optional[str] = None) -> Dict[str, str]:
    """Writes ``<report>.json`` and ``<report>.md`` (see report_paths); returns their paths."""
    json_path, markdown_path = report_paths(report_path)
    report = build_report(summary, title=title)
    _write_atomically(json_path, json.dumps(report, indent=2, sort_keys=False, default=str) + "\n")
    _write_atomically(markdown_path, render_markdown(report))
    return {"json": json_path, "markdown": markdown_path}

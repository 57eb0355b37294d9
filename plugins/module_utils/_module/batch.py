# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The batch module's glue around the engine: option checks, item spelling, progress file, reports, the result."""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import List

from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import REQUEST_ALIASES
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import conversion_engine
from ansible_collections.partnercentral.selling.plugins.module_utils._progress import ProgressFile
from ansible_collections.partnercentral.selling.plugins.module_utils._report import write_reports


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
            for alias, name in REQUEST_ALIASES.items():
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


def run(module: Any) -> None:
    """The batch module: item problems are reported per item and never fail the module, option problems do."""
    params = module.params
    problems = option_problems(params)
    module.fail_on_problems(problems)

    progress = ProgressFile(params["progress_path"]) if params["progress_path"] else None
    engine = conversion_engine(
        module,
        catalog=params["catalog"],
        wait=params["wait"],
        wait_timeout=params["wait_timeout"],
        write_rate=params["write_rate"],
        read_rate=params["read_rate"],
        progress=progress.update if progress else None,
    )
    summary = engine.run(normalize_items(params["engagements"]))
    if progress:
        progress.finish(summary)
    result = {"changed": summary["changed"], "batch": summary, "msg": summary_message(summary)}
    if params["report_path"]:
        try:
            result["reports"] = write_reports(summary, params["report_path"], title=params["report_title"])
        except OSError as e:
            result["msg"] = f"Could not write the report to {params['report_path']}: {e}"
            module.fail_json(**result)
    module.exit_json(**result)

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin of the batch module: prints progress lines while the module works.

A module cannot print while it runs, but it can keep a progress file. This action gives the module a progress file
and prints a line at least every ``progress_interval`` seconds and every 10% of the items:

- on a local connection (the role's case: ``delegate_to: localhost``) without become, the module runs as a module
  process while a thread reads the progress file on the controller and prints the lines. When the user opts in with
  the variable ``partnercentral_controller_fork: true`` and the module would run with ansible-playbook's own Python,
  it runs instead in a process forked from this worker, with its code already in memory (see
  plugins/plugin_utils/_module_fork.py); this worker then prints the lines while it waits for the child, no thread;
- on any other connection, the module runs in the background through ansible's async wrapper (as
  ansible.builtin.gather_facts does for its parallel mode); the progress file is read with slurp and the job with
  async_status.

Both work in check mode. When the task itself sets ``async``, the module runs as any module does and prints nothing.
"""

from __future__ import annotations

import base64
import os
import shutil
import sys
import tempfile
import threading
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import Optional
from typing import Tuple

from ansible.errors import AnsibleActionFail
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import DEFAULT_PROGRESS_INTERVAL
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import DEFAULT_READ_RATE
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import DEFAULT_WAIT_TIMEOUT
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import DEFAULT_WRITE_RATE
from ansible_collections.partnercentral.selling.plugins.module_utils._progress import PROGRESS_FILE_NAME
from ansible_collections.partnercentral.selling.plugins.module_utils._progress import ProgressLines
from ansible_collections.partnercentral.selling.plugins.module_utils._progress import finished_progress
from ansible_collections.partnercentral.selling.plugins.module_utils._progress import parse_document
from ansible_collections.partnercentral.selling.plugins.module_utils._progress import read_document
from ansible_collections.partnercentral.selling.plugins.plugin_utils._module_fork import FORK_VARIABLE
from ansible_collections.partnercentral.selling.plugins.plugin_utils._module_fork import ControllerForkMixin

try:
    # ansible's main process imports this action plugin before it forks the workers (the linear strategy asks for its
    # class), so the module's code, boto3 and botocore are imported once for every host and every module run in the
    # opt-in controller fork.
    # pylint: disable-next=unused-import
    from ansible_collections.partnercentral.selling.plugins.module_utils._engine import engine  # noqa: F401
    from ansible_collections.partnercentral.selling.plugins.modules import (
        partnercentral_opportunities_from_engagements as batch_module,
    )
except ImportError:  # no boto3/botocore on the controller's Python: the module runs as a module process
    batch_module = None

display = Display()

# How often the progress file is read (seconds): a local read is cheap, a remote one runs slurp.
LOCAL_PROGRESS_POLL = 0.25
REMOTE_PROGRESS_POLL = 2.0
# How often async_status is asked while the progress file does not say "finished" (it runs a module each time).
STATUS_POLL = 3.0
# Once the module said "finished", how often the job is checked until its result is there.
FINISH_POLL = 0.05
# Job keys of async_status that are not the module's result.
JOB_KEYS = ("ansible_job_id", "started", "finished", "results_file", "erased", "_ansible_suppress_tmpdir_delete")


def async_limit(args: Dict[str, Any]) -> int:
    """A generous upper bound of the batch's run time for async_wrapper, which kills the job when it is over."""
    count = len(args.get("engagements") or [])
    write_rate = float(args.get("write_rate") or DEFAULT_WRITE_RATE)
    read_rate = float(args.get("read_rate") or DEFAULT_READ_RATE)
    wait_timeout = float(args.get("wait_timeout") or DEFAULT_WAIT_TIMEOUT) if args.get("wait", True) else 0.0
    return int(3 * count / max(write_rate, 0.01) + 3 * count / max(read_rate, 0.01) + wait_timeout + 900)


def _python_identity(path: str) -> Tuple[str, str]:
    """What makes an interpreter path the same Python: its directory and the file it resolves to.

    A virtualenv's python is a symlink to the base interpreter, yet runs with the virtualenv's packages (Python looks
    for pyvenv.cfg beside the path it was started as): bin/python and bin/python3 of one virtualenv are the same
    Python, the base interpreter or a link to it elsewhere is not.
    """
    path = os.path.abspath(path)
    return os.path.realpath(os.path.dirname(path)), os.path.realpath(path)


def _with_thread(poll: Callable[[], None], run: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """run() while a thread of this worker calls poll() every LOCAL_PROGRESS_POLL seconds."""
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(LOCAL_PROGRESS_POLL):
            poll()

    watcher = threading.Thread(target=watch, name="partnercentral-progress", daemon=True)
    watcher.start()
    try:
        return run()
    finally:
        stop.set()
        watcher.join(timeout=5)


def _job_file_ended(path: str) -> bool:
    """Whether async_wrapper wrote the job's result (a document without "started"), read on the controller."""
    document = read_document(path)
    return document is not None and ("started" not in document or bool(document.get("finished")))


class ActionModule(ControllerForkMixin, ActionBase):
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp: Any = None, task_vars: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp

        args = dict(self._task.args)
        try:
            interval = float(args.get("progress_interval", DEFAULT_PROGRESS_INTERVAL) or 0)
        except (TypeError, ValueError):
            interval = DEFAULT_PROGRESS_INTERVAL  # the module reports the bad value
        if not self._task.async_val and interval <= 0:  # no progress lines wanted
            return merge_hash(result, self._run_module(args, task_vars))
        if self._task.async_val:
            # The user runs the task with async: behave as the normal action plugin.
            wrap_async = not self._connection.has_native_async
            result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
            return result

        label = task_vars.get("inventory_hostname", "localhost")
        local = getattr(self._connection, "transport", None) == "local"
        on_controller = local and not self._play_context.become

        own_dir = None
        if not args.get("progress_path"):
            # A temporary directory of our own, apart from the module's (async_wrapper removes that one itself); on the
            # controller without become it is made here, not by a shell command.
            own_dir = tempfile.mkdtemp(prefix="partnercentral-progress-") if on_controller else self._make_tmp_path()
            self._connection._shell.tmpdir = None
            args["progress_path"] = self._connection._shell.join_path(own_dir, PROGRESS_FILE_NAME)
        try:
            if on_controller:
                return merge_hash(result, self._run_with_watcher(args, task_vars, label, interval))
            return merge_hash(result, self._run_in_background(args, task_vars, label, interval, local))
        finally:
            if own_dir and on_controller:
                shutil.rmtree(own_dir, ignore_errors=True)
            elif own_dir:
                self._remove_tmp_path(own_dir)

    # ---- steps -----------------------------------------------------------------------------------------------------
    def _run_with_watcher(
        self, args: Dict[str, Any], task_vars: Dict[str, Any], label: str, interval: float
    ) -> Dict[str, Any]:
        """The module on the controller, with the progress lines read from the file while it runs."""
        lines = ProgressLines(label, interval)
        last: Dict[str, Any] = {}

        def show_progress() -> None:
            progress = read_document(args["progress_path"])
            if progress:
                last.update(progress)
                line = lines.line(progress)
                if line:
                    display.display(line)

        answer = self._run_module(args, task_vars, show_progress)
        final = read_document(args["progress_path"]) or last
        self._final_line(lines, final, answer)
        return answer

    def _run_module(
        self, args: Dict[str, Any], task_vars: Dict[str, Any], poll: Optional[Callable[[], None]] = None
    ) -> Dict[str, Any]:
        """The module's result, from a module process, or from the controller fork when the user opted in.

        `poll` (progress lines) runs every LOCAL_PROGRESS_POLL seconds while the module runs: in a thread beside a
        module process, in this thread's wait loop beside a forked child (no thread may be alive when it forks).
        """
        if not self._arm_controller_fork(task_vars, poll):
            if poll is None:
                return self._execute(args, task_vars)
            return _with_thread(poll, lambda: self._execute(args, task_vars))
        try:
            return self._execute(args, task_vars)
        finally:
            outcome = self.disarm_fork()
            name = self._task.action
            if outcome is None:
                display.vvv(f"partnercentral: ran {name} in a process forked from the worker")
            else:
                display.vvv(f"partnercentral: ran {name} as a module process, not in the controller fork: {outcome}")

    def _execute(self, args: Dict[str, Any], task_vars: Dict[str, Any]) -> Dict[str, Any]:
        try:
            return self._execute_module(module_args=dict(args), task_vars=task_vars, wrap_async=False)
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)

    def _arm_controller_fork(self, task_vars: Dict[str, Any], poll: Optional[Callable[[], None]]) -> bool:
        """Whether the next module run goes to the controller fork: only when the user opted in and it may."""
        if not boolean(self._templar.template(task_vars.get(FORK_VARIABLE, False)), strict=False):
            return False
        reason = self._fork_refusal(task_vars) or self.arm_fork(batch_module.__name__, poll)
        if reason:
            display.vvv(f"partnercentral: {FORK_VARIABLE} is set, but the module runs as a module process: {reason}")
            return False
        return True

    def _fork_refusal(self, task_vars: Dict[str, Any]) -> Optional[str]:
        """Why the module may not run in a fork of this worker; None when it may (controller, no become, same Python).

        The module would run with the target's ansible_python_interpreter; a fork runs ansible-playbook's Python, so it
        is used only where the two are the same (the implicit localhost of ``delegate_to: localhost`` has it so).
        """
        if batch_module is None:
            return "the controller's Python cannot import the module's code (boto3, botocore)"
        if self._play_context.become:
            return "the task uses become"
        if getattr(self._connection, "transport", None) != "local":
            return "the connection is not local"
        host_vars = task_vars
        if self._task.delegate_to:
            host_vars = (task_vars.get("ansible_delegated_vars") or {}).get(self._task.delegate_to) or task_vars
        interpreter = host_vars.get("ansible_python_interpreter")
        if not interpreter:
            return "ansible_python_interpreter is not set"
        if _python_identity(str(self._templar.template(interpreter))) != _python_identity(sys.executable):
            return f"ansible_python_interpreter is not ansible-playbook's Python ({sys.executable})"
        return None

    def _final_line(self, lines: ProgressLines, progress: Dict[str, Any], answer: Dict[str, Any]) -> None:
        if not progress or lines.interval <= 0:
            return
        summary = answer.get("batch") or {}
        if summary.get("counts"):
            progress = finished_progress(progress, summary)
        display.display(lines.line(progress, final=True))

    def _run_in_background(
        self, args: Dict[str, Any], task_vars: Dict[str, Any], label: str, interval: float, local: bool
    ) -> Dict[str, Any]:
        limit = async_limit(args)
        saved = self._task.async_val
        self._task.async_val = limit
        try:
            job = self._execute_module(module_args=args, task_vars=task_vars, wrap_async=True)
        finally:
            self._task.async_val = saved
        if job.get("failed") or not job.get("ansible_job_id"):
            return job
        status_args = {"jid": job["ansible_job_id"], "_async_dir": os.path.dirname(job["results_file"])}

        lines = ProgressLines(label, interval)
        started = time.monotonic()
        progress_poll = LOCAL_PROGRESS_POLL if local else REMOTE_PROGRESS_POLL
        next_status = started + STATUS_POLL
        progress: Dict[str, Any] = {}
        while True:
            progress = self._read_progress(args["progress_path"], task_vars, local) or progress
            if progress:
                line = lines.line(progress)
                if line:
                    display.display(line)
            now = time.monotonic()
            finishing = progress.get("state") == "finished"
            # On the controller the job file tells cheaply whether the job ended; async_status then reads it once.
            ended = local and _job_file_ended(job["results_file"])
            if ended or (not local and finishing) or now >= next_status:
                status = self._execute_module(
                    module_name="ansible.legacy.async_status",
                    module_args=status_args,
                    task_vars=task_vars,
                    wrap_async=False,
                )
                if status.get("finished") or (status.get("failed") and not status.get("started", True)):
                    break
                next_status = time.monotonic() + (FINISH_POLL if finishing and not local else STATUS_POLL)
            if now - started > limit + 60:
                raise AnsibleActionFail(
                    f"the batch job {job['ansible_job_id']} did not finish within its time limit of {limit} s"
                )
            time.sleep(FINISH_POLL if finishing else progress_poll)

        if local and os.path.exists(job["results_file"]):
            os.unlink(job["results_file"])
        else:
            self._execute_module(
                module_name="ansible.legacy.async_status",
                module_args=dict(status_args, mode="cleanup"),
                task_vars=task_vars,
                wrap_async=False,
            )
        self._final_line(lines, progress, status)
        answer = {key: value for key, value in status.items() if key not in JOB_KEYS}
        if not answer.get("failed"):
            for key in ("stdout", "stderr", "stdout_lines", "stderr_lines"):
                answer.pop(key, None)
        return answer

    def _read_progress(self, path: str, task_vars: Dict[str, Any], local: bool) -> Optional[Dict[str, Any]]:
        """The module's progress document, directly on the controller for a local connection, else with slurp."""
        if local and not self._play_context.become:
            return read_document(path)
        answer = self._execute_module(
            module_name="ansible.legacy.slurp", module_args={"src": path}, task_vars=task_vars, wrap_async=False
        )
        if answer.get("failed") or "content" not in answer:
            return None
        return parse_document(base64.b64decode(answer["content"]).decode("utf-8", errors="replace"))

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The opt-in controller fork: the batch module's AnsiballZ payload run in a process forked from ansible's worker.

Off by default. By default the batch module runs as every module does, as a module process started by
``ActionBase._execute_module``, through ansible-core's public plugin interfaces only. A user opts in with the
variable ``partnercentral_controller_fork: true`` (an inventory, play, task or role variable).

Why it exists: a module process pays about 0.3 s of CPU before its first request (the interpreter, ansible's
module_utils, boto3, botocore). With one host per partner account and 20 forks on a 2-core controller, that holds
every account's first write back by seconds. The action plugin imports the module's code once, in ansible's main
process (which loads action plugins before it forks the workers), so a fork of the worker has all of it in memory.

How, with as little of ansible-core's internals as possible: ``_execute_module`` still builds the AnsiballZ payload,
adds the task's internal arguments, and parses, de-serialises and cleans the module's output as for any module
process (no copy of any of that here). Only the one command that would start the module's interpreter is replaced
(ControllerForkMixin._low_level_execute_command): the payload that ansible wrote runs as ``__main__`` in a forked
child, with the task's environment, and its exit code, stdout and stderr go back to ``_execute_module`` as the
command's would have.

The child must look, to the module, like a fresh module process. The worker imported ansible's module_utils as
controller code: on ansible-core >= 2.19 they send ``module.warn()`` and ``module.deprecate()`` to the controller's
display instead of the result, take the controller's traceback settings, and keep what the worker recorded. And the
worker imported the collections' code long ago, while a module process imports it as it starts, and some imports
record deprecations in the result (on ansible-core 2.20, amazon.aws's ``from ansible.module_utils._text import
to_native``). So the child forgets ``ansible.module_utils`` and the collections' modules (sys.modules) and imports
them afresh from the same files; only boto3, botocore and the standard library stay imported, which is most of what
a module process pays for.

The private names this needs, each guarded (looked up with getattr, never imported by name); when one is missing, the
module runs as a module process and ``-vvv`` says why: ``ActionBase._low_level_execute_command`` (overridden) and
``ActionBase._compute_environment_string`` (the task's environment as a dict), action-plugin helpers that
ansible-core's own ``raw``, ``script`` and ``reboot`` use.

Also, no thread may be alive when the worker forks (a fork copies locks that other threads may hold): the fork is
refused when ``threading.active_count()`` is not 1, and the caller's progress callback runs in the parent's wait loop
(os.waitpid with WNOHANG), not in a thread.
"""

from __future__ import annotations

import os
import select
import sys
import tempfile
import threading
import time
import traceback
import types
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

# The task variable of the opt-in (documented in the role's argument spec and the module's notes).
FORK_VARIABLE = "partnercentral_controller_fork"
# The file name ansible gives the payload in the task's temporary directory (remote_module_path in _execute_module).
PAYLOAD_PREFIX = "AnsiballZ_"


class ForkUnavailable(Exception):
    """The module cannot run in a fork here; the message says why (for a -vvv line)."""


def fork_blockers() -> List[str]:
    """Why this controller cannot run the module in a fork (empty: it can). Checked before anything is forked."""
    reasons = []
    if not hasattr(os, "fork"):
        reasons.append("this platform has no fork()")
    if sys.platform == "darwin":
        # A forked child that has not exec'd may crash in the system frameworks that urllib's proxy lookup uses there.
        reasons.append("macOS: a forked child that does not exec may crash in the system frameworks")
    return reasons


def command_result(rc: int, stdout: bytes, stderr: bytes, process_result: Optional[Callable] = None) -> Dict[str, Any]:
    """What ActionBase._low_level_execute_command returns for a command with this outcome."""
    if process_result is not None:
        rc, stdout, stderr = process_result(rc, stdout, stderr)
    out = stdout.decode("utf-8", errors="surrogateescape")
    err = stderr.decode("utf-8", errors="surrogateescape")
    return {"rc": rc, "stdout": out, "stdout_lines": out.splitlines(), "stderr": err, "stderr_lines": err.splitlines()}


def run_payload_forked(
    payload: bytes,
    path: Optional[str],
    environment: Dict[str, str],
    poll: Optional[Callable[[], None]] = None,
    poll_interval: float = 0.25,
) -> Dict[str, Any]:
    """Run a module payload (an AnsiballZ script) as ``__main__`` in a forked child: rc, stdout and stderr as bytes.

    ``path`` is where the payload lies (its ``__file__``, None when it came on stdin as with pipelining).
    ``poll`` is called every ``poll_interval`` seconds while the child runs, in this thread. Raises ForkUnavailable
    when a thread other than this one is alive: nothing has been forked then.
    """
    code = compile(payload, path or "<stdin>", "exec")
    threads = threading.active_count()
    if threads != 1:
        raise ForkUnavailable(f"{threads} threads are alive in the worker and a fork copies only this one")
    with tempfile.TemporaryDirectory(prefix="partnercentral-fork-") as work:
        paths = {name: os.path.join(work, name) for name in ("stdout", "stderr")}
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its outcome is read back by the parent below
            _child(code, path, environment, paths, threads)
        status = _wait(pid, poll, poll_interval)
        answer: Dict[str, Any] = {"rc": os.waitstatus_to_exitcode(status)}
        for name, file_path in paths.items():
            with open(file_path, "rb") as handle:
                answer[name] = handle.read()
    return answer


def _wait(pid: int, poll: Optional[Callable[[], None]], interval: float) -> int:
    """The child's wait status; `poll` runs every `interval` seconds until the child ends (in this thread)."""
    if poll is None:
        return os.waitpid(pid, 0)[1]
    try:  # Linux: a descriptor that becomes readable when the child ends, so the wait ends at once
        pidfd: Optional[int] = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            if pidfd is not None:
                select.select([pidfd], [], [], interval)
            else:
                time.sleep(min(interval, 0.05))
            try:
                poll()
            except Exception:  # pylint: disable=broad-exception-caught
                pass  # progress lines are a courtesy: never lose the module's result for one
    finally:
        if pidfd is not None:
            os.close(pidfd)


def forget_imported_code() -> None:
    """The child: let ansible's module_utils and the collections' code be imported afresh, as in a module process.

    The collection packages themselves (``ansible_collections.<namespace>.<name>``) stay: they hold what ansible's
    collection loader knows of each collection.
    """
    for name in list(sys.modules):
        if name == "ansible.module_utils" or name.startswith("ansible.module_utils."):
            del sys.modules[name]
        elif name.startswith("ansible_collections.") and name.count(".") >= 3:
            del sys.modules[name]


def _child(code: Any, path: Optional[str], environment: Dict[str, str], paths: Dict[str, str], threads: int) -> None:
    """The payload as ``__main__``; never returns (os._exit with the payload's exit code)."""
    exit_code: Optional[int] = 1
    try:
        for fd, name in ((1, "stdout"), (2, "stderr")):
            target = os.open(paths[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        # The worker's sys.stdout/stderr are not the descriptors above; the module prints its result to sys.stdout.
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # pylint: disable=consider-using-with
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # pylint: disable=consider-using-with
        os.environ.update(environment)
        if os.environ.get("PARTNERCENTRAL_FORK_THREADS_FILE"):
            # For the tests: how many threads the worker had when it forked (the parent refuses to fork with more).
            with open(os.environ["PARTNERCENTRAL_FORK_THREADS_FILE"], "a", encoding="utf-8") as handle:
                handle.write(f"{threads}\n")
        forget_imported_code()
        # As a module process sees it: the payload is __main__ and sys.argv names only the payload (AnsiballZ reads a
        # second argument as a debug subcommand; the worker's argv is ansible-playbook's).
        sys.argv = [path or "-"]
        main = types.ModuleType("__main__")
        if path:
            main.__file__ = path
        sys.modules["__main__"] = main
        exec(code, main.__dict__)  # noqa: S102 # pylint: disable=exec-used  # the payload ansible built for this task
        sys.stderr.write("The module did not exit with a result.\n")
    except SystemExit as e:
        exit_code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # pylint: disable=broad-exception-caught
        traceback.print_exc()  # as an uncaught exception in a module process: a MODULE FAILURE with this stderr
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # pylint: disable=broad-exception-caught
                pass
        os._exit(exit_code or 0)  # pylint: disable=protected-access


class ControllerForkMixin:
    """Mixed into an action plugin (before ActionBase): ``_execute_module`` of `module_name` runs in a fork when armed.

    ``arm_fork()`` before ``_execute_module``, ``disarm_fork()`` after; ``fork_outcome`` then says whether the module
    ran in the fork, or why not.
    """

    _fork_request: Optional[Dict[str, Any]] = None
    fork_outcome: Optional[str] = None

    def arm_fork(self, module_fqn: str, poll: Optional[Callable[[], None]]) -> Optional[str]:
        """Prepare the fork of the next run of the module `module_fqn` (its Python name, ansible_collections....).

        None, or why the fork cannot be used (nothing armed then).
        """
        reasons = fork_blockers()
        compute = getattr(super(), "_compute_environment_string", None)
        if not callable(compute):
            reasons.append("ActionBase has no _compute_environment_string to read the task's environment")
        if not callable(getattr(super(), "_low_level_execute_command", None)):
            reasons.append("ActionBase has no _low_level_execute_command to take the module's command from")
        if reasons:
            return "; ".join(reasons)
        environment: Dict[str, Any] = {}
        try:
            compute(environment)
        except TypeError as e:  # another signature than (raw_environment_out=None)
            return f"ActionBase._compute_environment_string does not fill a dict: {e}"
        shell = self._connection._shell  # type: ignore[attr-defined]  # every action plugin's connection shell
        environment = {**(getattr(shell, "env", None) or {}), **environment}
        self._fork_request = {
            "module": module_fqn.rsplit(".", 1)[-1],
            "environment": {str(key): str(value) for key, value in environment.items()},
            "poll": poll,
        }
        self.fork_outcome = "the module's command was not recognised"
        return None

    def disarm_fork(self) -> Optional[str]:
        """Forget the armed fork; None when the module ran in the fork, else why it did not."""
        self._fork_request = None
        outcome, self.fork_outcome = self.fork_outcome, None
        return outcome

    def _low_level_execute_command(self, cmd: str, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        request = self._fork_request
        payload = self._fork_payload(request, cmd, kwargs.get("in_data")) if request else None
        if payload is None:
            return super()._low_level_execute_command(cmd, *args, **kwargs)  # type: ignore[misc]
        self._fork_request = None  # one module run per arming
        code, path = payload
        try:
            answer = run_payload_forked(code, path, request["environment"], request["poll"])
        except ForkUnavailable as e:
            self.fork_outcome = str(e)
            return super()._low_level_execute_command(cmd, *args, **kwargs)  # type: ignore[misc]
        self.fork_outcome = None
        return command_result(answer["rc"], answer["stdout"], answer["stderr"], kwargs.get("process_result"))

    def _fork_payload(self, request: Dict[str, Any], cmd: str, in_data: Any) -> Optional[tuple]:
        """(payload, its path) when `cmd` runs the armed module's payload; None for any other command."""
        if in_data:  # pipelining: the payload comes on the interpreter's stdin
            data = in_data if isinstance(in_data, bytes) else str(in_data).encode()
            return (data, None) if b"_ANSIBALLZ_WRAPPER" in data and request["module"].encode() in data else None
        shell = self._connection._shell  # type: ignore[attr-defined]
        if not shell.tmpdir:
            return None
        path = shell.join_path(shell.tmpdir, f"{PAYLOAD_PREFIX}{request['module']}.py")
        if path not in cmd or not os.path.isfile(path):
            return None
        with open(path, "rb") as handle:
            payload = handle.read()
        # The run of the payload, not another command naming it (chmod, rm): "<interpreter of its shebang> <path>".
        shebang = payload.split(b"\n", 1)[0].decode("utf-8", errors="replace")
        if not shebang.startswith("#!") or f"{shebang[2:].strip()} {path}" not in cmd:
            return None
        return payload, path

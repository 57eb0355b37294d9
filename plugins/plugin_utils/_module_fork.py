# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A collection module run in a process forked from ansible's worker, on the controller, instead of a new interpreter.

Why: a module process pays about 0.3 s of CPU before its first request (the interpreter, ansible's module_utils
compiled from the AnsiballZ payload, boto3, botocore). With one host per partner account and 20 forks on a 2-core
controller, that held every account's first write back by 4-5 s. The action plugin imports the module's code once, in
ansible's main process (which loads action plugins before it forks the workers), so a fork of the worker has all of it
in memory and sends its first request at once.

The child is a module process in all that the module can see: its arguments arrive as AnsiballZ hands them over
(ansible.module_utils.basic's ``_ANSIBLE_ARGS``, the serialization profile on ansible-core >= 2.19), the module runs as
``__main__``, the task's environment is applied, and its stdout, stderr and exit code come back to the action plugin,
which parses them with ansible's own ``_parse_returned_data``. The child is thrown away, so nothing the module does to
its process (environment, working directory, exit) reaches the worker.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import tempfile
import traceback
from typing import Any
from typing import Dict
from typing import Optional

from ansible.module_utils import basic

try:  # ansible-core >= 2.19: module arguments are encoded with the module's serialization profile
    from ansible.module_utils.common.json import Direction
    from ansible.module_utils.common.json import get_module_encoder
except ImportError:  # ansible-core < 2.19: plain JSON, as modify_module writes it
    Direction = None
    get_module_encoder = None

# The profile of a module without metadata, the only kind this collection has.
SERIALIZATION_PROFILE = "legacy"


def can_fork() -> bool:
    # Not on macOS: a forked child that has not exec'd may crash in the system frameworks that urllib's proxy lookup
    # uses there; a module process is safe. Nor on an ansible-core whose basic no longer reads its arguments from
    # the names AnsiballZ sets.
    names = ("_ANSIBLE_ARGS", "_ANSIBLE_PROFILE") if get_module_encoder is not None else ("_ANSIBLE_ARGS",)
    return hasattr(os, "fork") and sys.platform != "darwin" and all(hasattr(basic, name) for name in names)


def encode_arguments(module_args: Dict[str, Any]) -> bytes:
    """The module's arguments as AnsiballZ gives them to ansible.module_utils.basic."""
    payload = {"ANSIBLE_MODULE_ARGS": module_args}
    if get_module_encoder is not None:
        encoder = get_module_encoder(SERIALIZATION_PROFILE, Direction.CONTROLLER_TO_MODULE)
        return json.dumps(payload, cls=encoder).encode()
    from ansible.module_utils.common.json import AnsibleJSONEncoder  # pylint: disable=import-outside-toplevel

    return json.dumps(payload, cls=AnsibleJSONEncoder, vault_to_text=True).encode()


def run_module_forked(module_fqn: str, module_args: Dict[str, Any], environment: Dict[str, str]) -> Dict[str, Any]:
    """Run the module in a forked child; what a module process leaves: ``rc``, ``stdout`` and ``stderr``."""
    arguments = encode_arguments(module_args)
    with tempfile.TemporaryDirectory(prefix="partnercentral-fork-") as work:
        paths = {name: os.path.join(work, name) for name in ("stdout", "stderr")}
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its outcome is read back by the parent below
            _child(module_fqn, arguments, environment, paths)
        _pid, status = os.waitpid(pid, 0)
        answer: Dict[str, Any] = {"rc": os.waitstatus_to_exitcode(status)}
        for name, path in paths.items():
            with open(path, "rb") as handle:
                answer[name] = handle.read().decode("utf-8", errors="replace")
    return answer


def _child(module_fqn: str, arguments: bytes, environment: Dict[str, str], paths: Dict[str, str]) -> None:
    """The module as ``__main__`` with its arguments; never returns (os._exit with the module's exit code)."""
    code: Optional[int] = 1
    try:
        for fd, name in ((1, "stdout"), (2, "stderr")):
            target = os.open(paths[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        # The worker's sys.stdout/stderr are not the descriptors above; the module prints its result to sys.stdout.
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # pylint: disable=consider-using-with
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # pylint: disable=consider-using-with
        os.environ.update(environment)
        basic._ANSIBLE_ARGS = arguments  # pylint: disable=protected-access
        if get_module_encoder is not None:
            basic._ANSIBLE_PROFILE = SERIALIZATION_PROFILE  # pylint: disable=protected-access
        runpy.run_module(module_fqn, init_globals={"_module_fqn": module_fqn}, run_name="__main__", alter_sys=True)
        sys.stderr.write("The module did not exit with a result.\n")
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # pylint: disable=broad-exception-caught
        traceback.print_exc()  # as an uncaught exception in a module process: a MODULE FAILURE with this stderr
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # pylint: disable=broad-exception-caught
                pass
        os._exit(code or 0)  # pylint: disable=protected-access

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""plugin_utils._module_fork: a payload run in a forked child leaves what a module process leaves.

The payloads here stand in for AnsiballZ's: a script that hands its arguments to ansible.module_utils.basic the way
the wrapper does and runs a small AnsibleModule. The same payload runs as a module process (a new interpreter) and in
a fork of this process, which has imported ansible's controller code (as ansible's worker has): the two must print
the same result, warnings and deprecations included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading

import pytest
from ansible.module_utils.common import warnings as module_warnings

# The controller's code, as in ansible's worker: on ansible-core >= 2.19 it switches module_utils' warnings to the
# controller's display; the child imports module_utils afresh.
from ansible.plugins.action import ActionBase  # noqa: F401 # pylint: disable=unused-import
from ansible_collections.partnercentral.selling.plugins.plugin_utils import _module_fork as fork
from ansible_collections.partnercentral.selling.plugins.plugin_utils._module_fork import ForkUnavailable
from ansible_collections.partnercentral.selling.plugins.plugin_utils._module_fork import fork_blockers
from ansible_collections.partnercentral.selling.plugins.plugin_utils._module_fork import run_payload_forked

HEADER = """#!{python}
import sys
from ansible.module_utils import basic
basic._ANSIBLE_ARGS = {arguments!r}
if hasattr(basic, "_ANSIBLE_PROFILE"):
    basic._ANSIBLE_PROFILE = "legacy"
"""

MODULES = {
    "echo": """
        import os
        from ansible.module_utils.basic import AnsibleModule

        def main():
            module = AnsibleModule(argument_spec=dict(name=dict(), token=dict(no_log=True)), supports_check_mode=True)
            module.exit_json(
                changed=True, name=module.params["name"], seen=os.environ.get("PCS_FORK_TEST"), main=__name__,
                check_mode=module.check_mode,
            )

        if __name__ == "__main__":
            main()
    """,
    "refuse": """
        from ansible.module_utils.basic import AnsibleModule

        def main():
            module = AnsibleModule(argument_spec=dict(count=dict(type="int", required=True)))
            module.fail_json(msg="refused", count=module.params["count"])

        if __name__ == "__main__":
            main()
    """,
    "broken": """
        def main():
            raise RuntimeError("a bug in the module")

        if __name__ == "__main__":
            main()
    """,
    "notes": """
        import os, sys
        from ansible.module_utils.basic import AnsibleModule

        def main():
            module = AnsibleModule(argument_spec=dict(name=dict(aliases=["title"])))
            module.warn("a warning of the module")
            module.deprecate("a deprecation of the module", version="9.0.0", collection_name="partnercentral.selling")
            module.exit_json(changed=False, argv=sys.argv[1:], env=os.environ.get("PCS_FORK_TEST"))

        if __name__ == "__main__":
            main()
    """,
    "slow": """
        import time
        from ansible.module_utils.basic import AnsibleModule

        def main():
            module = AnsibleModule(argument_spec={})
            time.sleep(0.8)
            module.exit_json(changed=False)

        if __name__ == "__main__":
            main()
    """,
    "silent": """
        def main():
            return None

        if __name__ == "__main__":
            main()
    """,
}


def payload(tmp_path, name, args):
    """A payload file: HEADER with the arguments, then the module's code."""
    arguments = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
    path = tmp_path / f"AnsiballZ_{name}.py"
    path.write_text(HEADER.format(python=sys.executable, arguments=arguments) + textwrap.dedent(MODULES[name]))
    return path.read_bytes(), str(path)


def result_of(answer):
    stdout = answer["stdout"].decode() if isinstance(answer["stdout"], bytes) else answer["stdout"]
    return json.loads(stdout[stdout.index("{") :])


def as_a_process(path, env=None):
    done = subprocess.run(  # noqa: S603
        [sys.executable, path], capture_output=True, check=False, env={**os.environ, **(env or {})}
    )
    return {"rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


def test_warnings_and_deprecations_are_in_the_result_as_from_a_module_process(tmp_path):
    code, path = payload(tmp_path, "notes", {"name": "x", "title": "y"})
    forked = run_payload_forked(code, path, {})
    process = as_a_process(path)
    assert forked["rc"] == process["rc"] == 0, (forked, process)
    forked_result, process_result = result_of(forked), result_of(process)
    # The module's warning, and the one AnsibleModule adds for an option given with its alias.
    assert len(forked_result["warnings"]) == 2, forked_result
    assert "a warning of the module" in str(forked_result["warnings"])
    assert "a deprecation of the module" in str(forked_result["deprecations"])
    for key in ("warnings", "deprecations"):
        assert forked_result[key] == process_result[key]
    # The worker's own registries are left alone, and nothing went to its display (stderr) instead.
    assert forked["stderr"] == process["stderr"]


def test_the_child_starts_with_empty_registries(tmp_path):
    code, path = payload(tmp_path, "notes", {"name": "x"})
    module_warnings.warn("a warning of the worker")
    try:
        result = result_of(run_payload_forked(code, path, {}))
    finally:
        for name in ("_global_warnings", "_global_deprecations"):
            getattr(module_warnings, name).clear()
    assert "a warning of the worker" not in str(result["warnings"])


def test_the_payload_sees_its_environment_and_only_its_own_argv(tmp_path):
    code, path = payload(tmp_path, "notes", {"name": "x"})
    result = result_of(run_payload_forked(code, path, {"PCS_FORK_TEST": "from the task"}))
    assert result["env"] == "from the task"
    assert result["argv"] == []


def test_no_fork_while_another_thread_is_alive(tmp_path):
    code, path = payload(tmp_path, "notes", {"name": "x"})
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with pytest.raises(ForkUnavailable, match="2 threads"):
            run_payload_forked(code, path, {})
    finally:
        stop.set()
        thread.join()


def test_the_parent_polls_in_its_own_thread_while_the_child_runs(tmp_path):
    code, path = payload(tmp_path, "slow", {})
    callers = []
    answer = run_payload_forked(
        code, path, {}, poll=lambda: callers.append(threading.current_thread()), poll_interval=0.1
    )
    assert answer["rc"] == 0
    assert len(callers) >= 3 and set(callers) == {threading.main_thread()}


def test_the_module_gets_its_arguments_as_main(tmp_path):
    args = {"name": "lead-1", "token": "s3cr3t-value", "_ansible_check_mode": True}
    code, path = payload(tmp_path, "echo", args)
    answer = run_payload_forked(code, path, {"PCS_FORK_TEST": "from the task"})
    assert answer["rc"] == 0, answer
    result = result_of(answer)
    assert result["changed"] is True
    assert result["name"] == "lead-1"
    assert result["seen"] == "from the task"
    assert result["main"] == "__main__"
    assert result["check_mode"] is True
    assert b"s3cr3t-value" not in answer["stdout"]  # no_log, as in a module process


def test_nothing_the_child_does_reaches_the_parent(tmp_path):
    before = (dict(os.environ), os.getcwd(), list(sys.argv), sys.modules["__main__"])
    code, path = payload(tmp_path, "echo", {"name": "x"})
    answer = run_payload_forked(code, path, {"PCS_FORK_TEST": "child only"})
    assert answer["rc"] == 0
    assert (dict(os.environ), os.getcwd(), list(sys.argv), sys.modules["__main__"]) == before


def test_a_failure_is_exit_code_1_with_the_result(tmp_path):
    code, path = payload(tmp_path, "refuse", {"count": "7"})
    answer = run_payload_forked(code, path, {})
    assert answer["rc"] == 1
    result = result_of(answer)
    assert result["failed"] is True and result["msg"] == "refused" and result["count"] == 7


def test_an_exception_is_a_traceback_on_stderr(tmp_path):
    code, path = payload(tmp_path, "broken", {})
    answer = run_payload_forked(code, path, {})
    assert answer["rc"] == 1
    assert b"RuntimeError: a bug in the module" in answer["stderr"]
    assert answer["stdout"] == b""


def test_a_module_that_never_exits_is_a_failure(tmp_path):
    code, path = payload(tmp_path, "silent", {})
    answer = run_payload_forked(code, path, {})
    assert answer["rc"] == 1
    assert b"did not exit with a result" in answer["stderr"]


def test_forks_on_linux_not_on_macos(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert fork_blockers() == []
    monkeypatch.setattr(sys, "platform", "darwin")
    assert "macOS" in " ".join(fork_blockers())


class FakeShell:
    def __init__(self, tmpdir):
        self.tmpdir = tmpdir
        self.env = {}

    @staticmethod
    def join_path(*parts):
        return os.path.join(*parts)


def test_only_the_run_of_the_payload_is_taken_over(tmp_path):
    code, path = payload(tmp_path, "echo", {"name": "x"})
    mixin = fork.ControllerForkMixin()
    mixin._connection = type("Connection", (), {"_shell": FakeShell(str(tmp_path))})()
    request = {"module": "echo"}
    assert mixin._fork_payload(request, f"/bin/sh -c 'chmod u+rwx {tmp_path}/ {path} && sleep 0'", None) is None
    assert mixin._fork_payload(request, f"/bin/sh -c 'rm -f -r {tmp_path}/ > /dev/null 2>&1 && sleep 0'", None) is None
    run = f"/bin/sh -c 'AWS_REGION=us-east-1 {sys.executable} {path} && sleep 0'"
    assert mixin._fork_payload(request, run, None) == (code, path)
    # Pipelining: the payload on the interpreter's stdin.
    wrapper = b"#!/usr/bin/python\n_ANSIBALLZ_WRAPPER = True\nmodule = 'echo'\n"
    assert mixin._fork_payload(request, f"/bin/sh -c '{sys.executable} && sleep 0'", wrapper) == (wrapper, None)
    assert mixin._fork_payload({"module": "other"}, "/bin/sh -c 'python && sleep 0'", wrapper) is None

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""plugin_utils._module_fork: a module run in a forked child leaves what a module process leaves.

The modules here are small AnsibleModule scripts in a temporary package: the child imports them as ``__main__`` the
way AnsiballZ does, and the parent reads back exit code, stdout and stderr.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap

import pytest
from ansible.module_utils import basic
from ansible_collections.partnercentral.selling.plugins.plugin_utils._module_fork import can_fork
from ansible_collections.partnercentral.selling.plugins.plugin_utils._module_fork import encode_arguments
from ansible_collections.partnercentral.selling.plugins.plugin_utils._module_fork import run_module_forked

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
    "silent": """
        def main():
            return None

        if __name__ == "__main__":
            main()
    """,
}


@pytest.fixture
def package(tmp_path, monkeypatch):
    root = tmp_path / "pcs_fork_modules"
    root.mkdir()
    (root / "__init__.py").write_text("", encoding="utf-8")
    for name, source in MODULES.items():
        (root / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "pcs_fork_modules"


def result_of(answer):
    return json.loads(answer["stdout"][answer["stdout"].index("{") :])


def test_the_module_gets_its_arguments_and_environment_as_main(package):
    args = {"name": "lead-1", "token": "s3cr3t-value", "_ansible_check_mode": True}
    answer = run_module_forked(f"{package}.echo", args, {"PCS_FORK_TEST": "from the task"})
    assert answer["rc"] == 0, answer
    result = result_of(answer)
    assert result["changed"] is True
    assert result["name"] == "lead-1"
    assert result["seen"] == "from the task"
    assert result["main"] == "__main__"
    assert result["check_mode"] is True
    assert "s3cr3t-value" not in answer["stdout"]  # no_log, as in a module process
    assert result["invocation"]["module_args"]["token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_nothing_the_child_does_reaches_the_parent(package):
    before = (dict(os.environ), os.getcwd(), basic._ANSIBLE_ARGS)  # pylint: disable=protected-access
    answer = run_module_forked(f"{package}.echo", {"name": "x"}, {"PCS_FORK_TEST": "child only"})
    assert answer["rc"] == 0
    assert (dict(os.environ), os.getcwd(), basic._ANSIBLE_ARGS) == before  # pylint: disable=protected-access


def test_a_failure_is_exit_code_1_with_the_result(package):
    answer = run_module_forked(f"{package}.refuse", {"count": "7"}, {})
    assert answer["rc"] == 1
    result = result_of(answer)
    assert result["failed"] is True and result["msg"] == "refused" and result["count"] == 7


def test_bad_arguments_are_refused_by_the_argument_spec(package):
    answer = run_module_forked(f"{package}.refuse", {"count": "many"}, {})
    assert answer["rc"] == 1
    assert "count" in result_of(answer)["msg"]


def test_an_exception_is_a_traceback_on_stderr(package):
    answer = run_module_forked(f"{package}.broken", {}, {})
    assert answer["rc"] == 1
    assert "RuntimeError: a bug in the module" in answer["stderr"]
    assert answer["stdout"] == ""


def test_a_module_that_never_exits_is_a_failure(package):
    answer = run_module_forked(f"{package}.silent", {}, {})
    assert answer["rc"] == 1
    assert "did not exit with a result" in answer["stderr"]


def test_forks_on_linux_not_on_macos(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert can_fork() is True
    monkeypatch.setattr(sys, "platform", "darwin")
    assert can_fork() is False


def test_no_fork_when_basic_reads_its_arguments_elsewhere(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delattr(basic, "_ANSIBLE_ARGS")
    assert can_fork() is False


def test_the_arguments_are_what_ansiballz_hands_over():
    encoded = json.loads(encode_arguments({"name": "x", "_ansible_check_mode": False}))
    assert encoded == {"ANSIBLE_MODULE_ARGS": {"name": "x", "_ansible_check_mode": False}}

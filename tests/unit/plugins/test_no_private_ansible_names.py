# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""No private ansible-core name in plugins/ and extensions/, outside a small allowlist with its reasons.

ansible-core documents as public, for a collection's plugins: ``ansible.module_utils`` (the modules' library) and the
plugin classes with the helpers that every plugin of a kind uses. Anything else may change in any release (2.21
removed ``ansible.vars.clean.remove_internal_keys``, and a playbook that loaded an action plugin importing it died
before its first task). The checker parses every Python file and fails on:

- an import from an ansible-core module that is not a documented plugin interface (CONTROLLER_MODULES, or
  ``ansible.module_utils.*``), of a module with a path segment starting with ``_``, or of a name starting with ``_``;
- a string naming such a module (``importlib.import_module("ansible._internal")``, ``sys.modules[...]``);
- an attribute starting with ``_`` (``x._name``, ``getattr(x, "_name")``) that the collection does not define itself
  (a ``def``, a variable, a ``self._name =``), unless allowlisted below; a name that ActionBase has is
  ansible-core's wherever it appears, and defining it in a class (an override) is a use too.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from typing import Iterable

import pytest
from ansible.plugins.action import ActionBase

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
CHECKED_DIRS = ("plugins", "extensions")
FORK_FILE = "plugins/plugin_utils/_module_fork.py"

# ansible-core modules that are documented interfaces of a controller-side plugin.
CONTROLLER_MODULES = {
    "ansible.errors",  # AnsibleError, AnsibleActionFail: what a plugin raises
    "ansible.plugins.action",  # ActionBase, the base class of every action plugin
    "ansible.utils.display",  # Display, how a plugin prints
    "ansible.utils.vars",  # merge_hash, which ansible's own action plugins use to merge results
}

# ActionBase's plugin surface: the attributes and helpers every action plugin uses (ansible-core's own action
# plugins, and the developer guide's "Developing action plugins").
ACTION_PLUGIN_SURFACE = {
    "_task",
    "_connection",
    "_play_context",
    "_loader",
    "_templar",
    "_shared_loader_obj",
    "_shell",  # the connection's shell plugin (its tmpdir, join_path), as ansible's action plugins use it
    "_execute_module",
    "_make_tmp_path",
    "_remove_tmp_path",
    "_supports_check_mode",
    "_supports_async",
    "_low_level_execute_command",  # ansible.builtin.raw, script and reboot run their commands with it
}

# Keys of the async protocol (an option of async_status, a key of its result), used as ansible-core's
# gather_facts action plugin uses them for its parallel mode: strings in dicts, not attributes.
ASYNC_KEYS = {"_async_dir", "_ansible_suppress_tmpdir_delete"}

# Names guarded in the opt-in controller fork only (plugins/plugin_utils/_module_fork.py says why each is needed;
# each is looked up with getattr/hasattr or sys.modules and the fork is not used when one is missing).
FORK_ALLOWLIST = {
    "_compute_environment_string",  # the task's environment as a dict (ansible.builtin.script uses it so)
    "_exit",  # os._exit (Python's, not ansible-core's): the child must not run the worker's exit handlers
}

# ActionBase's private names: using or overriding one is using ansible-core's, even under the collection's own code.
ACTION_BASE_NAMES = {name for name in dir(ActionBase) if name.startswith("_") and not name.endswith("__")}

# Private names of Python itself and of the standard library (not ansible-core's).
PYTHON_NAMES = {"_asdict", "_replace", "_fields", "_make"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _private_ansible_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "ansible" and any(part.startswith("_") for part in parts[1:])


def _ansible_module(name: str) -> bool:
    return name == "ansible" or name.startswith("ansible.")


def _public_ansible_module(name: str) -> bool:
    if _private_ansible_module(name):
        return False
    return name in CONTROLLER_MODULES or name == "ansible.module_utils" or name.startswith("ansible.module_utils.")


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def own_names(trees: Iterable[ast.AST]) -> set[str]:
    """Private names the collection defines itself: functions, classes, variables, arguments, ``self._x =``.

    A name that ActionBase has is ansible-core's even where the collection defines it (an override is a use).
    """
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                    names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {name for name in names if _private(name)} - ACTION_BASE_NAMES


def check_source(path: str, source: str, defined: set[str], allowed: set[str]) -> list[Finding]:
    """The private ansible-core names `source` imports or uses, minus `defined` (the collection's) and `allowed`."""
    tree = ast.parse(source, filename=path)
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                targets = [member.name] if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
                if isinstance(member, (ast.Assign, ast.AnnAssign)):
                    for target in member.targets if isinstance(member, ast.Assign) else [member.target]:
                        targets += [target.id] if isinstance(target, ast.Name) else []
                found += [
                    Finding(path, member.lineno, f"ActionBase's private name {name} defined (an override)")
                    for name in targets
                    if name in ACTION_BASE_NAMES and name not in allowed
                ]
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and _ansible_module(node.module):
            if not _public_ansible_module(node.module):
                found.append(Finding(path, line, f"import from {node.module}, not a public interface of ansible-core"))
            found += [
                Finding(path, line, f"import of the private name {node.module}.{alias.name}")
                for alias in node.names
                if _private(alias.name)
            ]
        elif isinstance(node, ast.Import):
            found += [
                Finding(path, line, f"import of {alias.name}, not a public interface of ansible-core")
                for alias in node.names
                if _ansible_module(alias.name) and not _public_ansible_module(alias.name) and alias.name != "ansible"
            ]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if _private_ansible_module(text) and text not in allowed and " " not in text:
                found.append(Finding(path, line, f"the private module {text} named in a string"))
            elif text.isidentifier() and _private(text) and len(text) > 1 and text not in defined | allowed:
                # A name kept in a string for getattr(obj, name) later.
                found.append(Finding(path, line, f"the private name {text} in a string"))
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            if node.attr not in defined and node.attr not in allowed:
                found.append(Finding(path, line, f"the private attribute {node.attr}"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("getattr", "hasattr", "setattr", "delattr") and len(node.args) >= 2:
                name = node.args[1]
                if isinstance(name, ast.Constant) and isinstance(name.value, str) and _private(name.value):
                    if name.value not in defined and name.value not in allowed:
                        found.append(Finding(path, line, f"the private attribute {name.value} by {node.func.id}"))
    return found


def _python_files() -> dict[str, str]:
    files = {}
    for directory in CHECKED_DIRS:
        for base, _dirs, names in os.walk(os.path.join(ROOT, directory)):
            for name in names:
                if name.endswith(".py"):
                    path = os.path.join(base, name)
                    with open(path, encoding="utf-8") as handle:
                        files[os.path.relpath(path, ROOT)] = handle.read()
    return files


def allowed_in(path: str) -> set[str]:
    return ACTION_PLUGIN_SURFACE | ASYNC_KEYS | PYTHON_NAMES | (FORK_ALLOWLIST if path == FORK_FILE else set())


def check_tree(files: dict[str, str]) -> list[Finding]:
    defined = own_names(ast.parse(source) for source in files.values())
    return [
        finding for path, source in files.items() for finding in check_source(path, source, defined, allowed_in(path))
    ]


def test_plugins_and_extensions_use_no_private_ansible_core_name():
    files = _python_files()
    assert FORK_FILE in files and any(path.startswith("extensions/") for path in files)
    findings = check_tree(files)
    assert not findings, "\n".join(map(str, findings))


# ---- the checker itself ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "snippet",
    [
        "from ansible.vars.clean import remove_internal_keys\n",
        "from ansible.module_utils.basic import _load_params\n",
        "from ansible.module_utils._internal import _traceback\n",
        "import ansible._internal._templating\n",
        "from ansible import _internal\n",
        "from ansible.executor.module_common import modify_module\n",
        "import importlib\nimportlib.import_module('ansible._internal')\n",
        "from ansible.module_utils import basic\nbasic._ANSIBLE_ARGS = b'{}'\n",
        "from ansible.module_utils import basic\nsetattr(basic, '_ANSIBLE_PROFILE', 'legacy')\n",
        "from ansible.module_utils import basic\nNAMES = ('_ANSIBLE_ARGS',)\nprint(getattr(basic, NAMES[0]))\n",
        "import sys\nflag = sys.modules['ansible.module_utils._internal'].is_controller\n",
        "from ansible.plugins.action import ActionBase\n\n"
        "class ActionModule(ActionBase):\n    def run(self, tmp=None, task_vars=None):\n"
        "        return self._parse_returned_data({})\n",
        # An override counts as a use: a method of an ActionBase subclass is ansible-core's name.
        "from ansible.plugins.action import ActionBase\n\n"
        "class ActionModule(ActionBase):\n    def _update_module_args(self, *args):\n        pass\n",
    ],
)
def test_the_checker_finds_private_names(snippet):
    files = {"plugins/action/example.py": snippet}
    assert check_tree(files), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "from ansible.module_utils.basic import AnsibleModule\n",
        "from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict\n",
        "from ansible.plugins.action import ActionBase\n\n"
        "class ActionModule(ActionBase):\n    _supports_check_mode = True\n\n"
        "    def run(self, tmp=None, task_vars=None):\n"
        "        return self._execute_module(task_vars=task_vars)\n",
        # The collection's own private names are its own business.
        "class Pacer:\n    def __init__(self):\n        self._next = 0\n\n"
        "    def _wait(self):\n        return self._next\n",
        "from ansible_collections.partnercentral.selling.plugins.module_utils import _engine\n",
    ],
)
def test_the_checker_lets_public_names_pass(snippet):
    assert check_tree({"plugins/action/example.py": snippet}) == []


def test_the_fork_allowlist_holds_in_the_fork_file_only():
    snippet = "class Mixin:\n    def env(self):\n        return self._compute_environment_string({})\n"
    assert check_tree({FORK_FILE: snippet}) == []
    assert check_tree({"plugins/action/example.py": snippet})

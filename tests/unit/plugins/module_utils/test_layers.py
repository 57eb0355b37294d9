# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Imports only run down the layers of plugins/: API -> engine -> module glue -> modules and controller plugins.

The layer of every file under plugins/ is stated here; a new file of module_utils must be placed in a layer before
its tests pass, and an import of a higher layer fails the test with the importing line.
"""

from __future__ import annotations

import ast
import os
from typing import List
from typing import Optional
from typing import Tuple

import pytest
from ansible_collections.partnercentral.selling.plugins.module_utils import _defaults
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import REQUEST_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import REQUEST_KEYS

PACKAGE = "ansible_collections.partnercentral.selling.plugins"
PLUGINS = os.path.dirname(os.path.dirname(os.path.abspath(_defaults.__file__)))

API, ENGINE, GLUE, TOP = 0, 1, 2, 3
LAYER_NAMES = {API: "API", ENGINE: "engine", GLUE: "module glue", TOP: "modules and controller plugins"}
# module_utils by layer: the first name under module_utils (a file or a package) decides.
MODULE_UTILS_LAYERS = {
    # the AWS calls and the facts below every use of them: the service model's rules, statuses, defaults, floors
    "_api": API,
    "_validation": API,
    "_statuses": API,
    "_defaults": API,
    "_requirements": API,
    "_attribution": API,
    "_opportunity": API,
    # what the collection does with the calls: the engine, lead discovery, hints for people, progress, reports
    "_engine": ENGINE,
    "_discovery": ENGINE,
    "_hints": ENGINE,
    "_progress": ENGINE,
    "_report": ENGINE,
    # Ansible's side: argument specs, the module base, each module's glue
    "_argspec": GLUE,
    "_module_base": GLUE,
    "_module": GLUE,
}
# Outside module_utils every plugin type is on top (modules, the action plugin and its plugin_utils, doc fragments).


def layer_of(dotted: str) -> Optional[int]:
    """The layer of a module of this collection's plugins/ (dotted, without the package prefix); None if unknown."""
    parts = dotted.split(".")
    if parts[0] != "module_utils":
        return TOP
    if len(parts) < 2:
        return None
    return MODULE_UTILS_LAYERS.get(parts[1])


def imported_modules(tree: ast.AST) -> List[Tuple[int, str]]:
    """(line, module under plugins/) of every import of this collection's plugins in a parsed file."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                found.append((node.lineno, "<relative import>"))
                continue
            module = node.module or ""
            if module == PACKAGE + ".module_utils":
                # "from ...module_utils import _api": each name is a module
                found += [(node.lineno, "module_utils." + alias.name) for alias in node.names]
            elif module.startswith(PACKAGE + "."):
                found.append((node.lineno, module[len(PACKAGE) + 1 :]))
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, alias.name[len(PACKAGE) + 1 :])
                for alias in node.names
                if alias.name.startswith(PACKAGE + ".")
            ]
    return found


def upward_imports(dotted: str, source: str) -> List[str]:
    """The problems of one file: imports of a higher layer, relative imports, a file in no layer."""
    own = layer_of(dotted)
    if own is None:
        return [f"{dotted}: not in a layer (add it to MODULE_UTILS_LAYERS in {os.path.basename(__file__)})"]
    problems = []
    for line, target in imported_modules(ast.parse(source)):
        if target == "<relative import>":
            problems.append(f"{dotted}:{line}: relative import (the collection imports by its full name)")
            continue
        layer = layer_of(target)
        if layer is None:
            problems.append(f"{dotted}:{line}: imports {target}, which is in no layer")
        elif layer > own:
            problems.append(
                f"{dotted}:{line}: the {LAYER_NAMES[own]} layer imports {target} of the {LAYER_NAMES[layer]} layer"
            )
    return problems


def plugin_files() -> List[Tuple[str, str]]:
    files = []
    for directory, _dirs, names in os.walk(PLUGINS):
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                relative = os.path.relpath(path, PLUGINS)[: -len(".py")]
                dotted = relative.replace(os.sep, ".")
                if dotted.endswith(".__init__"):
                    dotted = dotted[: -len(".__init__")]
                files.append((dotted, path))
    return files


def test_every_module_utils_file_has_a_layer_and_no_import_runs_up_a_layer():
    files = plugin_files()
    assert any(dotted.startswith("module_utils._api.") for dotted, _path in files), PLUGINS
    problems = []
    for dotted, path in files:
        with open(path, encoding="utf-8") as handle:
            problems += upward_imports(dotted, handle.read())
    assert problems == []


def test_modules_import_only_the_module_glue():
    # A module is argument spec, documentation and a main() over its glue: the engine and the API stay below.
    problems = []
    for dotted, path in plugin_files():
        if not dotted.startswith("modules."):
            continue
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for line, target in imported_modules(tree):
            if layer_of(target) != GLUE:
                problems.append(f"{dotted}:{line}: imports {target}")
    assert problems == []


@pytest.mark.parametrize(
    "importer, line, problem",
    [
        ("module_utils._api.tasks", f"from {PACKAGE}.module_utils._engine.items import Item", "API layer imports"),
        ("module_utils._engine.engine", f"from {PACKAGE}.module_utils._argspec import X", "engine layer imports"),
        ("module_utils._report", f"from {PACKAGE}.module_utils import _module_base", "engine layer imports"),
        ("module_utils._hints", "from ._statuses import FAILED", "relative import"),
        ("module_utils._new_helper", "import os", "not in a layer"),
        ("module_utils._argspec", f"from {PACKAGE}.module_utils._brand_new import X", "in no layer"),
    ],
)
def test_the_check_finds_an_upward_import(importer, line, problem):
    problems = upward_imports(importer, line + "\n")
    assert len(problems) == 1 and problem in problems[0]


@pytest.mark.parametrize(
    "importer, line",
    [
        ("module_utils._engine.engine", f"from {PACKAGE}.module_utils._api.tasks import find_tasks"),
        ("module_utils._module.batch", f"from {PACKAGE}.module_utils._report import write_reports"),
        ("action.partnercentral_x", f"from {PACKAGE}.module_utils._progress import ProgressLines"),
        ("module_utils._engine.items", f"from {PACKAGE}.module_utils._engine.pacing import WritePacer"),
    ],
)
def test_the_check_lets_imports_run_down_or_within_a_layer(importer, line):
    assert upward_imports(importer, line + "\n") == []


def test_the_request_options_are_the_request_keys_of_the_defaults():
    # _defaults names the request's keys for the engine; the single module's spec must offer exactly those.
    assert tuple(REQUEST_ARG_SPEC) == REQUEST_KEYS

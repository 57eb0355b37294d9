# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The role's README, meta/argument_specs.yml and defaults/main.yml say the same thing.

Every option of the argument spec appears in the README on a line that also shows its default (or says it is
required), every ``partnercentral_*`` variable the README names exists in the spec, and defaults/main.yml holds
exactly the spec's defaults.
"""

from __future__ import annotations

import json
import os
import re

import pytest
import yaml
from support import REPO_ROOT

ROLES_DIR = os.path.join(REPO_ROOT, "roles")
ROLES = sorted(
    name
    for name in os.listdir(ROLES_DIR)
    if os.path.isfile(os.path.join(ROLES_DIR, name, "meta", "argument_specs.yml"))
)


def _load(*parts: str):
    with open(os.path.join(ROLES_DIR, *parts), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _readme(role: str) -> str:
    path = os.path.join(ROLES_DIR, role, "README.md")
    assert os.path.isfile(path), f"roles/{role}/README.md is missing"
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _options(role: str) -> dict:
    return _load(role, "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]


def _renderings(value) -> set[str]:
    """How a default may be written in Markdown: JSON (true, "", [], 1.0), YAML flow, Python str."""
    shown = {json.dumps(value), yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()}
    if isinstance(value, str):
        shown.add(value if value else '""')
        shown.add("''")
    elif isinstance(value, float) and value.is_integer():
        shown.add(str(int(value)))
    elif not isinstance(value, bool):
        shown.add(str(value))
    return {text for text in shown if text}


def _lines_naming(readme: str, name: str) -> list[str]:
    return [line for line in readme.splitlines() if re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", line)]


def test_roles_found():
    assert "opportunities_from_engagements" in ROLES


@pytest.mark.parametrize("role", ROLES)
def test_every_option_with_its_default(role):
    readme = _readme(role)
    problems = []
    for name, spec in _options(role).items():
        lines = _lines_naming(readme, name)
        if not lines:
            problems.append(f"{name} is not in the README")
            continue
        if "default" in spec:
            shown = _renderings(spec["default"])
            cells = [re.findall(r"`([^`]*)`", line) + [cell.strip() for cell in line.split("|")] for line in lines]
            if not any(text in shown for line_cells in cells for text in line_cells):
                problems.append(f"{name}: no README line with it shows its default {sorted(shown)}")
        elif spec.get("required") and not any(re.search(r"required", line, re.I) for line in lines):
            problems.append(f"{name}: no README line with it says it is required")
        for sub in spec.get("options", {}):
            if not _lines_naming(readme, sub):
                problems.append(f"{name}.{sub} is not in the README")
    assert not problems, f"roles/{role}/README.md is out of step with meta/argument_specs.yml:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_readme_names_only_known_variables(role):
    known = set(_options(role))
    named = set(re.findall(r"(?<![\w.])(partnercentral_[a-z0-9_]+)", _readme(role)))
    # The fact the role sets and the collection's module names are not options.
    others = {"partnercentral_batch"} | {
        name[: -len(".py")]
        for name in os.listdir(os.path.join(REPO_ROOT, "plugins", "modules"))
        if name.endswith(".py")
    }
    assert named - known - others == set(), "the README names variables the argument spec does not have"


@pytest.mark.parametrize("role", ROLES)
def test_defaults_file_matches_argument_spec(role):
    spec_defaults = {name: spec["default"] for name, spec in _options(role).items() if "default" in spec}
    defaults = _load(role, "defaults", "main.yml") or {}
    assert defaults == spec_defaults

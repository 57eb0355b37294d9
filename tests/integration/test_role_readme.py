# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The role's variables are documented once, in meta/argument_specs.yml, and the rest keeps in step with it.

The README points to ``ansible-doc -t role`` instead of repeating the variables, and names no variable the spec does
not have; defaults/main.yml holds exactly the spec's defaults; a variable that is passed to the batch module has the
module's default (and the module's choices), and an engagement item has the keys of the module's request.
"""

from __future__ import annotations

import importlib
import os
import re

import pytest
import yaml
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import BATCH_ITEM_KEYS
from ansible_collections.partnercentral.selling.tests.support import REPO_ROOT

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


def _module_argument_spec(monkeypatch: pytest.MonkeyPatch, module: str) -> dict:
    """The argument spec a module's main() builds, caught before the module would read its arguments."""
    plugin = importlib.import_module(f"ansible_collections.partnercentral.selling.plugins.modules.{module}")
    captured: dict = {}

    class Caught(Exception):
        pass

    def capture(argument_spec: dict, **_kwargs) -> None:
        captured.update(argument_spec)
        raise Caught()

    monkeypatch.setattr(plugin, "PartnerCentralModule", capture)
    with pytest.raises(Caught):
        plugin.main()
    return captured


def test_roles_found():
    assert "opportunities_from_engagements" in ROLES


@pytest.mark.parametrize("role", ROLES)
def test_readme_points_to_the_argument_spec(role):
    readme = _readme(role)
    assert f"ansible-doc -t role partnercentral.selling.{role}" in readme
    repeated = [line for line in readme.splitlines() if re.match(r"\|\s*`partnercentral_", line)]
    assert not repeated, "the README repeats the argument spec's variables in a table: " + "\n".join(repeated)


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


def test_role_variables_passed_to_the_module_have_its_defaults(monkeypatch):
    module_spec = _module_argument_spec(monkeypatch, "partnercentral_opportunities_from_engagements")
    options = _options("opportunities_from_engagements")
    passed = {name: name[len("partnercentral_") :] for name in options if name[len("partnercentral_") :] in module_spec}
    assert {"partnercentral_wait_timeout", "partnercentral_write_rate", "partnercentral_read_rate"} <= set(passed)
    problems = []
    for name, option in passed.items():
        spec = module_spec[option]
        # A module option without a default (engagements, report_path) gets the role's own empty value or omit.
        if "default" in spec and options[name].get("default") != spec["default"]:
            problems.append(f"{name}: {options[name]['default']!r}, the module's {option}: {spec.get('default')!r}")
        if options[name].get("choices") != spec.get("choices"):
            problems.append(f"{name} choices {options[name].get('choices')}, the module's {spec.get('choices')}")
    assert not problems, "\n".join(problems)


def test_engagement_items_have_the_keys_of_a_batch_item():
    items = _options("opportunities_from_engagements")["partnercentral_engagements"]
    assert tuple(items["options"]) == BATCH_ITEM_KEYS


def test_discovery_variables_have_the_discovery_modules_defaults(monkeypatch):
    module_spec = _module_argument_spec(monkeypatch, "partnercentral_engagement_info")
    options = _options("opportunities_from_engagements")
    prefix = "partnercentral_discover_"
    passed = {name: name[len(prefix) :] for name in options if name.startswith(prefix)}
    assert set(passed.values()) <= set(module_spec), "a discovery variable is not an option of the module"
    problems = [
        f"{name}: {options[name]['default']!r}, the module's {option}: {module_spec[option]['default']!r}"
        for name, option in passed.items()
        # created_after has no module default: the role's empty string means omit.
        if "default" in module_spec[option] and options[name]["default"] != module_spec[option]["default"]
    ]
    assert not problems, "\n".join(problems)


def test_the_policys_rejection_reasons_are_the_invitation_modules(monkeypatch):
    module_spec = _module_argument_spec(monkeypatch, "partnercentral_engagement_invitation")
    policy = _options("opportunities_from_engagements")["partnercentral_lead_invitation_policy"]["options"]
    assert policy["rejection_reason"]["choices"] == module_spec["rejection_reason"]["choices"]

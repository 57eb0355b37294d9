# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every code example of docs/*.md and of the modules' EXAMPLES runs with ansible-playbook against the emulator.

The examples are extracted from the files, never copied. Nothing in them is rewritten: the emulator is loaded with
every engagement id that they name instead. The convention for docs (see docs/user-guide.md, "Examples in these
docs"): a fenced block whose info string is

- ``yaml playbook`` is a playbook, run as is;
- ``yaml tasks`` is a task list, run in a play on localhost (like a module's EXAMPLES);
- ``yaml inventory`` is the inventory of the playbooks that follow it in the same file.

Other ``yaml`` blocks (requirements files, IAM-like snippets) are only parsed.
"""

from __future__ import annotations

import ast
import glob
import os
import re
from dataclasses import dataclass

import pytest
import yaml
from ansible_collections.partnercentral.selling.tests.integration.docs_support import LOCAL_INVENTORY
from ansible_collections.partnercentral.selling.tests.integration.docs_support import fixture_for
from ansible_collections.partnercentral.selling.tests.integration.docs_support import profile_names
from ansible_collections.partnercentral.selling.tests.integration.docs_support import wrap_tasks
from ansible_collections.partnercentral.selling.tests.support import REPO_ROOT
from ansible_collections.partnercentral.selling.tests.support import ansible_env
from ansible_collections.partnercentral.selling.tests.support import run_playbook

pytestmark = pytest.mark.integration

FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
RUNNABLE_KINDS = ("playbook", "tasks")


@dataclass(frozen=True)
class Example:
    source: str
    kind: str  # "playbook" or "tasks"
    text: str
    inventory: str = ""


def _fences(path: str):
    with open(path, encoding="utf-8") as handle:
        content = handle.read()
    for match in FENCE.finditer(content):
        words = match.group("info").split()
        if words and words[0] == "yaml":
            line = content.count("\n", 0, match.start()) + 1
            yield line, (words[1] if len(words) > 1 else ""), match.group("body")


def doc_examples() -> list[Example]:
    examples = []
    for path in sorted(glob.glob(os.path.join(REPO_ROOT, "docs", "*.md"))):
        inventory = ""
        for line, kind, body in _fences(path):
            if kind == "inventory":
                inventory = body
            elif kind in RUNNABLE_KINDS:
                examples.append(Example(f"{os.path.relpath(path, REPO_ROOT)}:{line}", kind, body, inventory))
    return examples


def module_examples() -> list[Example]:
    examples = []
    for path in sorted(glob.glob(os.path.join(REPO_ROOT, "plugins", "modules", "*.py"))):
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), path)
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "EXAMPLES" for t in node.targets):
                text = ast.literal_eval(node.value)
                examples.append(Example(f"{os.path.relpath(path, REPO_ROOT)}:EXAMPLES", "tasks", text))
    return examples


ALL_EXAMPLES = doc_examples() + module_examples()


def test_examples_are_found():
    sources = {example.source.split(":")[0] for example in ALL_EXAMPLES}
    modules = glob.glob(os.path.join(REPO_ROOT, "plugins", "modules", "*.py"))
    assert {os.path.relpath(path, REPO_ROOT) for path in modules} <= sources, "a module has no EXAMPLES"
    assert any(source.startswith("docs/user-guide.md") for source in sources), "the user guide has no runnable block"


@pytest.mark.parametrize("path", sorted(glob.glob(os.path.join(REPO_ROOT, "docs", "*.md"))), ids=os.path.basename)
def test_yaml_blocks_parse(path):
    for line, kind, body in _fences(path):
        try:
            data = yaml.safe_load(body)
        except yaml.YAMLError as exc:
            pytest.fail(f"{os.path.relpath(path, REPO_ROOT)}:{line}: yaml block does not parse: {exc}")
        if kind in RUNNABLE_KINDS:
            assert isinstance(data, list) and data, f"{path}:{line}: a `yaml {kind}` block must be a non-empty list"


@pytest.mark.parametrize("example", ALL_EXAMPLES, ids=lambda example: example.source)
def test_example_runs(example, emulator, tmp_path):
    emulator.reset(fixture=fixture_for([example.text, example.inventory]))
    playbook = tmp_path / "playbook.yml"
    if example.kind == "tasks":
        wrapped = wrap_tasks(yaml.safe_load(example.text), f"Example from {example.source}")
        playbook.write_text(yaml.safe_dump(wrapped, sort_keys=False), encoding="utf-8")
    else:
        playbook.write_text(example.text, encoding="utf-8")
    if example.inventory:
        inventory = tmp_path / "inventory.yml"
        inventory.write_text(example.inventory, encoding="utf-8")
    else:
        inventory = tmp_path / "hosts"
        inventory.write_text(LOCAL_INVENTORY, encoding="utf-8")
    env = ansible_env(emulator, tmp_path, profile_names(example.text, example.inventory))

    result = run_playbook(str(playbook), str(inventory), env)

    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{example.source} failed (rc {result.returncode}):\n{output[-6000:]}"
    assert re.search(r"failed=0\s", result.stdout), output[-3000:]
    if "partnercentral.selling." in example.text:
        assert emulator.stats()["total_requests"] > 0, f"{example.source} never reached the emulator"


def test_index_links_every_doc():
    with open(os.path.join(REPO_ROOT, "docs", "index.md"), encoding="utf-8") as handle:
        index = handle.read()
    linked = set(re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", index))
    docs = {os.path.basename(path) for path in glob.glob(os.path.join(REPO_ROOT, "docs", "*.md"))} - {"index.md"}
    assert docs <= linked, f"docs/index.md does not link {sorted(docs - linked)}"
    assert all(os.path.isfile(os.path.join(REPO_ROOT, "docs", name)) for name in linked), "a link of index.md is broken"


def test_user_guide_covers_every_reason_code():
    """Every ReasonCode of botocore's model is in the user guide's table and has a hint in the collection."""
    import botocore.session
    from ansible_collections.partnercentral.selling.plugins.module_utils._hints import REASON_HINTS

    model = botocore.session.get_session().get_service_model("partnercentral-selling")
    output = model.operation_model("StartOpportunityFromEngagementTask").output_shape
    codes = set(output.members["ReasonCode"].enum)
    with open(os.path.join(REPO_ROOT, "docs", "user-guide.md"), encoding="utf-8") as handle:
        rows = set(re.findall(r"^\| `([A-Za-z]+)` \|", handle.read(), re.M))
    assert len(codes) == 22
    assert codes - rows == set(), "ReasonCodes missing from the table of docs/user-guide.md"
    assert codes - set(REASON_HINTS) == set(), "ReasonCodes without a hint in plugins/module_utils/_hints.py"

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the docs-examples tests add to the support layer (tests/support.py): the examples' engagement ids become
an emulator fixture, the AWS profiles they name are found, a module's EXAMPLES become a playbook.
"""

from __future__ import annotations

import re
from typing import Any
from typing import Iterable

import yaml

ENGAGEMENT_ID = re.compile(r"\beng-[0-9a-z]{14}\b")
INVITATION_ID = re.compile(r"\bengi-[0-9a-z]{13}\b")
LOCAL_INVENTORY = "localhost ansible_connection=local\n"


def profile_names(*texts: str) -> set[str]:
    """AWS profile names used in YAML texts: values of keys `profile` or `*_profile` that are plain names."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and (key == "profile" or key.endswith("_profile")) and isinstance(value, str):
                    if re.fullmatch(r"[A-Za-z0-9_.-]+", value):
                        names.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for text in texts:
        try:
            walk(yaml.safe_load(text))
        except yaml.YAMLError:
            continue
    return names


def fixture_for(texts: Iterable[str]) -> dict[str, Any]:
    """An emulator fixture holding every engagement id named in the texts, in both catalogs, with a qualified lead,
    and a pending lead invitation for every invitation id named."""
    texts = list(texts)
    ids = sorted({match for text in texts for match in ENGAGEMENT_ID.findall(text)})
    engagements = [
        {
            "id": eng_id,
            "catalog": catalog,
            "contexts": [{"id": "1", "type": "Lead", "qualification_status": "Qualified"}],
        }
        for eng_id in ids
        for catalog in ("AWS", "Sandbox")
    ]
    # Each invitation id named: a pending lead invitation to an engagement of its own (eng-i + its 13 characters).
    invitations = sorted({match for text in texts for match in INVITATION_ID.findall(text)})
    engagements += [
        {
            "id": "eng-i" + inv_id[len("engi-") :],
            "catalog": catalog,
            "contexts": [{"id": "1", "type": "Lead", "qualification_status": "Qualified"}],
            "invitation": {"id": inv_id, "status": "PENDING"},
        }
        for inv_id in invitations
        for catalog in ("AWS", "Sandbox")
    ]
    return {"engagements": engagements}


def wrap_tasks(tasks: list[Any], name: str) -> list[dict[str, Any]]:
    """A task list (a module's EXAMPLES) as a playbook on localhost."""
    return [{"name": name, "hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": tasks}]

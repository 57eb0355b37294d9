# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module base's constants agree with the collection's metadata."""

from __future__ import annotations

import os

import yaml
from ansible_collections.partnercentral.selling.plugins.module_utils import _module_base

REPO_ROOT = os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
)


def test_user_agent_version_is_the_galaxy_version():
    # The user agent names the collection with this version; a release that forgets it would misreport itself.
    with open(os.path.join(REPO_ROOT, "galaxy.yml"), encoding="utf-8") as stream:
        galaxy = yaml.safe_load(stream)
    assert _module_base.COLLECTION_NAME == f"{galaxy['namespace']}.{galaxy['name']}"
    assert _module_base.COLLECTION_VERSION == galaxy["version"]


def test_runtime_requires_the_botocore_that_has_the_operation():
    with open(os.path.join(REPO_ROOT, "requirements.txt"), encoding="utf-8") as stream:
        requirements = stream.read()
    assert f"botocore>={_module_base.MINIMUM_BOTOCORE_VERSION}" in requirements

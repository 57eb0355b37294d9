# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.partnercentral.selling.plugins.module_utils._requirements import REQUIREMENTS

_REQUIREMENT_LINES = "\n".join(f"  - {requirement}" for requirement in REQUIREMENTS)


class ModuleDocFragment:
    def __init__(self) -> None:
        # What every module of the collection needs, beside amazon.aws's connection options. It replaces
        # amazon.aws.boto3, whose lower floors would be listed beside these: one line per package, from one constant.
        self.DOCUMENTATION = f"""
options: {{}}
requirements:
{_REQUIREMENT_LINES}
notes:
  - Partner Central has a single endpoint, in V(us-east-1); the modules use that region when none is configured.
"""

#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: partnercentral_solution_info
short_description: List the partner's solutions in AWS Partner Central, to find their ids by name
version_added: 1.2.0
description:
  - Lists the partner's solutions with C(ListSolutions), following pagination. A solution's id (C(S-) followed by
    digits) is what an opportunity is associated with before it is submitted to AWS.
  - The filters combine with AND, the values of one filter with OR. C(ListSolutions) cannot filter by name; O(names)
    is matched by the module on the listed solutions, without regard to case.
author:
  - partnercentral.selling maintainers (@partnercentral-selling)
options:
  identifiers:
    description:
      - Only these solutions, by id. At most 20.
    type: list
    elements: str
    default: []
  statuses:
    description:
      - Only solutions in these states. Only V(Active) solutions can be associated with an opportunity.
    type: list
    elements: str
    choices: [Active, Inactive, Draft]
    default: []
  categories:
    description:
      - Only solutions of these categories, for example V(Software Product) or V(Consulting Service). At most 10.
    type: list
    elements: str
    default: []
  names:
    description:
      - Only solutions with one of these names (the whole name, any case).
    type: list
    elements: str
    default: []
notes:
  - The IAM action used is C(partnercentral:ListSolutions).
  - A failed call returns the error code (C(error_code), C(error.code)), the request id
    (C(response_metadata.request_id)) and the boto3 and botocore versions, as the amazon.aws modules do.
seealso:
  - module: partnercentral.selling.partnercentral_opportunity_from_engagement
attributes:
  check_mode:
    support: full
    details:
      - This module does not modify state.
  diff_mode:
    support: N/A
    details:
      - This module does not modify state.
extends_documentation_fragment:
  - partnercentral.selling._options.CATALOG
  - partnercentral.selling._attributes
  - partnercentral.selling._attributes.ACTIONGROUP
  - partnercentral.selling.partnercentral
  - amazon.aws.common.modules
  - amazon.aws.region.modules
"""

EXAMPLES = r"""
- name: The active solutions of the partner
  partnercentral.selling.partnercentral_solution_info:
    catalog: Sandbox
    statuses: [Active]
  register: active

- name: The id of a solution, by its name
  partnercentral.selling.partnercentral_solution_info:
    catalog: Sandbox
    names: [Data platform]
  register: data_platform

- name: Show the id
  ansible.builtin.debug:
    msg: "{{ data_platform.ids | first }}"
"""

RETURN = r"""
solutions:
  description:
    - The solutions found, in the API's order, in snake_case, timestamps in ISO 8601.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The id of the solution.
      type: str
      returned: always
      sample: S-0000001
    arn:
      description: The ARN of the solution.
      type: str
      returned: when the API gives it
      sample: arn:aws:partnercentral:us-east-1::catalog/Sandbox/solution/S-0000001
    catalog:
      description: The catalog of the solution.
      type: str
      returned: always
      sample: Sandbox
    name:
      description: The name of the solution.
      type: str
      returned: always
      sample: Data platform
    status:
      description: V(Active), V(Inactive) or V(Draft).
      type: str
      returned: always
      sample: Active
    category:
      description: The category of the solution.
      type: str
      returned: always
      sample: Software Product
    created_date:
      description: When the solution was created (ISO 8601).
      type: str
      returned: always
      sample: "2025-01-01T00:00:00+00:00"
ids:
  description: The ids of the solutions found, in the same order.
  returned: always
  type: list
  elements: str
  sample: [S-0000001]
"""

from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import CATALOG_ARG_SPEC
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import SOLUTION_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import argument_spec
from ansible_collections.partnercentral.selling.plugins.module_utils._module.solution_info import run
from ansible_collections.partnercentral.selling.plugins.module_utils._module_base import PartnerCentralModule


def main():
    spec = argument_spec(
        CATALOG_ARG_SPEC,
        identifiers=dict(type="list", elements="str", default=[]),
        statuses=dict(type="list", elements="str", default=[], choices=list(SOLUTION_STATUSES)),
        categories=dict(type="list", elements="str", default=[]),
        names=dict(type="list", elements="str", default=[]),
    )
    run(PartnerCentralModule(argument_spec=spec, supports_check_mode=True))


if __name__ == "__main__":
    main()

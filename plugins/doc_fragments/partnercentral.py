# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # What every module of the collection needs and shares, beside amazon.aws's connection options.
    DOCUMENTATION = r"""
options: {}
requirements:
  - python >= 3.9
  - boto3 >= 1.41.5 (with botocore >= 1.41.6)
  - botocore >= 1.41.6
notes:
  - Partner Central has a single endpoint, in V(us-east-1); the modules use that region when none is configured.
  - Set the connection options once for every module of the collection with C(module_defaults) and the action group
    C(group/partnercentral.selling.partnercentral).
"""

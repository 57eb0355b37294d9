# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This doc fragment is PRIVATE to the collection: it can change at any time. Do not use it from other collections.
# A module extends DOCUMENTATION and ACTIONGROUP, and states its own support of check_mode and diff_mode.

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
  diff_mode:
    description:
      - Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
"""

    # The action group of meta/runtime.yml.
    ACTIONGROUP = r"""
options: {}
attributes:
  action_group:
    description:
      - Use C(group/partnercentral.selling.partnercentral) in C(module_defaults) to set the connection options once for
        every module of the collection.
    support: full
    membership:
      - partnercentral.selling.partnercentral
"""

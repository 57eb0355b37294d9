# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The argument specs the modules share, each paired with a doc fragment in plugins/doc_fragments/_options.py.

The modules' specs and the doc fragments read the defaults and choices from here; the values themselves are stated once
below (the defaults in _defaults, which the engine and the action plugin read too; the choices in _validation), and
validate-modules compares the specs with the documentation, a test compares them with the role's defaults.
"""

from __future__ import annotations

import copy
from typing import Any
from typing import Dict

from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import DEFAULT_PROGRESS_INTERVAL
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import DEFAULT_READ_RATE
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import DEFAULT_WAIT_TIMEOUT
from ansible_collections.partnercentral.selling.plugins.module_utils._defaults import DEFAULT_WRITE_RATE
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import CATALOGS
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import CONTEXT_TYPES
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import ENGAGEMENT_SORT_KEYS
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import INVITATION_PAYLOAD_TYPES
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import INVITATION_SORT_KEYS
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import INVITATION_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import INVOLVEMENT_TYPES
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import LIFECYCLE_STAGES
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import PARTICIPANT_TYPES
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import REJECTION_REASONS
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import REVIEW_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import SOLUTION_STATUSES
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import SORT_ORDERS
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import VISIBILITIES

CATALOG_ARG_SPEC: Dict[str, Any] = dict(catalog=dict(type="str", required=True, choices=list(CATALOGS)))

WAIT_ARG_SPEC: Dict[str, Any] = dict(
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=DEFAULT_WAIT_TIMEOUT),
)

# The read-only modules take the read rate alone.
READ_RATE_ARG_SPEC: Dict[str, Any] = dict(read_rate=dict(type="float", default=DEFAULT_READ_RATE))

RATE_ARG_SPEC: Dict[str, Any] = dict(write_rate=dict(type="float", default=DEFAULT_WRITE_RATE), **READ_RATE_ARG_SPEC)

# The defaults (see _defaults) and the choices of the intake modules' own options (the service model's enums, see
# _validation), for the modules' specs.
__all__ = [
    "DEFAULT_PROGRESS_INTERVAL",
    "DEFAULT_READ_RATE",
    "DEFAULT_WAIT_TIMEOUT",
    "DEFAULT_WRITE_RATE",
    "CONTEXT_TYPES",
    "ENGAGEMENT_SORT_KEYS",
    "INVITATION_PAYLOAD_TYPES",
    "INVITATION_SORT_KEYS",
    "INVITATION_STATUSES",
    "PARTICIPANT_TYPES",
    "REJECTION_REASONS",
    "INVOLVEMENT_TYPES",
    "LIFECYCLE_STAGES",
    "REVIEW_STATUSES",
    "SOLUTION_STATUSES",
    "SORT_ORDERS",
    "VISIBILITIES",
]
# What discovery selects by default: qualified leads only.
DEFAULT_QUALIFICATION_STATUSES = ["Qualified"]

# One conversion request: the options of the single-engagement module, named in this order by _defaults.REQUEST_KEYS
# (a unit test ties the two).
REQUEST_ARG_SPEC: Dict[str, Any] = dict(
    identifier=dict(type="str", required=True, aliases=["engagement_id"]),
    context_identifier=dict(type="str", required=True, aliases=["context_id"]),
    tags=dict(type="dict"),
    client_token=dict(type="str", no_log=False),
)
# A batch item may spell its keys as the single-engagement module's aliases.
REQUEST_ALIASES = {alias: name for name, spec in REQUEST_ARG_SPEC.items() for alias in spec.get("aliases", [])}


def argument_spec(*parts: Dict[str, Any], **options: Any) -> Dict[str, Any]:
    """A module's argument spec: copies of the shared parts (so no module changes them for the others), then its own."""
    spec: Dict[str, Any] = {}
    for part in parts:
        spec.update(copy.deepcopy(part))
    spec.update(options)
    return spec

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The API operations the emulator implements, one family per module; the Backend dispatches by operation name."""

from __future__ import annotations

from partnercentral_emulator import model
from partnercentral_emulator.operations.contexts import ContextOperations
from partnercentral_emulator.operations.engagements import EngagementOperations
from partnercentral_emulator.operations.invitations import InvitationOperations
from partnercentral_emulator.operations.opportunities import OpportunityOperations
from partnercentral_emulator.operations.registry import Handler
from partnercentral_emulator.operations.registry import Operations
from partnercentral_emulator.operations.tasks import TaskOperations

FAMILIES: tuple[type[Operations], ...] = (
    TaskOperations,
    EngagementOperations,
    InvitationOperations,
    ContextOperations,
    OpportunityOperations,
)
# An operation the installed botocore model does not have (SearchOpportunities before botocore 1.44) is not served.
IMPLEMENTED: tuple[str, ...] = tuple(
    name for family in FAMILIES for name in family.names() if name in model.service_model().operation_names
)

__all__ = ["FAMILIES", "IMPLEMENTED", "Handler", "OpportunityOperations", "Operations", "TaskOperations"]

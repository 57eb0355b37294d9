# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The service's words that the emulator shares with the collection, read from botocore's model.

Enums and patterns come from the loaded model (the collection validates against the same one), so a model that
renames or drops a value breaks here instead of drifting apart. What the model cannot state is kept below with why.
"""

from __future__ import annotations

import re

from partnercentral_emulator import model

TaskStatus = model.enum_members("TaskStatus")
ReasonCode = model.enum_members("ReasonCode")
InvitationStatus = model.enum_members("InvitationStatus")
ContextType = model.enum_members("EngagementContextType")
PayloadType = model.enum_members("EngagementInvitationPayloadType")
ParticipantType = model.enum_members("ParticipantType")
SortOrder = model.enum_members("SortOrder")

INVITATION_STATUSES = model.enum("InvitationStatus")
# An engagement holds at most this many contexts (EngagementContexts' max).
MAX_CONTEXTS = model.max_items("EngagementContexts")

ENGAGEMENT_ID = model.pattern("EngagementIdentifier")
INVITATION_ID = model.pattern("EngagementInvitationIdentifier")
# The model's TaskIdentifier is ".*task-<id>" (an id or an ARN ending in one): its tail is the task id.
TASK_ID_IN_IDENTIFIER = re.compile("(" + re.sub(r"^\.\*", "", model.pattern("TaskIdentifier")) + ")$")

# The model has patterns, not the structure, of these ARNs (EngagementArn is "arn:.*"); the resource parts are the
# ones AWS's answers show, the ids the model's patterns.
ENGAGEMENT_ARN = re.compile(
    r"arn:aws:partnercentral:[a-z0-9-]*:(?P<account>[0-9]{12}):catalog/(?P<catalog>[A-Za-z]+)/engagement/"
    rf"(?P<id>{ENGAGEMENT_ID})"
)
INVITATION_ARN = re.compile(
    r"arn:aws:partnercentral:[a-z0-9-]*:[0-9]{12}:catalog/(?P<catalog>[A-Za-z]+)/engagement-invitation/"
    rf"(?P<id>{INVITATION_ID})"
)

# LeadQualificationStatus is free text in the model (a pattern only): these are the statuses Partner Central's lead
# guide names (the collection lists the same; tests/integration/test_emulator_vocabulary.py ties them). The service's
# ReasonCode DisqualifiedLeadNotPermitted refuses "Disqualified"; AWS's sample sets "Qualified" before converting.
QUALIFICATION_STATUS = model.pattern("LeadQualificationStatus")
QUALIFIED = "Qualified"
DISQUALIFIED = "Disqualified"
UNQUALIFIED = "Unqualified"

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The defaults and the shape of a conversion request, stated once below every layer that uses them.

The engine applies them, the argument specs (_argspec) and their doc fragments document them, the action plugin
reads them; none of these needs to import another layer for them.
"""

from __future__ import annotations

# Seconds to wait for a task, counted from its start.
DEFAULT_WAIT_TIMEOUT = 600
# Partner Central allows 1 write and 10 reads per second per partner account; reads leave room for other readers.
DEFAULT_WRITE_RATE = 1.0
DEFAULT_READ_RATE = 5.0
# Seconds between two progress lines of the batch module's action plugin at most.
DEFAULT_PROGRESS_INTERVAL = 30.0

# One conversion request: the options of the single-engagement module (_argspec.REQUEST_ARG_SPEC, in this order, as
# a unit test checks) and the keys of a batch item, in the order that messages list them.
REQUEST_KEYS = ("identifier", "context_identifier", "tags", "client_token")
# A batch item carries the request's keys and two of its own, never sent: where it came from (the role's explicit list
# or discovery; reported per item) and the ids of every Lead context of the engagement as the sender of the item saw
# them (discovery reads them with GetEngagement), so that earlier tasks are attributed to the right lead.
ITEM_ORIGINS = ("list", "discovery")
BATCH_ITEM_KEYS = REQUEST_KEYS + ("origin", "lead_contexts")

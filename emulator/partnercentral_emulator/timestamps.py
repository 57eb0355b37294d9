# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Times as the emulator stores them (epoch seconds) and as requests and fixtures give them."""

from __future__ import annotations

import datetime
import math
from typing import Any

from partnercentral_emulator.config import ConfigError


def epoch_seconds(value: Any) -> float:
    """A fixture or admin time: epoch seconds or ISO 8601 text (UTC unless it says otherwise)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.timezone.utc)
        return parsed.timestamp()
    raise ConfigError(f"timestamps must be epoch seconds or ISO 8601 strings, got {value!r}")


def instant(value: Any) -> float:
    """Epoch seconds of a request timestamp, whichever form the front end hands over (number, ISO 8601, datetime)."""
    if isinstance(value, datetime.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)).timestamp()
    return epoch_seconds(value)


def stamp(previous: float, now: float) -> float:
    """A new modification time: whole milliseconds (the wire precision) and strictly after `previous`.

    EngagementLastModifiedAt comes back from clients at millisecond precision; two modifications in the same
    millisecond would otherwise carry the same time and a stale update would go unnoticed.
    """
    # `previous` is whole milliseconds already: round, as floor could land on the millisecond below it.
    return max(math.floor(now * 1000), round(previous * 1000) + 1) / 1000


def same_instant(given: float, stored: float) -> bool:
    # Stored modification times are whole milliseconds (see leads.build_invitations and stamp), so a client's copy at
    # millisecond or microsecond precision is within rounding of it, and a stale one at least 1 ms away.
    return abs(given - stored) < 0.0005

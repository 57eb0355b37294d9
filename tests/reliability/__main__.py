# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""``python -m tests.reliability``: the full reliability suite, a table of results at the end."""

from __future__ import annotations

import sys

from .run import main

sys.exit(main())

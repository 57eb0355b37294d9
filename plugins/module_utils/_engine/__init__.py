# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one engine behind every module of the collection, one job per file:

- ``items``: one requested conversion (Item), its shape checks and its result;
- ``pacing``: when the next Start and the next read may go out (WritePacer, ReadPacer);
- ``engine``: ConversionEngine: scheduling, lookups of earlier tasks, starts, polls.
"""

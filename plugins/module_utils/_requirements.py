# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's runtime floors, stated once.

The doc fragment partnercentral.selling.partnercentral builds its ``requirements:`` from these, the module base checks
botocore against them, and a test compares them with requirements.txt and with what ansible-doc shows.
"""

from __future__ import annotations

# StartOpportunityFromEngagementTask first appears in botocore 1.41.6.
MINIMUM_BOTOCORE_VERSION = "1.41.6"
# There is no boto3 1.41.6: boto3 1.41.5 accepts botocore 1.41.6 (>=1.41.5,<1.42.0), the oldest pair that works.
MINIMUM_BOTO3_VERSION = "1.41.5"
# The oldest Python that boto3 1.41.5 supports.
MINIMUM_PYTHON_VERSION = "3.9"

# The requirements lines of the modules' documentation, one per package.
REQUIREMENTS = (
    f"python >= {MINIMUM_PYTHON_VERSION}",
    f"boto3 >= {MINIMUM_BOTO3_VERSION}",
    f"botocore >= {MINIMUM_BOTOCORE_VERSION}",
)

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module base of partnercentral.selling: amazon.aws's AnsibleAWSModule, set up for Partner Central."""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

COLLECTION_NAME = "partnercentral.selling"
COLLECTION_VERSION = "1.0.0"

# StartOpportunityFromEngagementTask first appears in botocore 1.41.6.
MINIMUM_BOTOCORE_VERSION = "1.41.6"

# The service has a single endpoint; a region elsewhere would only produce a DNS error.
SERVICE_REGION = "us-east-1"
SERVICE_NAME = "partnercentral-selling"


class PartnerCentralModule(AnsibleAWSModule):
    """AnsibleAWSModule that names this collection in the user agent, checks botocore and defaults the region."""

    def __init__(self, **kwargs: Any) -> None:
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)
        super().__init__(**kwargs)
        self.require_botocore_at_least(
            MINIMUM_BOTOCORE_VERSION,
            reason="for StartOpportunityFromEngagementTask (pip install 'botocore>=1.41.6' 'boto3>=1.41.5')",
        )
        if not self.region:
            self.params["region"] = SERVICE_REGION

    def partnercentral_client(self, retry_decorator: Any = None, **extra_params: Any) -> Any:
        """A partnercentral-selling client; botocore's own retries stay off so that one retry policy applies."""
        return self.client(SERVICE_NAME, retry_decorator=retry_decorator, **extra_params)


def conversion_engine(module: PartnerCentralModule, **options: Any) -> Any:
    """The collection's one engine, on a client made from the module's connection options."""
    # Imported here so that the module base stays importable for sanity's import test without botocore.
    from ansible_collections.partnercentral.selling.plugins.module_utils._api import client_config
    from ansible_collections.partnercentral.selling.plugins.module_utils._engine import ConversionEngine

    client = module.partnercentral_client(config=client_config())
    return ConversionEngine(client, check_mode=module.check_mode, **options)

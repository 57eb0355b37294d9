# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module base of partnercentral.selling: amazon.aws's AnsibleAWSModule, set up for Partner Central."""

from __future__ import annotations

from typing import Any
from typing import List
from typing import NoReturn
from typing import Optional

from ansible_collections.amazon.aws.plugins.module_utils.botocore import gather_sdk_versions
from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.partnercentral.selling.plugins.module_utils._requirements import MINIMUM_BOTO3_VERSION
from ansible_collections.partnercentral.selling.plugins.module_utils._requirements import MINIMUM_BOTOCORE_VERSION

COLLECTION_NAME = "partnercentral.selling"
COLLECTION_VERSION = "1.2.0"

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
            reason=(
                "for StartOpportunityFromEngagementTask "
                f"(pip install 'botocore>={MINIMUM_BOTOCORE_VERSION}' 'boto3>={MINIMUM_BOTO3_VERSION}')"
            ),
        )
        if not self.region:
            self.params["region"] = SERVICE_REGION

    def partnercentral_client(self, retry_decorator: Any = None, **extra_params: Any) -> Any:
        """A partnercentral-selling client; botocore's own retries stay off so that one retry policy applies."""
        return self.client(SERVICE_NAME, retry_decorator=retry_decorator, **extra_params)

    def fail_on_problems(self, problems: List[str], what: str = "options") -> None:
        """Bad input fails the module before any API call, with every problem found, each naming its option."""
        if problems:
            self.fail_json(msg=f"Invalid {what}: " + "; ".join(problems))

    def fail_json_aws_error(self, exception: AnsibleAWSError, context: Optional[str] = None, **result: Any) -> NoReturn:
        """amazon.aws's failure for an AnsibleAWSError, with what failed (context) and the module's result keys.

        With a botocore exception inside, fail_json_aws adds the error (code and message), the response metadata
        (request id) and the boto3/botocore versions, and appends the exception's own text to the message: the
        message given to it is the error's summary, without the service's words. error_code is there in either case.
        """
        code = getattr(exception, "code", None)
        if code:
            result.setdefault("error_code", code)
        prefix = f"{context}: " if context else ""
        if exception.exception is not None:
            summary = getattr(exception, "summary", None) or exception.message
            self.fail_json_aws(exception.exception, msg=prefix + summary, **result)
        self.fail_json(msg=prefix + exception.message, **gather_sdk_versions(), **result)


def conversion_engine(module: PartnerCentralModule, **options: Any) -> Any:
    """The collection's one engine, on a client made from the module's connection options."""
    # Imported here so that the module base stays importable for sanity's import test without botocore.
    from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import client_config
    from ansible_collections.partnercentral.selling.plugins.module_utils._engine.engine import ConversionEngine

    client = module.partnercentral_client(config=client_config())
    return ConversionEngine(client, check_mode=module.check_mode, **options)

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This doc fragment is PRIVATE to the collection: it can change at any time. Do not use it from other collections.
# Each fragment documents the argument spec of the same name in plugins/module_utils/_argspec.py, with its defaults
# and choices read from there.

from __future__ import annotations

from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import DEFAULT_READ_RATE
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import DEFAULT_WAIT_TIMEOUT
from ansible_collections.partnercentral.selling.plugins.module_utils._argspec import DEFAULT_WRITE_RATE
from ansible_collections.partnercentral.selling.plugins.module_utils._validation import CATALOGS


class ModuleDocFragment:
    # Built when the fragment is loaded, as amazon.aws.boto3 does: ansible-test's yamllint reads class-level strings
    # and cannot read f-strings.
    def __init__(self) -> None:
        # One text for read_rate in RATES and READ_RATE.
        read_rate_option = f"""  read_rate:
    description:
      - Read calls (Get and List) per second, for lookups, polling and discovery. The read quota is 10 per second per
        account; the default leaves room for other readers.
    type: float
    default: {DEFAULT_READ_RATE}
"""

        # CATALOG_ARG_SPEC
        self.CATALOG = f"""
options:
  catalog:
    description:
      - The catalog to work in. V(Sandbox) is for tests, V(AWS) is production.
    type: str
    required: true
    choices: [{", ".join(CATALOGS)}]
"""

        # WAIT_ARG_SPEC
        self.WAIT = f"""
options:
  wait:
    description:
      - Wait until each started or adopted task is V(COMPLETE) or V(FAILED).
      - When V(false), the module returns once the tasks are started, with each task as the service answered it.
    type: bool
    default: true
  wait_timeout:
    description:
      - How long to wait for a task, in seconds, counted from its start. A task still running then is V(timed_out)
        (the single-engagement module fails with the task id); a re-run adopts it and waits again.
      - Also how long a start may keep being throttled, counted from its first Start request, when other clients
        of the account share its write quota; the context is V(failed) after that (with or without O(wait)).
    type: int
    default: {DEFAULT_WAIT_TIMEOUT}
"""

        # RATE_ARG_SPEC
        self.RATES = f"""
options:
  write_rate:
    description:
      - Starts per second. Partner Central allows 1 write request per second per partner account.
      - Raise it only where the account's quota is higher; a throttled start is sent again, but costs time.
    type: float
    default: {DEFAULT_WRITE_RATE}
{read_rate_option}"""

        # READ_RATE_ARG_SPEC: the read-only modules.
        self.READ_RATE = f"""
options:
{read_rate_option}"""

        # REQUEST_ARG_SPEC: the options of one conversion, also the keys of an item of a batch.
        self.REQUEST = r"""
options:
  identifier:
    description:
      - The engagement, as an engagement id (C(eng-) followed by 14 characters V([0-9a-z])) or an engagement ARN.
      - An ARN and its engagement id address the same engagement.
    type: str
    required: true
    aliases: [engagement_id]
  context_identifier:
    description:
      - The id of the engagement context to convert (a positive whole number such as V(1)), normally the lead
        context of the engagement.
    type: str
    required: true
    aliases: [context_id]
  tags:
    description:
      - "Tags to assign, as a dictionary. 1 to 200 keys; keys 1 to 128 and values 0 to 256 characters of letters,
        numbers, spaces and V(_ . : / = + - @)."
    type: dict
  client_token:
    description:
      - The idempotency token of the request, 1 to 255 characters without a line break (a YAML block scalar C(|)
        ends in one; use C(|-) or a quoted string).
      - When not set, the module derives one that is the same on every run for the same catalog, engagement and
        context, and changes after a C(FAILED) attempt.
      - A token set here is sent as is; after a C(FAILED) task the service replays the failure for the same token.
    type: str
"""

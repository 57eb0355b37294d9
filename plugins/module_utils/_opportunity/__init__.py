# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The opportunity record after conversion, as pure logic (no API call, no Ansible module object).

- ``fields``: the opportunity fields the modules manage (the API's names), their options in snake_case, and the
  conversions between the two spellings.
- ``model``: the checks of given values against botocore's service model (enums, patterns, lengths, required members,
  members the installed botocore does not know yet), before any call.
- ``merge``: the given fields merged onto the record read, the full UpdateOpportunity payload, what changed, the diff.
- ``rules``: what AWS lets change in each ReviewStatus, and what it would refuse at submission.
"""

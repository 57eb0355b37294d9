# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every AWS call of the collection: small functions, one retry policy, one error path, answers in snake_case.

One job per file, as amazon.aws splits its module_utils by service:

- retries: the retry policy (which codes are retried, by whom, how often) and the client configuration;
- errors: PartnerCentralError and the one error path every call goes through;
- listing: the one paginated listing loop, and the split of long filters into several calls;
- answers: the one answer normaliser (snake_case, ISO 8601 times);
- tasks: StartOpportunityFromEngagementTask and ListOpportunityFromEngagementTasks;
- intake: the lead intake's calls (invitations, engagements);
- opportunities: the opportunity's calls after conversion (read, update, create, associate, submit, AWS's view).

Nothing here knows of Ansible's module object, the engine or the user-facing hints (_hints): the calls unit-test
with a botocore Stubber.
"""

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A lead-to-opportunity script written against AWS's documented API only (after AWS's public sample).

It knows nothing of the emulator: the endpoint and the credentials come from the standard AWS
environment variables (AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING, AWS_ACCESS_KEY_ID, ...).
Usage: python aws_sample_lead_to_opportunity.py <engagement id> [context id]
"""

from __future__ import annotations

import sys
import time
import uuid

import boto3

CATALOG = "Sandbox"

partner_central_client = boto3.client(service_name="partnercentral-selling", region_name="us-east-1")


def find_lead_context(engagement_id):
    engagement = partner_central_client.get_engagement(Catalog=CATALOG, Identifier=engagement_id)
    for context in engagement.get("Contexts", []):
        if context["Type"] == "Lead":
            return context["Id"]
    raise SystemExit(f"engagement {engagement_id} has no lead context")


def start_opportunity_from_engagement(engagement_id, context_id):
    return partner_central_client.start_opportunity_from_engagement_task(
        Catalog=CATALOG,
        ClientToken=str(uuid.uuid4()),
        Identifier=engagement_id,
        ContextIdentifier=context_id,
    )


def wait_for_task(task_id, timeout=30):
    # There is no Get call for this task: poll the List call with a TaskIdentifier filter.
    deadline = time.time() + timeout
    while True:
        response = partner_central_client.list_opportunity_from_engagement_tasks(
            Catalog=CATALOG, TaskIdentifier=[task_id]
        )
        task = response["TaskSummaries"][0]
        if task["TaskStatus"] != "IN_PROGRESS":
            return task
        if time.time() > deadline:
            raise SystemExit(f"task {task_id} still in progress")
        time.sleep(0.1)


def main(argv):
    engagement_id = argv[1]
    context_id = argv[2] if len(argv) > 2 else find_lead_context(engagement_id)
    started = start_opportunity_from_engagement(engagement_id, context_id)
    print(f"task {started['TaskId']} {started['TaskStatus']}")
    task = wait_for_task(started["TaskId"])
    if task["TaskStatus"] != "COMPLETE":
        print(f"failed: {task.get('ReasonCode')}: {task.get('Message')}")
        return 1
    print(f"opportunity {task['OpportunityId']} context {task['ContextId']} job {task['ResourceSnapshotJobId']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

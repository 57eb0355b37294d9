# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Lead discovery: which lead contexts of which engagements are not converted yet, from the service's data only.

The decision "is this lead context converted" is made in one place, lead_conversion_evidence(), from the
engagement's contexts (GetEngagement) and the conversion tasks of the engagement
(ListOpportunityFromEngagementTasks); nothing local (no earlier run's state) takes part in it.
"""

from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import snake_answer
from ansible_collections.partnercentral.selling.plugins.module_utils._api.intake import get_engagement
from ansible_collections.partnercentral.selling.plugins.module_utils._api.tasks import find_tasks
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import CONVERTED
from ansible_collections.partnercentral.selling.plugins.module_utils._attribution import lead_states

LEAD = "Lead"
CUSTOMER_PROJECT = "CustomerProject"
# Only a lead of this qualification status converts (DisqualifiedLeadNotPermitted, and AWS's sample qualifies first).
CONVERTIBLE_STATUS = "Qualified"
# The engagements read between two task lookups: one ListOpportunityFromEngagementTasks call takes 10 engagement ids.
GROUP_SIZE = 10


def lead_contexts_of(contexts: Sequence[Dict[str, Any]]) -> List[str]:
    """The engagement's lead contexts that can hold a conversion: only a qualified lead converts.

    Discovery's items carry them (the batch item key lead_contexts), so that the engine attributes earlier tasks with
    the same leads as this module does; an unqualified or disqualified second lead cannot hold a task and would only
    make every run replay a client token.
    """
    return [
        str(context.get("Id"))
        for context in contexts
        if context.get("Type") == LEAD
        and ((context.get("Payload") or {}).get(LEAD) or {}).get("QualificationStatus") == CONVERTIBLE_STATUS
    ]


def lead_conversion_evidence(
    contexts: Sequence[Dict[str, Any]], lead_context_id: str, tasks: Sequence[Dict[str, Any]]
) -> Optional[str]:
    """Why the lead context `lead_context_id` counts as converted, or None when it is not known to be converted.

    contexts are the engagement's contexts as GetEngagement answers them (``Id``, ``Type``); tasks are the
    engagement's OpportunityFromEngagement tasks as ListOpportunityFromEngagementTasks answers them (raw, any
    status). The rule:

    1. the conversion engine's attribution (_attribution.lead_states) over the engagement's qualified lead contexts
       (lead_contexts_of) and this lead: a COMPLETE or IN_PROGRESS task of the lead's own context, or one that only
       this lead can hold (the service may answer the CustomerProject context that the conversion created, as in
       AWS's sample: request "1", answer "2"), converts it. The engine decides with the same leads (the items'
       lead_contexts), so a lead left out here is converted for the engine too;
    2. the engagement has exactly one Lead context and a CustomerProject context: converted (by this collection,
       by another tool or in the console);
    3. otherwise not known converted. Where the tasks cannot be told apart (two leads, one task naming a new
       context), the lead is listed, and its conversion replays the collection's stable client token instead of
       creating a second opportunity.

    FAILED tasks never count.
    """
    lead_context_id = str(lead_context_id)
    leads = lead_contexts_of(contexts)
    state = lead_states(tasks, leads + ([] if lead_context_id in leads else [lead_context_id]))[lead_context_id]
    if state.state == CONVERTED:
        task = state.tasks[-1] if state.tasks else {}
        own = str(task.get("ContextId")) == lead_context_id
        return f"task {task.get('TaskId')} is {task.get('TaskStatus')} for context {task.get('ContextId')}" + (
            "" if own else ", newer than the lead and not another lead's"
        )
    if [str(context.get("Id")) for context in contexts if context.get("Type") == LEAD] == [lead_context_id]:
        projects = [str(context.get("Id")) for context in contexts if context.get("Type") == CUSTOMER_PROJECT]
        if projects:
            return f"the engagement's only lead context has a CustomerProject context ({projects[0]})"
    return None


def lead_of(engagement: Dict[str, Any], context: Dict[str, Any], catalog: str) -> Dict[str, Any]:
    """One lead of the answer: where it is, its qualification status and customer, in snake_case."""
    payload = (context.get("Payload") or {}).get(LEAD) or {}
    lead = snake_answer(
        {
            "Identifier": engagement["Id"],
            "ContextIdentifier": str(context["Id"]),
            "Catalog": catalog,
            "EngagementArn": engagement.get("Arn"),
            "EngagementTitle": engagement.get("Title"),
            "EngagementCreatedAt": engagement.get("CreatedAt"),
            "EngagementCreatedBy": engagement.get("CreatedBy"),
            "QualificationStatus": payload.get("QualificationStatus"),
            "Customer": payload.get("Customer") or {},
            "Interactions": payload.get("Interactions") or [],
        }
    )
    lead["lead_contexts"] = lead_contexts_of(engagement.get("Contexts") or [])
    return lead


class Discovery:
    """GetEngagement for each engagement, and the conversion tasks of ten engagements per lookup, paced.

    pace is called before every read (the conversion engine's read pacer), so a discovery over any number of
    engagements stays within the read rate. Counts of what was read and found are kept for the module's answer.
    """

    def __init__(self, client: Any, catalog: str, pace: Optional[Callable[[], None]] = None) -> None:
        self.client = client
        self.catalog = catalog
        self.pace = pace
        self.counts = {
            "engagements": 0,
            "engagements_read": 0,
            "lead_contexts": 0,
            "converted": 0,
            "unconverted": 0,
            "selected": 0,
            "other_qualification": 0,
            "over_max_count": 0,
            "groups": 0,
        }

    def read(self, summaries: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """The engagements in full (GetEngagement), in the order given."""
        engagements = []
        for summary in summaries:
            engagements.append(get_engagement(self.client, self.catalog, summary["Id"], self.pace))
            self.counts["engagements_read"] += 1
        return engagements

    def unconverted_leads(
        self,
        summaries: List[Dict[str, Any]],
        qualification_statuses: Sequence[str],
        max_count: int = 0,
        progress: Optional[Callable[[Dict[str, int]], None]] = None,
    ) -> Dict[str, Any]:
        """The lead contexts not converted yet whose qualification status is wanted, group by group.

        Answers the engagements read (raw) and the selected leads (snake_case). Reading stops once max_count
        leads are selected (0: no limit); the leads beyond it in the last group are counted, not returned.
        """
        self.counts["engagements"] = len(summaries)
        wanted = set(qualification_statuses)
        read: List[Dict[str, Any]] = []
        leads: List[Dict[str, Any]] = []
        for start in range(0, len(summaries), GROUP_SIZE):
            if max_count and len(leads) >= max_count:
                break
            group = self.read(summaries[start : start + GROUP_SIZE])
            read.extend(group)
            self.counts["groups"] += 1
            with_leads = [eng for eng in group if any(c.get("Type") == LEAD for c in eng.get("Contexts") or [])]
            tasks: Dict[str, List[Dict[str, Any]]] = {eng["Id"]: [] for eng in with_leads}
            if with_leads:
                for task in find_tasks(self.client, self.catalog, engagement_ids=list(tasks), pace=self.pace):
                    tasks.setdefault(task.get("EngagementId"), []).append(task)
            for engagement in with_leads:
                contexts = engagement.get("Contexts") or []
                for context in contexts:
                    if context.get("Type") != LEAD:
                        continue
                    self.counts["lead_contexts"] += 1
                    if lead_conversion_evidence(contexts, str(context["Id"]), tasks[engagement["Id"]]):
                        self.counts["converted"] += 1
                        continue
                    self.counts["unconverted"] += 1
                    status = ((context.get("Payload") or {}).get(LEAD) or {}).get("QualificationStatus")
                    if status not in wanted:
                        self.counts["other_qualification"] += 1
                    elif max_count and len(leads) >= max_count:
                        self.counts["over_max_count"] += 1
                    else:
                        leads.append(lead_of(engagement, context, self.catalog))
            if progress is not None:
                progress(dict(self.counts, selected=len(leads)))
        self.counts["selected"] = len(leads)
        return {"engagements": read, "leads": leads}

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which earlier task converted which lead context of an engagement, from the List data alone.

A task of ListOpportunityFromEngagementTasks names its engagement and a ContextId, but a COMPLETE task may answer
the CustomerProject context that the conversion created instead of the lead it converted (AWS's sample: request
"1", answer "2"). Such a task is "unattributed": it belongs to one of the engagement's lead contexts that are older
than its context (a context created by a conversion gets a higher id than every context that existed), but the
List does not say which one.

The rule, for one engagement, given the tasks and the lead contexts known for it:

1. a live task (COMPLETE or IN_PROGRESS) whose ContextId is a known lead, or that this run started for a lead
   (``owners``), belongs to that lead;
2. every other live task is a candidate of the known leads that have no task of their own and are older than the
   task's context; a task without a candidate belongs to a context that is not asked about and is left out;
3. assuming each remaining task converted exactly one known lead: a lead is CONVERTED when the tasks cannot all be
   given to the other leads, OPEN when no way of giving them out gives it one, and UNKNOWN otherwise; when the tasks
   cannot be given out at all (more tasks than leads: duplicates, or leads that are not known), every lead that is a
   candidate is UNKNOWN.

An UNKNOWN lead is not guessed: the engine replays the lead's stable client token, and the service answers the task
that token started (converted by this collection) or starts the conversion (the lead was open). The rule is only as
good as the known leads: the engine knows the contexts that a batch names for the engagement plus the ``lead_contexts``
that its items carry (discovery fills them from GetEngagement), so an explicit list should name every lead context
of an engagement that has several.
"""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Optional
from typing import Set

CONVERTED = "converted"
OPEN = "open"
UNKNOWN = "unknown"
LIVE_STATUSES = ("COMPLETE", "IN_PROGRESS")


class LeadState:
    """What the List data says of one lead context: its state and the tasks that are its own or may be."""

    def __init__(self, state: str, tasks: List[Dict[str, Any]], candidates: List[Dict[str, Any]]) -> None:
        self.state = state
        # Tasks that are the lead's: exact, started for it by this run, or the only ones it can hold. FAILED tasks of
        # the lead are included (they count the attempts).
        self.tasks = tasks
        # Unattributed live tasks that may be the lead's (for the messages of CONVERTED and UNKNOWN).
        self.candidates = candidates

    def __repr__(self) -> str:
        return f"LeadState({self.state!r}, {[t.get('TaskId') for t in self.tasks]!r})"


def context_number(context_id: Any) -> Optional[int]:
    try:
        return int(str(context_id))
    except ValueError:
        return None


def _may_hold(lead: str, task: Dict[str, Any]) -> bool:
    """A conversion's new context is newer than the lead; without numbers nothing can be ruled out."""
    lead_number, task_number = context_number(lead), context_number(task.get("ContextId"))
    if lead_number is None or task_number is None:
        return True
    return task_number > lead_number


def _max_matching(tasks: List[int], candidates: Dict[int, List[str]], leads: Set[str]) -> int:
    """Size of a largest assignment of tasks to distinct candidate leads among `leads`."""
    return len(_matching(tasks, candidates, leads))


def _matching(tasks: List[int], candidates: Dict[int, List[str]], leads: Set[str]) -> Dict[str, int]:
    """A largest assignment of tasks to distinct candidate leads among `leads`, lead -> task (augmenting paths)."""
    holder: Dict[str, int] = {}

    def place(task: int, seen: Set[str]) -> bool:
        for lead in candidates[task]:
            if lead not in leads or lead in seen:
                continue
            seen.add(lead)
            if lead not in holder or place(holder[lead], seen):
                holder[lead] = task
                return True
        return False

    for task in tasks:
        place(task, set())
    return holder


def lead_states(
    tasks: Iterable[Dict[str, Any]], lead_contexts: Iterable[str], owners: Optional[Dict[str, str]] = None
) -> Dict[str, LeadState]:
    """The state of each known lead context of one engagement (see the module's docstring for the rule)."""
    leads = list(dict.fromkeys(str(lead) for lead in lead_contexts))
    owners = owners or {}
    own: Dict[str, List[Dict[str, Any]]] = {lead: [] for lead in leads}
    unattributed: List[Dict[str, Any]] = []
    for task in tasks:
        owner = owners.get(task.get("TaskId", ""))
        context = str(task.get("ContextId"))
        if owner in own:
            own[owner].append(task)
        elif context in own and owner is None:
            own[context].append(task)
        elif task.get("TaskStatus") in LIVE_STATUSES and owner is None:
            unattributed.append(task)
    open_leads = [lead for lead in leads if not any(t.get("TaskStatus") in LIVE_STATUSES for t in own[lead])]
    candidates = {
        index: [lead for lead in open_leads if _may_hold(lead, task)] for index, task in enumerate(unattributed)
    }
    competing = [index for index, leads_of_task in candidates.items() if leads_of_task]
    everyone = set(open_leads)
    pairing = _matching(competing, candidates, everyone)
    assignable = len(pairing) == len(competing)

    states: Dict[str, LeadState] = {}
    for lead in leads:
        mine = [unattributed[index] for index in competing if lead in candidates[index]]
        if lead not in open_leads:
            states[lead] = LeadState(CONVERTED, own[lead], [])
        elif not mine:
            states[lead] = LeadState(OPEN, own[lead], [])
        elif not assignable:
            states[lead] = LeadState(UNKNOWN, own[lead], mine)
        elif _max_matching(competing, candidates, everyone - {lead}) < len(competing):
            # The tasks need this lead: it is converted. Its task is the one a full pairing gives it (the only one
            # it can hold, when that is so; else leads and tasks could pair either way and the List does not say).
            states[lead] = LeadState(CONVERTED, own[lead] + [unattributed[pairing[lead]]], mine)
        elif any(
            _max_matching([i for i in competing if i != index], candidates, everyone - {lead}) == len(competing) - 1
            for index in competing
            if lead in candidates[index]
        ):
            states[lead] = LeadState(UNKNOWN, own[lead], mine)
        else:
            states[lead] = LeadState(OPEN, own[lead], [])
    return states

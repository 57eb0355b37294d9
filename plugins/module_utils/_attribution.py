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
that token started (converted by this collection) or starts the conversion (the lead was open).

The rule is only as good as the known leads. A caller may name one lead of an engagement that has several (the single
module, a one-item list, the event of one lead): partial_lead_states() then answers which tasks another, unknown lead
of the engagement could hold and that the decision depends on; the engine reads the engagement's lead contexts
(GetEngagement) for those engagements only. How the service names a COMPLETE task's context (``NAMES_CREATED`` as in
AWS's sample, or ``NAMES_LEAD``), once learnt from what was read (naming_evidence), settles the common case without a
read: with NAMES_CREATED, a task of context 2 on an engagement whose lead 1 is named can only be lead 1's (no other
context is older than 2); with NAMES_LEAD, a task of a context that is not named is that other lead's.
"""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Optional
from typing import Set
from typing import Tuple

CONVERTED = "converted"
OPEN = "open"
UNKNOWN = "unknown"
LIVE_STATUSES = ("COMPLETE", "IN_PROGRESS")
# How a COMPLETE task names its context: the CustomerProject context that its conversion created (AWS's sample) or the
# lead that it converted. A service names them one way; a task IN_PROGRESS or FAILED may name the lead either way.
NAMES_CREATED = "created"
NAMES_LEAD = "lead"


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


def naming_evidence(
    tasks: Iterable[Dict[str, Any]],
    owners: Optional[Dict[str, str]] = None,
    lead_ids: Iterable[str] = (),
    project_ids: Iterable[str] = (),
) -> Set[str]:
    """How the COMPLETE tasks among `tasks` name their context, as far as they show it.

    A task that this run started for a lead (owners: task id -> lead) shows it by its ContextId; any other task where
    the engagement's contexts are known (GetEngagement: the ids of its Lead and CustomerProject contexts) by the type
    of the context it names. Two different answers mean that the service does not name them one way: the caller then
    trusts neither.
    """
    owners = owners or {}
    leads, projects = {str(c) for c in lead_ids}, {str(c) for c in project_ids}
    found: Set[str] = set()
    for task in tasks:
        if task.get("TaskStatus") != "COMPLETE":
            continue
        context, owner = str(task.get("ContextId")), owners.get(task.get("TaskId", ""))
        if owner is not None:
            found.add(NAMES_LEAD if context == str(owner) else NAMES_CREATED)
        elif context in leads:
            found.add(NAMES_LEAD)
        elif context in projects:
            found.add(NAMES_CREATED)
    return found


def _only_named_can_hold(task: Dict[str, Any], accounted: Set[str], naming: Optional[str]) -> bool:
    """A COMPLETE task names a context created after the lead it converted: when every context older than it is
    accounted for (a named lead, or a context that another COMPLETE task created), no unknown lead can hold it."""
    number = context_number(task.get("ContextId"))
    if naming != NAMES_CREATED or task.get("TaskStatus") != "COMPLETE" or number is None:
        return False
    return all(str(older) in accounted for older in range(1, number))


def partial_lead_states(
    tasks: Iterable[Dict[str, Any]],
    lead_contexts: Iterable[str],
    owners: Optional[Dict[str, str]] = None,
    naming: Optional[str] = None,
) -> Tuple[Dict[str, LeadState], List[Dict[str, Any]]]:
    """lead_states() for leads that may not be all of the engagement's, and the tasks that leave room for another.

    The second answer lists the unattributed live tasks that a named lead's state depends on (its candidates) and
    that a lead not named could hold as well; when it is empty, the states hold whatever other leads the engagement
    has (another lead only competes for tasks, so an OPEN lead stays open). naming is how the service names a
    COMPLETE task's context, when known (NAMES_CREATED or NAMES_LEAD; None: not known).
    """
    tasks = list(tasks)
    owners = owners or {}
    named = list(dict.fromkeys(str(lead) for lead in lead_contexts))
    leads = list(named)
    if naming == NAMES_LEAD:
        # A completed task names the lead it converted: a context that is not named is another lead, holding its task.
        leads += [
            str(task.get("ContextId"))
            for task in tasks
            if task.get("TaskStatus") == "COMPLETE" and task.get("TaskId", "") not in owners
        ]
        leads = list(dict.fromkeys(leads))
    states = lead_states(tasks, leads, owners)
    accounted = set(named) | {str(task.get("ContextId")) for task in tasks if task.get("TaskStatus") == "COMPLETE"}
    room: List[Dict[str, Any]] = []
    for lead in named:
        for task in states[lead].candidates:
            if not _only_named_can_hold(task, accounted, naming) and not any(task is seen for seen in room):
                room.append(task)
    return {lead: states[lead] for lead in named}, room


def undecided(states: Dict[str, LeadState], room: List[Dict[str, Any]]) -> Dict[str, LeadState]:
    """The states when the engagement's other leads cannot be learnt: a lead converted only by a task that another
    lead could hold is UNKNOWN (the engine replays its client token instead of reporting it converted)."""
    result = dict(states)
    for lead, state in states.items():
        if state.state == CONVERTED and any(task is held for task in state.candidates for held in room):
            own = [task for task in state.tasks if not any(task is held for held in state.candidates)]
            result[lead] = LeadState(UNKNOWN, own, state.candidates)
    return result

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The lead intake's calls: engagement invitations (list, get, accept, reject) and engagements (list, get)."""

from __future__ import annotations

import datetime
import functools
from typing import Any
from typing import Callable
from typing import Dict
from typing import Iterable
from typing import List
from typing import Optional
from typing import Sequence

from ansible_collections.partnercentral.selling.plugins.module_utils._api.answers import without_metadata
from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import call
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import API_FILTER_MAX_VALUES
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import Listing
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import filter_combos
from ansible_collections.partnercentral.selling.plugins.module_utils._api.listing import list_merged
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import READ_RETRY
from ansible_collections.partnercentral.selling.plugins.module_utils._api.retries import WRITE_RETRY

INVITATIONS = Listing("ListEngagementInvitations", "EngagementInvitationSummaries", "Id", "InvitationDate")
ENGAGEMENTS = Listing("ListEngagements", "EngagementSummaryList", "Id", "CreatedAt")


def _get(
    get: Callable[..., Dict[str, Any]],
    operation: str,
    catalog: str,
    identifier: str,
    pace: Optional[Callable[[], None]],
) -> Dict[str, Any]:
    """A Get call of one resource by its identifier, through the error path; the answer without ResponseMetadata."""
    action = f"{operation} of {identifier} in catalog {catalog}"
    return without_metadata(
        call(get, action, "partnercentral:" + operation, pace, Catalog=catalog, Identifier=identifier)
    )


@READ_RETRY
def _list_invitations_page(client: Any, **params: Any) -> Dict[str, Any]:
    return client.list_engagement_invitations(**params)


def list_invitations(
    client: Any,
    catalog: str,
    participant_type: str = "RECEIVER",
    payload_types: Iterable[str] = (),
    statuses: Iterable[str] = (),
    sender_account_ids: Iterable[str] = (),
    engagement_ids: Iterable[str] = (),
    sort_by: str = "InvitationDate",
    sort_order: str = "DESCENDING",
    max_results: Optional[int] = None,
    pace: Optional[Callable[[], None]] = None,
) -> List[Dict[str, Any]]:
    """ListEngagementInvitations with every filter (AND between filters, OR within one), following pagination."""
    params: Dict[str, Any] = dict(ParticipantType=participant_type, Sort={"SortBy": sort_by, "SortOrder": sort_order})
    if payload_types:
        params["PayloadType"] = list(dict.fromkeys(payload_types))
    combos = filter_combos(
        {
            "Status": list(statuses),
            "SenderAwsAccountId": list(sender_account_ids),
            "EngagementIdentifier": list(engagement_ids),
        }
    )
    list_page = functools.partial(_list_invitations_page, client)
    return list_merged(list_page, INVITATIONS, catalog, params, combos, sort_order, max_results, pace)


@READ_RETRY
def _get_invitation(client: Any, **params: Any) -> Dict[str, Any]:
    return client.get_engagement_invitation(**params)


def get_invitation(
    client: Any, catalog: str, identifier: str, pace: Optional[Callable[[], None]] = None
) -> Dict[str, Any]:
    """GetEngagementInvitation: the invitation in full (payload, message, rejection reason)."""
    return _get(functools.partial(_get_invitation, client), "GetEngagementInvitation", catalog, identifier, pace)


@WRITE_RETRY
def _accept_invitation(client: Any, **params: Any) -> Dict[str, Any]:
    return client.accept_engagement_invitation(**params)


def accept_invitation(client: Any, catalog: str, identifier: str) -> None:
    """AcceptEngagementInvitation: synchronous, no ClientToken, no output; cannot be undone."""
    call(
        functools.partial(_accept_invitation, client),
        f"AcceptEngagementInvitation of {identifier} in catalog {catalog}",
        "partnercentral:AcceptEngagementInvitation",
        Catalog=catalog,
        Identifier=identifier,
    )


@WRITE_RETRY
def _reject_invitation(client: Any, **params: Any) -> Dict[str, Any]:
    return client.reject_engagement_invitation(**params)


def reject_invitation(client: Any, catalog: str, identifier: str, rejection_reason: Optional[str] = None) -> None:
    """RejectEngagementInvitation: the engagement becomes inaccessible for good."""
    params: Dict[str, Any] = dict(Catalog=catalog, Identifier=identifier)
    if rejection_reason:
        params["RejectionReason"] = rejection_reason
    call(
        functools.partial(_reject_invitation, client),
        f"RejectEngagementInvitation of {identifier} in catalog {catalog}",
        "partnercentral:RejectEngagementInvitation",
        **params,
    )


@READ_RETRY
def _list_engagements_page(client: Any, **params: Any) -> Dict[str, Any]:
    return client.list_engagements(**params)


def list_engagements(
    client: Any,
    catalog: str,
    engagement_ids: Iterable[str] = (),
    created_by: Iterable[str] = (),
    exclude_created_by: Sequence[str] = (),
    context_types: Iterable[str] = (),
    exclude_context_types: Iterable[str] = (),
    sort_by: str = "CreatedDate",
    sort_order: str = "DESCENDING",
    max_results: Optional[int] = None,
    created_after: Optional[datetime.datetime] = None,
    pace: Optional[Callable[[], None]] = None,
) -> List[Dict[str, Any]]:
    """ListEngagements with every filter, following pagination; engagement summaries as the API answers them.

    engagement_ids and created_by (OR-ed values) longer than 10 are split into several calls; exclude_created_by
    (AND-ed exclusions) sends its first 10 accounts and drops the others' engagements here. created_after keeps
    the engagements created at or after it (the API has no such filter).
    """
    exclude_created_by = list(dict.fromkeys(exclude_created_by))
    params: Dict[str, Any] = dict(Sort={"SortBy": sort_by, "SortOrder": sort_order})
    if context_types:
        params["ContextTypes"] = list(dict.fromkeys(context_types))
    if exclude_context_types:
        params["ExcludeContextTypes"] = list(dict.fromkeys(exclude_context_types))
    if exclude_created_by:
        params["ExcludeCreatedBy"] = exclude_created_by[:API_FILTER_MAX_VALUES]
    combos = filter_combos({"EngagementIdentifier": list(engagement_ids), "CreatedBy": list(created_by)})
    local_filter = bool(exclude_created_by[API_FILTER_MAX_VALUES:] or created_after)
    list_page = functools.partial(_list_engagements_page, client)
    found = list_merged(
        list_page,
        ENGAGEMENTS,
        catalog,
        params,
        combos,
        sort_order,
        None if local_filter else max_results,
        pace,
        stop_before=created_after,
    )
    excluded = set(exclude_created_by[API_FILTER_MAX_VALUES:])
    found = [
        engagement
        for engagement in found
        if engagement.get("CreatedBy") not in excluded
        and (created_after is None or engagement.get("CreatedAt") is None or engagement["CreatedAt"] >= created_after)
    ]
    return found[:max_results] if max_results else found


@READ_RETRY
def _get_engagement(client: Any, **params: Any) -> Dict[str, Any]:
    return client.get_engagement(**params)


def get_engagement(
    client: Any, catalog: str, identifier: str, pace: Optional[Callable[[], None]] = None
) -> Dict[str, Any]:
    """GetEngagement: the engagement with its contexts (Lead payloads: QualificationStatus, Customer...)."""
    return _get(functools.partial(_get_engagement, client), "GetEngagement", catalog, identifier, pace)

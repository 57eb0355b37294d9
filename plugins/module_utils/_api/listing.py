# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one paginated listing loop of the collection, and the split of long filters into several calls.

Every List operation of the service pages with NextToken and takes at most API_FILTER_MAX_VALUES values per filter;
list_merged follows the pages of each chunk combination and merges them, so that a caller states its filters and
where it may stop, not how to page.
"""

from __future__ import annotations

import datetime
from typing import Any
from typing import Callable
from typing import Dict
from typing import Iterator
from typing import List
from typing import Optional
from typing import Sequence

from ansible_collections.partnercentral.selling.plugins.module_utils._api.errors import call

API_FILTER_MAX_VALUES = 10
LIST_PAGE_SIZE = 100


def chunks(values: Sequence[Any], size: int = API_FILTER_MAX_VALUES) -> Iterator[List[Any]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def filter_combos(filter_lists: Dict[str, List[Any]]) -> List[Dict[str, Any]]:
    """The API calls for filters of OR-ed values longer than the API's 10 values: one call per chunk combination."""
    combos: List[Dict[str, Any]] = [{}]
    for name, values in filter_lists.items():
        values = list(dict.fromkeys(values))
        if values:
            combos = [dict(combo, **{name: chunk}) for combo in combos for chunk in chunks(values)]
    return combos


def time_key(item: Dict[str, Any], key: str) -> float:
    """Sort key of an item by one of its timestamps; an item without it sorts first."""
    value = item.get(key)
    return value.timestamp() if hasattr(value, "timestamp") else 0.0


class Listing:
    """What a List operation answers: the key of its item list, each item's id key and the timestamp it sorts by."""

    def __init__(self, operation: str, result_key: str, id_key: str, sort_key: str) -> None:
        self.operation = operation
        self.result_key = result_key
        self.id_key = id_key
        self.sort_key = sort_key


def list_merged(
    list_page: Callable[..., Dict[str, Any]],
    listing: Listing,
    catalog: str,
    params: Dict[str, Any],
    combos: List[Dict[str, Any]],
    sort_order: Optional[str],
    max_results: Optional[int] = None,
    pace: Optional[Callable[[], None]] = None,
    stop_before: Optional[datetime.datetime] = None,
) -> List[Dict[str, Any]]:
    """Every page of every chunk combination, merged without duplicates and sorted again by the listing's sort_key.

    Each request asks the catalog for LIST_PAGE_SIZE items with params and one combination of filters; pace is called
    before each request (the engine keeps its reads within the read quota with it). max_results stops the paging early
    when a single combination is listed (its pages come in order); stop_before (newest first only) stops once the
    pages reach items older than it. Without sort_order a single combination keeps the API's order and several are
    merged newest first.
    """
    action = f"{listing.operation} in catalog {catalog}"
    found: Dict[str, Dict[str, Any]] = {}
    for combo in combos:
        request = dict(params, Catalog=catalog, MaxResults=LIST_PAGE_SIZE, **combo)
        while True:
            page = call(list_page, action, "partnercentral:" + listing.operation, pace, **request)
            items = page.get(listing.result_key, [])
            for item in items:
                found.setdefault(item[listing.id_key], item)
            if max_results and len(combos) == 1 and len(found) >= max_results:
                break
            if stop_before is not None and items and sort_order == "DESCENDING":
                last = items[-1].get(listing.sort_key)
                if last is not None and last < stop_before:
                    break
            token = page.get("NextToken")
            if not token:
                break
            request["NextToken"] = token
    merged = list(found.values())
    if sort_order or len(combos) > 1:
        merged.sort(key=lambda item: time_key(item, listing.sort_key), reverse=sort_order != "ASCENDING")
    return merged[:max_results] if max_results else merged

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""GetEngagement and ListEngagements."""

from __future__ import annotations

from typing import Any

from partnercentral_emulator.operations.registry import Operations
from partnercentral_emulator.operations.registry import operation
from partnercentral_emulator.views import engagement_summary
from partnercentral_emulator.views import engagement_view


class EngagementOperations(Operations):
    @operation("GetEngagement")
    def get(self, params: dict[str, Any]) -> dict[str, Any]:
        return engagement_view(self.store.engagement(params["Catalog"], params["Identifier"]))

    @operation("ListEngagements")
    def list(self, params: dict[str, Any]) -> dict[str, Any]:
        catalog = params["Catalog"]
        items = [item for item in self.store.engagements[catalog].values() if self.store.engagement_visible(item)]
        if params.get("EngagementIdentifier"):
            wanted = self.store.engagement_ids(catalog, params["EngagementIdentifier"])
            items = [item for item in items if item["id"] in wanted]
        if params.get("CreatedBy"):
            items = [item for item in items if item["created_by"] in params["CreatedBy"]]
        if params.get("ExcludeCreatedBy"):
            items = [item for item in items if item["created_by"] not in params["ExcludeCreatedBy"]]
        if params.get("ContextTypes"):
            items = [item for item in items if _types(item) & set(params["ContextTypes"])]
        if params.get("ExcludeContextTypes"):
            items = [item for item in items if not _types(item) & set(params["ExcludeContextTypes"])]
        page, token = self.pager.page(params, items, lambda item: [item["created_at"], item["id"]])
        result: dict[str, Any] = {"EngagementSummaryList": [engagement_summary(item) for item in page]}
        if token:
            result["NextToken"] = token
        return result


def _types(engagement: dict[str, Any]) -> set[str]:
    return {context["type"] for context in engagement["contexts"]}

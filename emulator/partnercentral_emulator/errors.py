# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors in the AWS JSON 1.0 error form that botocore parses into the modelled exceptions."""

from __future__ import annotations

from typing import Any

# Smithy-modelled errors carry the service namespace; errors raised by the AWS front end before the
# service sees the request (auth, unknown operation) carry the coral namespace. botocore keeps only
# the part after '#', so the prefix is cosmetic, but it makes captured traffic look like the real thing.
SERVICE_NAMESPACE = "com.amazonaws.partnercentralselling"
FRONTEND_NAMESPACE = "com.amazon.coral.service"

# AWS does not document the HTTP status of each modelled error of this service (the model has no
# httpError traits); these are the statuses Smithy services commonly use. botocore maps errors by
# code, not status, so only retry logic keyed on status could notice a difference.
STATUS_BY_CODE = {
    "ValidationException": 400,
    "SerializationException": 400,
    "UnknownOperationException": 400,
    "AccessDeniedException": 403,
    "MissingAuthenticationTokenException": 403,
    "UnrecognizedClientException": 403,
    "InvalidSignatureException": 403,
    "ExpiredTokenException": 403,
    "IncompleteSignatureException": 403,
    "ResourceNotFoundException": 404,
    "ConflictException": 409,
    "ServiceQuotaExceededException": 402,
    "ThrottlingException": 429,
    "InternalServerException": 500,
    "NotImplementedException": 501,
}

FRONTEND_CODES = {
    "SerializationException",
    "UnknownOperationException",
    "MissingAuthenticationTokenException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "ExpiredTokenException",
    "IncompleteSignatureException",
    "NotImplementedException",
}


class ApiError(Exception):
    """An error answer of the AWS surface; `fields` are extra modelled members (Reason, ErrorList)."""

    def __init__(self, code: str, message: str, status: int | None = None, **fields: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status if status is not None else STATUS_BY_CODE.get(code, 400)
        self.fields = fields

    def body(self) -> dict[str, Any]:
        namespace = FRONTEND_NAMESPACE if self.code in FRONTEND_CODES else SERVICE_NAMESPACE
        body: dict[str, Any] = {"__type": f"{namespace}#{self.code}"}
        if self.code in FRONTEND_CODES:
            # The AWS front end answers with a lower-case "message".
            body["message"] = self.message
        else:
            # The modelled error shapes of this service name the member "Message".
            body["Message"] = self.message
        body.update(self.fields)
        return body


def validation_error(message: str, errors: list[dict[str, str]] | None = None, business: bool = False) -> ApiError:
    """A ValidationException with the model's required Reason and, when known, the per-field ErrorList."""
    fields: dict[str, Any] = {"Reason": "BUSINESS_VALIDATION_FAILED" if business else "REQUEST_VALIDATION_FAILED"}
    if errors:
        fields["ErrorList"] = errors
    return ApiError("ValidationException", message, **fields)

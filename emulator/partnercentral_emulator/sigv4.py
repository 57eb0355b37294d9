# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Verification of AWS Signature Version 4 with botocore's own signer.

The request is rebuilt as a botocore AWSRequest and signed again with the configured secret for the
access key named in the Authorization header; the signatures must match. Nothing here logs or returns
secrets or signatures.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from typing import Any
from typing import Iterable

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.awsrequest import HTTPHeaders
from botocore.credentials import Credentials
from partnercentral_emulator.errors import ApiError
from partnercentral_emulator.model import SERVICE_NAME

_AUTH_RE = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),"
    r"\s*Signature=(?P<signature>[0-9a-f]+)\s*$"
)


class _VerifyingSigV4Auth(SigV4Auth):
    """SigV4Auth that canonicalises exactly the headers the client says it signed."""

    def __init__(self, credentials: Credentials, service: str, region: str, signed: list[str]) -> None:
        super().__init__(credentials, service, region)
        self._signed = signed

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        header_map = HTTPHeaders()
        for name in self._signed:
            for value in request.headers.get_all(name) or []:
                header_map[name] = value
        return header_map


def verify(
    method: str,
    path: str,
    headers: Any,
    body: bytes,
    credentials: Iterable[dict[str, Any]],
    max_clock_skew: float,
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """Return the matching credentials entry or raise the ApiError AWS would answer with.

    `headers` is the http.server message (case-insensitive, with get_all).
    """
    authorization = headers.get("Authorization")
    if not authorization:
        raise ApiError("MissingAuthenticationTokenException", "Missing Authentication Token")
    match = _AUTH_RE.match(authorization.strip())
    if not match:
        raise ApiError(
            "IncompleteSignatureException",
            "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.",
        )
    scope = match.group("credential").split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise ApiError(
            "IncompleteSignatureException",
            "Credential should have the form <key>/<date>/<region>/<service>/aws4_request.",
        )
    access_key, scope_date, region, service, _terminator = scope
    entry = next((item for item in credentials if item["access_key"] == access_key), None)
    if entry is None:
        raise ApiError("UnrecognizedClientException", "The security token included in the request is invalid.")
    if service != SERVICE_NAME:
        raise ApiError(
            "InvalidSignatureException", f"Credential should be scoped to correct service: '{SERVICE_NAME}'."
        )
    amz_date = headers.get("X-Amz-Date")
    if not amz_date:
        raise ApiError("IncompleteSignatureException", "Authorization requires an X-Amz-Date header.")
    try:
        signed_at = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        raise ApiError("IncompleteSignatureException", "X-Amz-Date must have the form YYYYMMDDTHHMMSSZ.") from None
    if scope_date != amz_date[:8]:
        raise ApiError("InvalidSignatureException", "Credential should be scoped to a valid date matching X-Amz-Date.")
    current = now or datetime.datetime.now(datetime.timezone.utc)
    if abs((current - signed_at).total_seconds()) > max_clock_skew:
        raise ApiError(
            "InvalidSignatureException",
            f"Signature expired: {amz_date} is outside the allowed clock skew of {int(max_clock_skew)} s "
            f"from {current.strftime('%Y%m%dT%H%M%SZ')}.",
        )
    signed = match.group("signed").split(";")
    if "host" not in signed:
        raise ApiError("InvalidSignatureException", "'Host' must be a signed header.")
    token = headers.get("X-Amz-Security-Token")
    expected_token = entry.get("session_token")
    if expected_token or token:
        if not token or not expected_token or not hmac.compare_digest(token, expected_token):
            raise ApiError("UnrecognizedClientException", "The security token included in the request is invalid.")
    content_sha = headers.get("X-Amz-Content-SHA256")
    if content_sha and content_sha != hashlib.sha256(body).hexdigest():
        raise ApiError("InvalidSignatureException", "The provided X-Amz-Content-SHA256 does not match the body.")

    request_headers = HTTPHeaders()
    for name in signed:
        for value in headers.get_all(name) or []:
            request_headers[name] = value
    request = AWSRequest(method=method, url=f"http://{headers.get('Host', 'localhost')}{path}", data=body)
    request.headers = request_headers
    request.context["timestamp"] = amz_date
    signer = _VerifyingSigV4Auth(Credentials(access_key, entry["secret_key"], expected_token), service, region, signed)
    canonical = signer.canonical_request(request)
    string_to_sign = signer.string_to_sign(request, canonical)
    expected = signer.signature(string_to_sign, request)
    if not hmac.compare_digest(expected, match.group("signature")):
        raise ApiError(
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.",
        )
    # AWS checks expiry after the signature: an expired token with a good signature is "expired".
    if entry.get("expired"):
        raise ApiError("ExpiredTokenException", "The security token included in the request is expired")
    return entry

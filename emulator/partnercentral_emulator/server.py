# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The HTTP front end: AWS JSON 1.0 on POST /, plain JSON introspection under /_emulator/."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any
from typing import Callable
from urllib.parse import parse_qs
from urllib.parse import urlsplit

from partnercentral_emulator import admin_routes
from partnercentral_emulator import model
from partnercentral_emulator import sigv4
from partnercentral_emulator.backend import Backend
from partnercentral_emulator.config import ConfigError
from partnercentral_emulator.errors import ApiError
from partnercentral_emulator.errors import validation_error
from partnercentral_emulator.operations import IMPLEMENTED

LOG = logging.getLogger("partnercentral_emulator")
ADMIN_PREFIX = "/_emulator/"
CONTENT_TYPE = "application/x-amz-json-1.0"
MAX_BODY = 10 * 1024 * 1024
# Deeper JSON is refused before it is parsed: json, botocore's validator and the checks recurse per level and would
# hit Python's recursion limit (a RecursionError, i.e. an internal error) on a few hundred levels. No shape of the
# model needs more than a handful of levels; a JSON 1.0 service answers unreadable bodies with SerializationException.
MAX_JSON_DEPTH = 100
# A JSON string (its escapes included): brackets inside strings are text, not nesting.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_OPENING, _CLOSING = frozenset(b"[{"), frozenset(b"]}")


class JSONTooDeep(ValueError):
    pass


def load_json(body: bytes) -> Any:
    """json.loads that refuses nesting deeper than MAX_JSON_DEPTH (a ValueError, as for any unreadable body)."""
    # Cheap test first: a body with few brackets cannot be deep.
    if body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH:
        depth = 0
        for byte in _JSON_STRING.sub(b'""', body):
            if byte in _OPENING:
                depth += 1
                if depth > MAX_JSON_DEPTH:
                    raise JSONTooDeep(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.")
            elif byte in _CLOSING:
                depth -= 1
    return json.loads(body)


class _Handler(BaseHTTPRequestHandler):
    server: "_HTTPServer"
    protocol_version = "HTTP/1.1"  # keep-alive, as botocore's connection pool expects
    # Headers and body go out in two writes; with Nagle on, each answer would wait ~40 ms for an ACK.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from the base class
        # The base class would log the raw request line; our own line per request is in _finish().
        return

    # ----------------------------------------------------------------- plumbing

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            # The unread body would be taken for the next request on this keep-alive connection.
            self.close_connection = True
            raise ApiError("SerializationException", "Request body too large.")
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _finish(self, label: str, status: int, started: float) -> None:
        # One line per request, naming only the operation: never headers, keys, tokens or signatures.
        LOG.info("%s %s %d %.1fms", self.command, label, status, (time.monotonic() - started) * 1000)

    # ---------------------------------------------------------------- dispatch

    def do_GET(self) -> None:
        self._admin_or_404()

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path.startswith(ADMIN_PREFIX):
            self._admin_or_404()
        else:
            self._aws()

    def do_PUT(self) -> None:
        self._admin_or_404()

    do_DELETE = do_PUT

    # -------------------------------------------------------------- AWS surface

    def _aws(self) -> None:
        started = time.monotonic()
        backend = self.server.backend
        arrived = backend.arrival()
        target = self.headers.get("X-Amz-Target", "")
        operation_name = target.split(".", 1)[1] if target.startswith(model.target_prefix() + ".") else ""
        label = operation_name or (target or "<no target>")
        operation = model.operation_model(operation_name) if operation_name else None
        request_id = str(uuid.uuid4())
        access_key = None
        try:
            body = self._read_body()
            if urlsplit(self.path).path != "/":
                raise ApiError("UnknownOperationException", "The emulator serves the API on POST /.")
            access_key = sigv4.verify(
                self.command,
                self.path,
                self.headers,
                body,
                backend.config["credentials"],
                backend.config["max_clock_skew"],
            )["access_key"]
            if operation is None:
                raise ApiError("UnknownOperationException", f"Unknown operation {target or '(no X-Amz-Target)'}.")
            if operation_name not in IMPLEMENTED:
                raise ApiError(
                    "NotImplementedException",
                    f"The Partner Central emulator does not implement {operation_name}; "
                    f"implemented: {', '.join(IMPLEMENTED)}.",
                )
            latency, fault = backend.decide_faults(operation_name)
            if latency > 0:
                time.sleep(latency)  # outside the lock: other requests go on meanwhile
            if fault is not None:
                raise fault
            backend.admit(operation_name, access_key, arrived=arrived)
            params = self._parse(body)
            errors = model.validate(params, operation.input_shape)
            if errors:
                raise validation_error(model.describe(errors), errors)
            result = backend.handle(operation_name, params)
            status, payload = 200, json.dumps(model.serialize(result, operation.output_shape)).encode()
            headers = {"Content-Type": CONTENT_TYPE, "x-amzn-RequestId": request_id}
            if backend.config["self_check"]:
                self._self_check(operation, status, headers, payload)
        except ApiError as error:
            status, payload, headers = self._error(error, request_id)
        except Exception:  # an emulator bug: answer as the service would, keep the trace in the log
            LOG.exception("internal error in %s", label)
            status, payload, headers = self._error(
                ApiError("InternalServerException", "Internal emulator error."), request_id
            )
        if operation is not None and status >= 300 and backend.config["self_check"]:
            try:
                self._self_check(operation, status, headers, payload)
            except AssertionError:
                pass  # logged; an error answer is sent anyway
        backend.record_request(label, status, access_key)
        # Logged before the answer goes out, so a client that has its answer also finds the log line.
        self._finish(label, status, started)
        self._send(status, payload, headers)

    @staticmethod
    def _parse(body: bytes) -> dict[str, Any]:
        if not body.strip():
            return {}
        try:
            params = load_json(body)
        except JSONTooDeep as exc:
            raise ApiError("SerializationException", f"Request body is {exc}") from None
        except ValueError:
            raise ApiError("SerializationException", "Request body is not valid JSON.") from None
        if not isinstance(params, dict):
            raise ApiError("SerializationException", "Request body must be a JSON object.")
        return params

    @staticmethod
    def _error(error: ApiError, request_id: str) -> tuple[int, bytes, dict[str, str]]:
        headers = {"Content-Type": CONTENT_TYPE, "x-amzn-RequestId": request_id, "x-amzn-ErrorType": error.code}
        return error.status, json.dumps(error.body()).encode(), headers

    @staticmethod
    def _self_check(operation: Any, status: int, headers: dict[str, str], payload: bytes) -> None:
        parsed = model.parse_response(operation, status, headers, payload)
        problems = model.output_errors(operation, parsed)
        if problems:
            LOG.error("answer of %s does not match the model: %s", operation.name, model.describe(problems))
            raise AssertionError(f"emulator answer does not match the model: {model.describe(problems)}")

    # -------------------------------------------------------------- introspection

    def _admin_or_404(self) -> None:
        started = time.monotonic()
        backend = self.server.backend
        parts = urlsplit(self.path)
        status = 200
        try:
            body = self._read_body()
            found, result = admin_routes.route(
                backend, self.command, parts.path, parse_qs(parts.query), self._admin_json(body)
            )
            if not found:
                status, result = 404, {"error": f"no such endpoint: {self.command} {parts.path}"}
        except (ConfigError, ValueError, ApiError) as exc:
            status, result = 400, {"error": str(exc)}
        except Exception as exc:  # keep serving; the trace goes to the log
            LOG.exception("admin endpoint failed")
            status, result = 500, {"error": str(exc)}
        self._finish(parts.path, status, started)
        self._send(status, json.dumps(result).encode(), {"Content-Type": "application/json"})

    @staticmethod
    def _admin_json(body: bytes) -> dict[str, Any]:
        if not body.strip():
            return {}
        data = load_json(body)
        if not isinstance(data, dict):
            raise ConfigError("the body must be a JSON object")
        return data


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], backend: Backend) -> None:
        self.backend = backend
        super().__init__(address, _Handler)


class EmulatorServer:
    """The emulator in this process: `start()` serves in a background thread, `stop()` shuts it down."""

    def __init__(
        self,
        config: dict[str, Any] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        quota_clock: Callable[[], float] | None = None,
    ) -> None:
        """quota_clock: a clock for the quotas instead of the `quota_clock` setting's (e.g. a quota.ManualClock)."""
        self.backend = Backend(config, quota_clock=quota_clock)
        self._httpd = _HTTPServer((host, port), self.backend)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self._httpd.server_address[0]

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def endpoint_url(self) -> str:
        host = self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def start(self) -> "EmulatorServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="partnercentral-emulator", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "EmulatorServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""pytest fixtures: `emulator_server` (one in-process server per session) and `emulator` (reset per test).

Registered as a `pytest11` entry point by the partnercentral-emulator distribution (emulator/pyproject.toml): any
pytest run where the distribution is installed has them.

A test passes settings with the marker ``@pytest.mark.emulator_config(write_tps=0, task_latency=0.2)``.
Every client made by ``emulator.client()`` parses each answer with botocore and checks it against the
operation's output (or error) shape, so an answer that a real client could not use fails the test.
"""

from __future__ import annotations

import threading
from typing import Any
from typing import Iterator

import pytest
from partnercentral_emulator import model
from partnercentral_emulator.admin import EmulatorAdmin
from partnercentral_emulator.config import DEFAULT_ACCESS_KEY
from partnercentral_emulator.config import DEFAULT_SECRET_KEY
from partnercentral_emulator.process import DEFAULT_REGION
from partnercentral_emulator.process import client_env
from partnercentral_emulator.server import EmulatorServer

DEFAULT_TEST_ENGAGEMENTS = 20


class ResponseChecker:
    """Counts and checks every answer seen by hooked clients; `problems` lists model mismatches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.checked = 0
        self.problems: list[str] = []

    def __call__(self, http_response: Any, parsed: dict[str, Any], model: Any, **kwargs: Any) -> None:
        problems = _model_output_errors(model, parsed)
        with self._lock:
            self.checked += 1
            if problems:
                self.problems.append(f"{model.name}: {problems}")
        if problems:
            raise AssertionError(f"answer of {model.name} does not match the model: {problems}")

    def attach(self, client: Any) -> Any:
        client.meta.events.register("after-call.partnercentral-selling", self)
        return client


def _model_output_errors(operation: Any, parsed: dict[str, Any]) -> str:
    errors = model.output_errors(operation, parsed)
    return model.describe(errors) if errors else ""


_SESSION_LOCK = threading.Lock()
_BOTOCORE_SESSION: Any = None


def _shared_botocore_session() -> Any:
    """One botocore session for all test clients: a fresh one re-reads the models (~0.3 s per client)."""
    global _BOTOCORE_SESSION
    with _SESSION_LOCK:
        if _BOTOCORE_SESSION is None:
            import botocore.session

            _BOTOCORE_SESSION = botocore.session.get_session()
        return _BOTOCORE_SESSION


class EmulatorHandle:
    """What the `emulator` fixture returns."""

    def __init__(self, server: EmulatorServer) -> None:
        self.server = server
        self.endpoint_url = server.endpoint_url
        self.admin = EmulatorAdmin(self.endpoint_url)
        self.access_key = DEFAULT_ACCESS_KEY
        self.secret_key = DEFAULT_SECRET_KEY
        self.region = DEFAULT_REGION
        self.checker = ResponseChecker()

    def env(self) -> dict[str, str]:
        """Environment for subprocesses (ansible-playbook, scripts) so boto3 talks to the emulator."""
        return client_env(self.endpoint_url, self.access_key, self.secret_key, self.region)

    def client(self, check: bool = True, **kwargs: Any) -> Any:
        """A boto3 partnercentral-selling client for the emulator, retries off, answers checked against the model."""
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(botocore_session=_shared_botocore_session())
        kwargs.setdefault("aws_access_key_id", self.access_key)
        kwargs.setdefault("aws_secret_access_key", self.secret_key)
        kwargs.setdefault("region_name", self.region)
        # total_max_attempts 1 = no retry at all; botocore reads {"max_attempts": 1} as one retry.
        kwargs.setdefault("config", Config(retries={"total_max_attempts": 1}))
        client = session.client("partnercentral-selling", endpoint_url=self.endpoint_url, **kwargs)
        return self.checker.attach(client) if check else client

    def reset(self, **overrides: Any) -> dict[str, Any]:
        overrides.setdefault("engagements", DEFAULT_TEST_ENGAGEMENTS)
        config = self.admin.reset(overrides)
        # The server's request counts start again from zero; so does the count of checked answers.
        with self.checker._lock:
            self.checker.checked = 0
        return config

    def configure(self, **overrides: Any) -> dict[str, Any]:
        return self.admin.configure(overrides)

    def stats(self) -> dict[str, Any]:
        return self.admin.stats()

    def advance_clock(self, seconds: float) -> float:
        """Move the quotas' manual clock (`emulator_config(quota_clock="manual")`) forward."""
        return self.admin.advance_clock(seconds)

    def engagements(self, catalog: str | None = "Sandbox") -> list[dict[str, Any]]:
        return self.admin.engagements(catalog)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "emulator_config(**settings): settings for the Partner Central emulator reset")


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    """One in-process emulator on a free loopback port for the whole session."""
    server = EmulatorServer({"engagements": DEFAULT_TEST_ENGAGEMENTS}, host="127.0.0.1", port=0).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def emulator(emulator_server: EmulatorServer, request: pytest.FixtureRequest) -> EmulatorHandle:
    """The session's emulator, reset with the test's `emulator_config` marker settings; see EmulatorHandle."""
    handle = EmulatorHandle(emulator_server)
    overrides: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("emulator_config"))):
        overrides.update(marker.kwargs)
    handle.reset(**overrides)
    return handle

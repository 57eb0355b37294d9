# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""`partnercentral-emulator run`: one command against a fresh emulator process (the command line is in __main__)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from typing import Any
from typing import Sequence

from partnercentral_emulator.process import CLEARED_CLIENT_VARIABLES
from partnercentral_emulator.process import client_env
from partnercentral_emulator.process import read_log
from partnercentral_emulator.process import start_emulator_process
from partnercentral_emulator.process import stop_emulator_process

PROG = "partnercentral-emulator"
# Lines of the emulator's request log shown when the command fails.
LOG_TAIL_LINES = 40


def run_with_emulator(options: Sequence[str], command: list[str]) -> int:
    """Start the emulator with `options`, run `command` pointed at it, stop it; the command's exit status."""
    forwarder = _SignalForwarder()
    emulator = None
    try:
        # The emulator's own botocore session must not see the caller's profile either.
        env = {name: value for name, value in os.environ.items() if name not in CLEARED_CLIENT_VARIABLES}
        # Its own session: a Ctrl-C in the terminal reaches CMD, not the emulator that CMD still talks to.
        emulator, endpoint_url = start_emulator_process(options, env=env, start_new_session=True)
        env.update(client_env(endpoint_url))
        print(f"{PROG} run: emulator listening on {endpoint_url} (pid {emulator.pid})", file=sys.stderr, flush=True)
        status = forwarder.run(command, env)
        if status != 0:
            lines = read_log(emulator).splitlines()[-LOG_TAIL_LINES:]
            print(f"{PROG} run: {command[0]} exited {status}; last lines of the emulator log:", file=sys.stderr)
            print("\n".join(lines), file=sys.stderr, flush=True)
        return status
    except RuntimeError as exc:  # the emulator did not start; start_emulator_process's message has its log
        print(f"{PROG} run: {exc}", file=sys.stderr)
        return 1
    finally:
        forwarder.restore()
        if emulator is not None:
            stop_emulator_process(emulator)
            log_path = getattr(emulator, "log_path", None)
            if log_path:
                shutil.rmtree(os.path.dirname(log_path), ignore_errors=True)


class _SignalForwarder:
    """SIGINT/SIGTERM go on to CMD while it runs; before it runs they end `run` (which still stops the emulator)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.child: subprocess.Popen | None = None
        self._previous = {signum: signal.signal(signum, self._on_signal) for signum in self.SIGNALS}

    def _on_signal(self, signum: int, _frame: Any) -> None:
        if self.child is None:
            raise SystemExit(128 + signum)
        if self.child.poll() is None:
            self.child.send_signal(signum)

    def run(self, command: list[str], env: dict[str, str]) -> int:
        """CMD's exit status; 128 + N when signal N ended it, as a shell reports it."""
        try:
            self.child = subprocess.Popen(command, env=env)  # noqa: S603 - the user's own command
        except OSError as exc:
            print(f"{PROG} run: cannot run {command[0]}: {exc}", file=sys.stderr)
            return 127
        returncode = self.child.wait()
        return 128 - returncode if returncode < 0 else returncode

    def restore(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

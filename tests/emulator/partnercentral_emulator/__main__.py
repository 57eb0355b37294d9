# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Command line: python -m partnercentral_emulator [options]; see docs/emulator.md."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import tempfile
import threading
from typing import Any
from typing import Sequence

from partnercentral_emulator import config as config_module
from partnercentral_emulator.config import ConfigError
from partnercentral_emulator.server import EmulatorServer


def _latency(value: str) -> Any:
    # "0.2" or "0.1,0.5" (a range)
    if "," in value:
        low, high = value.split(",", 1)
        return [float(low), float(high)]
    return float(value)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m partnercentral_emulator", description="Local emulator of the AWS Partner Central Selling API."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default 0)")
    parser.add_argument("--port-file", help="write the port here once listening (atomically)")
    parser.add_argument("--config", help="JSON file of settings; options below override it")
    parser.add_argument("--fixture", help="JSON fixture of engagements")
    parser.add_argument("--engagements", type=int, help="engagements generated per catalog")
    parser.add_argument("--seed", help="seed of generated ids and of fault injection")
    parser.add_argument("--write-tps", type=float)
    parser.add_argument("--read-tps", type=float)
    parser.add_argument("--task-latency", type=float)
    parser.add_argument("--context-id-mode", choices=("new", "requested"))
    parser.add_argument("--second-conversion", choices=("conflict", "duplicate"))
    parser.add_argument("--token-ttl", type=float)
    parser.add_argument("--throttle-rate", type=float)
    parser.add_argument("--internal-error-rate", type=float)
    parser.add_argument("--added-latency", type=_latency, help="seconds, or MIN,MAX for a random range")
    parser.add_argument("--daily-write-cap", type=int)
    parser.add_argument("--daily-read-cap", type=int)
    parser.add_argument(
        "--strict-buckets", action="store_true", default=None, help="per-second buckets of one token at any rate"
    )
    parser.add_argument(
        "--per-account-quotas",
        action="store_true",
        default=None,
        help="buckets and daily caps per access key (partner account) instead of shared by every caller",
    )
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> dict[str, Any]:
    settings: dict[str, Any] = config_module.load_file(args.config) if args.config else {}
    for key in (
        "fixture",
        "engagements",
        "write_tps",
        "read_tps",
        "task_latency",
        "context_id_mode",
        "second_conversion",
        "token_ttl",
        "throttle_rate",
        "internal_error_rate",
        "added_latency",
        "daily_write_cap",
        "daily_read_cap",
        "strict_buckets",
        "per_account_quotas",
    ):
        value = getattr(args, key)
        if value is not None:
            settings[key] = value
    if args.seed is not None:
        settings["seed"] = int(args.seed) if args.seed.lstrip("-").isdigit() else args.seed
    return config_module.check(settings)


def write_port_file(path: str, port: int) -> None:
    # Write then rename, so a reader never sees a half-written file.
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".port-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"{port}\n")
    os.replace(tmp, path)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s partnercentral-emulator %(message)s",
    )
    log = logging.getLogger("partnercentral_emulator")
    try:
        server = EmulatorServer(settings_from(args), host=args.host, port=args.port)
    except (ConfigError, OSError) as exc:
        print(f"partnercentral-emulator: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def _on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    # serve_forever runs in a thread: shutdown() must not be called from the serving thread itself.
    server.start()
    if args.port_file:
        write_port_file(args.port_file, server.port)
    log.warning("listening on %s", server.endpoint_url)
    while not stop.wait(0.5):
        pass
    log.warning("stopping")
    server.stop()
    if args.port_file:
        try:
            os.unlink(args.port_file)  # a stale port file would point clients at a dead port
        except FileNotFoundError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

# -*- coding: utf-8 -*-

# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Command line: `partnercentral-emulator [serve] [options]` and `partnercentral-emulator run [options] -- CMD`.

`python -m partnercentral_emulator` is the same command. See docs/emulator.md.
"""

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
from partnercentral_emulator.run_command import PROG
from partnercentral_emulator.run_command import run_with_emulator
from partnercentral_emulator.server import EmulatorServer

RUN_USAGE = f"{PROG} run [EMULATOR OPTIONS] -- CMD [ARGS...]"


def _latency(value: str) -> Any:
    # "0.2" or "0.1,0.5" (a range)
    if "," in value:
        low, high = value.split(",", 1)
        return [float(low), float(high)]
    return float(value)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=PROG,
        usage=f"{PROG} [serve] [OPTIONS]\n       {RUN_USAGE}",
        description="Local emulator of the AWS Partner Central Selling API. `serve` (the default) serves until "
        "SIGTERM or SIGINT; `run` starts it on a free loopback port, runs CMD with the AWS SDK pointed at it "
        f"and exits with CMD's status (see `{PROG} run --help`).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default 0)")
    parser.add_argument("--port-file", help="write the port here once listening (atomically)")
    _add_setting_options(parser)
    return parser.parse_args(argv)


def _add_setting_options(parser: argparse.ArgumentParser) -> None:
    """The emulator's settings, common to `serve` and `run`."""
    parser.add_argument("--config", help="JSON file of settings; options below override it")
    parser.add_argument("--fixture", help="JSON fixture of engagements")
    parser.add_argument("--engagements", type=int, help="engagements generated per catalog")
    parser.add_argument("--lead-invitations", type=int, help="lead engagements shared by invitation, per catalog")
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
    parser.add_argument(
        "--quota-clock",
        choices=("wall", "manual"),
        help="clock of the quotas: wall (default), or manual (moved by POST /_emulator/clock, for tests)",
    )
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")


def settings_from(args: argparse.Namespace) -> dict[str, Any]:
    settings: dict[str, Any] = config_module.load_file(args.config) if args.config else {}
    for key in (
        "fixture",
        "engagements",
        "lead_invitations",
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
        "quota_clock",
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
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["run"]:
        return run(arguments[1:])
    if arguments[:1] == ["serve"]:
        arguments = arguments[1:]
    return serve(arguments)


def serve(argv: Sequence[str]) -> int:
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


def parse_run_args(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """(emulator options, command) of `run`; the options are checked here, the emulator gets them verbatim."""
    parser = argparse.ArgumentParser(
        prog=f"{PROG} run",
        usage=RUN_USAGE,
        description="Start the emulator on a free loopback port, run CMD with AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING "
        "and the emulator's test credentials set (AWS_PROFILE and AWS_SESSION_TOKEN unset), stop the emulator and "
        "exit with CMD's status. When CMD fails, the end of the emulator's request log is printed. SIGINT and "
        "SIGTERM are passed on to CMD.",
    )
    _add_setting_options(parser)
    arguments = list(argv)
    if "--" in arguments:
        index = arguments.index("--")
        options, command = arguments[:index], arguments[index + 1 :]
    else:
        # Without "--" the command starts at the first word that is not an option or an option's value.
        parser.add_argument("command", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        parsed = parser.parse_args(arguments)
        command = parsed.command
        options = arguments[: len(arguments) - len(command)]
    settings_from(parser.parse_args(options))  # a bad option or setting stops here, before anything starts
    if not command:
        parser.error("no command to run (CMD after --)")
    return options, command


def run(argv: Sequence[str]) -> int:
    try:
        options, command = parse_run_args(argv)
    except ConfigError as exc:
        print(f"{PROG} run: {exc}", file=sys.stderr)
        return 2
    return run_with_emulator(options, command)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Usage: hack/run_with_emulator.sh [--EMULATOR-OPTION VALUE ...] [--] CMD [ARGS...]
#        (any option of `python -m partnercentral_emulator` that takes a value, e.g. --fixture FILE --write-tps 2)
#
# Starts the local Partner Central Selling emulator (tests/emulator) on a free loopback port, points the AWS SDK
# at it through the service-specific endpoint variable, runs CMD, stops the emulator and exits with CMD's status.
# PYTHON (default: python3) is the interpreter that runs the emulator.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
emulator_args=()

while [[ $# -gt 0 ]]; do
    case "$1" in
        --)
            shift
            break
            ;;
        --*=*)
            emulator_args+=("$1")
            shift
            ;;
        --?*)
            [[ $# -ge 2 ]] || { echo "run_with_emulator: $1 needs a value" >&2; exit 2; }
            emulator_args+=("$1" "$2")
            shift 2
            ;;
        *)
            break
            ;;
    esac
done

if [[ $# -eq 0 ]]; then
    echo "usage: $0 [--EMULATOR-OPTION VALUE ...] [--] CMD [ARGS...]" >&2
    exit 2
fi

if [[ ! -f "${repo_root}/tests/emulator/partnercentral_emulator/__main__.py" ]]; then
    echo "run_with_emulator: the emulator (tests/emulator/partnercentral_emulator/__main__.py) does not exist yet;" \
        "skipping: $*"
    exit 0
fi

state_dir="$(mktemp -d "${TMPDIR:-/tmp}/pcs-emulator.XXXXXX")"
port_file="${state_dir}/port"
log_file="${state_dir}/emulator.log"
emulator_pid=""

# shellcheck disable=SC2317  # only called through the EXIT trap
stop_emulator() {
    if [[ -n "${emulator_pid}" ]] && kill -0 "${emulator_pid}" 2>/dev/null; then
        kill "${emulator_pid}" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "${emulator_pid}" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "${emulator_pid}" 2>/dev/null || true
        wait "${emulator_pid}" 2>/dev/null || true
    fi
    rm -rf "${state_dir}"
}
trap stop_emulator EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PYTHONPATH="${repo_root}/tests/emulator${PYTHONPATH:+:${PYTHONPATH}}" \
    "${python}" -m partnercentral_emulator --port 0 --port-file "${port_file}" "${emulator_args[@]}" \
    >"${log_file}" 2>&1 &
emulator_pid=$!

# Wait up to 30 s for the emulator to write its port.
for _ in $(seq 1 300); do
    if [[ -s "${port_file}" ]]; then
        break
    fi
    if ! kill -0 "${emulator_pid}" 2>/dev/null; then
        echo "run_with_emulator: the emulator exited before writing its port; its log:" >&2
        cat "${log_file}" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ ! -s "${port_file}" ]]; then
    echo "run_with_emulator: the emulator wrote no port within 30 s; its log:" >&2
    cat "${log_file}" >&2
    exit 1
fi
port="$(tr -d '[:space:]' <"${port_file}")"

export AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING="http://127.0.0.1:${port}"
export AWS_ACCESS_KEY_ID="AKIDPCSEMULATOR00001"
export AWS_SECRET_ACCESS_KEY="pcs-emulator-secret-do-not-use"
export AWS_DEFAULT_REGION="us-east-1"
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN
echo "run_with_emulator: emulator listening on ${AWS_ENDPOINT_URL_PARTNERCENTRAL_SELLING} (pid ${emulator_pid})"

status=0
"$@" || status=$?
if [[ "${status}" -ne 0 ]]; then
    echo "run_with_emulator: command exited ${status}; last lines of the emulator log:" >&2
    tail -n 40 "${log_file}" >&2 || true
fi
exit "${status}"

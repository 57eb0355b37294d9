#!/usr/bin/env bash
# Copyright: Contributors to the partnercentral.selling project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# `make test`: runs every check, even after one fails, then prints a step -> PASS/FAIL table and, as the very
# last line, pytest's closing summary line. Exits non-zero when any step failed.
# The linters run first and pytest (unit, emulator, integration and reliability tests, one invocation) runs last.
set -uo pipefail

make_cmd="${MAKE:-make}"
summary_file="${PYTEST_SUMMARY_FILE:-.tmp/pytest-summary.txt}"
steps=(sanity lint docs-lint changelog-lint pytest-all)
declare -A result duration
failed=0

for step in "${steps[@]}"; do
    echo
    echo "===== make ${step} ====="
    start=${SECONDS}
    if "${make_cmd}" --no-print-directory "${step}" PYTEST_SUMMARY_FILE="${summary_file}"; then
        result[${step}]=PASS
    else
        result[${step}]=FAIL
        failed=1
    fi
    duration[${step}]=$((SECONDS - start))
done

echo
echo "===== make test: results ====="
for step in "${steps[@]}"; do
    printf '%-16s %-5s %5ss\n' "${step}" "${result[${step}]}" "${duration[${step}]}"
done
if [[ "${failed}" -ne 0 ]]; then
    echo "make test: FAILED"
else
    echo "make test: all steps passed"
fi

summary=""
if [[ -s "${summary_file}" ]]; then
    summary="$(tail -n 1 "${summary_file}")"
fi
if [[ -n "${summary}" ]]; then
    echo "${summary}"
else
    echo "pytest printed no closing summary line (see its output above)"
fi
exit "${failed}"

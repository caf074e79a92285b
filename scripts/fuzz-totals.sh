#!/usr/bin/env bash
# Adds up the fuzzing campaigns that scripts/fuzz.sh logged (docs/FUZZING.md):
# per target, the runs, the executions (libFuzzer's stat::number_of_executed_units,
# or the last "#N" status line of a run that was stopped before it printed its
# stats), the largest edge count ("cov:") of the plain and release runs, and the
# crashes (files in the artifacts folders).
#
#   scripts/fuzz-totals.sh            every target with logs
#   scripts/fuzz-totals.sh stun sdp   only these
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(stun dtls sctp dcep sdp mesh)
printf '%-6s %5s %14s %14s %8s %7s\n' target runs executions asan-execs edges crashes
for target in "${targets[@]}"; do
    logs=(.build-fuzz-"$target"/logs/*.log)
    [[ -e "${logs[0]}" ]] || { printf '%-6s %5s\n' "$target" "0"; continue; }
    runs=0; total=0; asan=0; edges=0
    for log in "${logs[@]}"; do
        executions=$({ grep -a 'stat::number_of_executed_units' "$log" || true; } | tail -1 | awk '{print $2}')
        [[ -n "$executions" ]] || executions=$({ grep -aoE '^#[0-9]+' "$log" || true; } | tail -1 | tr -d '#')
        [[ -n "$executions" ]] || continue
        runs=$((runs + 1)); total=$((total + executions))
        if [[ "$log" == *-asan.log ]]; then
            asan=$((asan + executions))
        else
            cov=$({ grep -aoE 'cov: [0-9]+' "$log" || true; } | tail -1 | awk '{print $2}')
            if [[ -n "$cov" ]] && ((cov > edges)); then edges=$cov; fi
        fi
    done
    crashes=$(find .build-fuzz-"$target"*/artifacts -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) 2>/dev/null | wc -l)
    printf '%-6s %5d %14d %14d %8d %7d\n' "$target" "$runs" "$total" "$asan" "$edges" "$crashes"
done

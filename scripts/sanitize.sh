#!/usr/bin/env bash
# Runs the test suite under the sanitizers (docs/RELIABILITY.md, "Sanitizers").
#
#   scripts/sanitize.sh asan    AddressSanitizer + UndefinedBehaviorSanitizer, the whole
#                               suite, in the same runs as scripts/test.sh
#   scripts/sanitize.sh tsan    ThreadSanitizer, the concurrent parts: the socket driver,
#                               PeerConnection, the signaling registry, the mesh agent
#                               and sidecar, the SCTP transport (usrsctp's threads).
#                               (the stack locks with Wire.Locked, a pthread mutex TSan
#                               sees; Swift's Mutex it cannot see: RELIABILITY.md)
#   scripts/sanitize.sh MODE --filter REGEX   only these tests (for a quick look)
#
# Each mode has its own build (.build-asan, .build-tsan: a first build takes long).
# Reports do not go to stderr, where a test reading a tool's output would trip on them
# or, worse, swallow them: every sanitized process, the tools the tests start included,
# writes them under .build-MODE/reports/. The script fails when a test fails or when
# any report was written, and prints the reports' first lines.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }
mode="${1:-}"
case "$mode" in
    # swiftc has no -sanitize=undefined on Linux (Swift code traps on overflow and
    # bounds by itself): UBSan instruments our C (CShims), and its handlers come
    # with the ASan runtime.
    asan) flags=(--sanitize=address -Xcc -fsanitize=undefined) ;;
    tsan) flags=(--sanitize=thread) ;;
    -h|--help) usage; exit 0 ;;
    *) echo "sanitize: unknown mode '${mode}' (expected asan or tsan; --help for usage)" >&2; exit 2 ;;
esac
shift
scratch=".build-$mode"
reports="$PWD/$scratch/reports"

bash scripts/setup.sh
swift build --build-tests --scratch-path "$scratch" "${flags[@]}"

rm -rf "$reports"; mkdir -p "$reports"
# halt_on_error: a UB report stops the process, so the test that caused it fails too.
# detect_leaks=0: the Swift runtime's metadata caches and OpenSSL's and usrsctp's
# process-wide tables live until exit by design and would be reported as leaks; the
# stack's own leaks are what ConnectionCycleTests measures (descriptors and RSS).
# (Only the mode's own variables: the TSan runtime also reads UBSAN_OPTIONS, and its
# log_path would win.)
if [[ "$mode" == asan ]]; then
    export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=0:abort_on_error=0"
    export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
else
    export TSAN_OPTIONS="log_path=$reports/tsan:halt_on_error=0:second_deadlock_stack=1"
fi

test=(swift test --skip-build --scratch-path "$scratch" "${flags[@]}")
status=0
if (($#)); then
    "${test[@]}" "$@" || status=$?
elif [[ "$mode" == asan ]]; then
    source scripts/test-runs.sh
    run_test_runs "${test[@]}" || status=$?
else
    "${test[@]}" --filter 'SocketDriverTests|DataTransportTests' || status=$?
    "${test[@]}" --filter 'MeshRegistryTests|MeshAgentTests|WebRTCTests|EchoServerLoadTests' \
        --skip 'ConnectionCycleTests|RegistryLoadTests|ChannelBackpressureTests|EchoServerLoadTests' || status=$?
    "${test[@]}" --filter 'ChannelBackpressureTests' || status=$?
    "${test[@]}" --filter 'EchoServerLoadTests' || status=$?
fi

shopt -s nullglob
found=("$reports"/*)
if ((${#found[@]})); then
    echo "sanitize: ${#found[@]} report file(s) in $reports:" >&2
    for report in "${found[@]}"; do echo "== $report" >&2; head -20 "$report" >&2; done
    status=1
else
    echo "sanitize: $mode: no sanitizer report"
fi
((status == 0)) && echo "sanitize: $mode: every test passed"
exit "$status"

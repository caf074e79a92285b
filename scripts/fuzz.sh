#!/usr/bin/env bash
# Fuzzes one of the lab's parsers with libFuzzer (docs/FUZZING.md).
#
#   scripts/fuzz.sh TARGET [SECONDS] [libFuzzer flags...]   fuzz for SECONDS (default 60)
#   scripts/fuzz.sh TARGET --asan [SECONDS] [flags...]      the same with AddressSanitizer
#   scripts/fuzz.sh TARGET --release [SECONDS] [flags...]   an optimised build, for long campaigns
#   scripts/fuzz.sh TARGET --replay                         replay the seed corpus, no libFuzzer
#
#   stun  the STUN parser, dissector, server and client
#   dtls  the DTLS dissector and a server and client DTLSEndpoint
#   sctp  our SCTP byte readers and, through handle(packet:), usrsctp inside a pair
#         of established in-memory associations
#   dcep  the DCEP codecs (OPEN, ACK) and a DataChannelRegistry fed the input as
#         messages on several streams and PPIDs, and as a script of registry inputs
#   sdp   SDP descriptions and candidate lines: the parser, every typed view, JSEP's
#         validation of a remote offer/answer and the answer we build to it
#   mesh  the first byte picks: a signaling frame, sidecar IPC lines, the HTTP
#         /offer body (RTCSessionDescription JSON), or a RegistryCore script
#
# New interesting inputs go to .build-fuzz-TARGET/corpus (the seed corpus in
# fuzz/TARGET-corpus is only read); crashes (and, for sctp, hangs) are written to
# .build-fuzz-TARGET/artifacts/. Each target has its own scratch path, so fuzz
# builds of different targets never share a lock.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; }
target="${1:-}"
case "$target" in
    stun|dtls) max_len=2048; extra=() ;;
    dcep) max_len=1024; extra=() ;;               # one DCEP message, or a script of at most 64 steps
    sctp) max_len=2048; extra=(-timeout=10) ;;   # usrsctp's known failure mode is an endless loop
    sdp) max_len=4096; extra=() ;;                # the largest captured offer is 1 KiB; room for more sections
    mesh) max_len=4096; extra=() ;;               # a frame with an SDP, a few IPC lines, or a 48-step script
    -h|--help) usage; exit 0 ;;
    *) echo "fuzz: unknown target '${target}' (expected stun, dtls, sctp, dcep, sdp or mesh; --help for usage)" >&2; exit 2 ;;
esac
[[ "$target" == dtls ]] && max_len=4096
shift

if [[ "${1:-}" == "--replay" ]]; then
    swift build --scratch-path .build-fuzz-replay --product "$target-fuzz"
    exec ".build-fuzz-replay/debug/$target-fuzz" "fuzz/$target-corpus"
fi

sanitizers=fuzzer
scratch=".build-fuzz-$target"
configuration=debug
if [[ "${1:-}" == "--asan" ]]; then
    sanitizers=fuzzer,address
    scratch=".build-fuzz-$target-asan"
    shift
elif [[ "${1:-}" == "--release" ]]; then
    # Optimised (bounds and overflow checks stay on: -O, not -Ounchecked): 2.5x the
    # executions per second of the debug build, for the long campaigns.
    configuration=release
    scratch=".build-fuzz-$target-release"
    shift
fi
seconds="${1:-60}"
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a whole number, got '$seconds'" >&2; exit 2; }
shift || true

swift build -c "$configuration" --scratch-path "$scratch" --product "$target-fuzz" \
    -Xswiftc "-sanitize=$sanitizers" -Xswiftc -DFUZZING

# ASan and release runs share the plain run's corpus: the point is to re-run what it found.
corpus=".build-fuzz-$target/corpus"
mkdir -p "$corpus" "$scratch/artifacts" ".build-fuzz-$target/logs"
# Every run keeps its log: scripts/fuzz-totals.sh adds up the executions of all of
# them for docs/FUZZING.md's table (issue 13 counts executions over several runs).
log=".build-fuzz-$target/logs/$(date -u +%Y%m%dT%H%M%SZ)-$(basename "$scratch").log"
echo "fuzz: logging to $log" >&2
"$scratch/$configuration/$target-fuzz" "$corpus" "fuzz/$target-corpus" \
    "-dict=fuzz/$target.dict" "-max_len=$max_len" "-max_total_time=$seconds" "${extra[@]}" \
    "-artifact_prefix=$scratch/artifacts/" -print_final_stats=1 "$@" 2>&1 | tee "$log"

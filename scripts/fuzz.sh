#!/usr/bin/env bash
# Fuzzes one of the lab's parsers with libFuzzer (docs/FUZZING.md).
#
#   scripts/fuzz.sh TARGET [SECONDS] [libFuzzer flags...]   fuzz for SECONDS (default 60)
#   scripts/fuzz.sh TARGET --asan [SECONDS] [flags...]      the same with AddressSanitizer
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

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; }
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
if [[ "${1:-}" == "--asan" ]]; then
    sanitizers=fuzzer,address
    scratch=".build-fuzz-$target-asan"
    shift
fi
seconds="${1:-60}"
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz: SECONDS must be a whole number, got '$seconds'" >&2; exit 2; }
shift || true

swift build -c debug --scratch-path "$scratch" --product "$target-fuzz" \
    -Xswiftc "-sanitize=$sanitizers" -Xswiftc -DFUZZING

# Resumed ASan runs share the plain run's corpus: the point is to re-run what it found.
corpus=".build-fuzz-$target/corpus"
mkdir -p "$corpus" "$scratch/artifacts"
exec "$scratch/debug/$target-fuzz" "$corpus" "fuzz/$target-corpus" \
    "-dict=fuzz/$target.dict" "-max_len=$max_len" "-max_total_time=$seconds" "${extra[@]}" \
    "-artifact_prefix=$scratch/artifacts/" -print_final_stats=1 "$@"

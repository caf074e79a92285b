#!/usr/bin/env bash
# Fuzzes the DTLS dissector (records, handshake messages, bodies, reassembly, tree,
# flight summary) and a server and client DTLSEndpoint with libFuzzer (docs/FUZZING.md).
#
#   scripts/fuzz-dtls.sh [SECONDS] [libFuzzer flags...]   fuzz for SECONDS (default 60)
#   scripts/fuzz-dtls.sh --replay                         replay the seed corpus, no libFuzzer
#
# New interesting inputs go to .build-fuzz-dtls/corpus (the seed corpus in
# fuzz/dtls-corpus is only read); crashes are written to .build-fuzz-dtls/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--replay" ]]; then
    swift build --scratch-path .build-fuzz-replay --product dtls-fuzz
    exec .build-fuzz-replay/debug/dtls-fuzz fuzz/dtls-corpus
fi

seconds="${1:-60}"
shift || true

swift build -c debug --scratch-path .build-fuzz-dtls --product dtls-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING

mkdir -p .build-fuzz-dtls/corpus .build-fuzz-dtls/artifacts
exec .build-fuzz-dtls/debug/dtls-fuzz .build-fuzz-dtls/corpus fuzz/dtls-corpus \
    -dict=fuzz/dtls.dict -max_len=4096 -max_total_time="$seconds" \
    -artifact_prefix=.build-fuzz-dtls/artifacts/ -print_final_stats=1 "$@"

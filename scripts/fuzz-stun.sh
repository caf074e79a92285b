#!/usr/bin/env bash
# Fuzzes the STUN parser, dissector, server and client with libFuzzer (docs/FUZZING.md).
#
#   scripts/fuzz-stun.sh [SECONDS] [libFuzzer flags...]   fuzz for SECONDS (default 60)
#   scripts/fuzz-stun.sh --replay                         replay the seed corpus, no libFuzzer
#
# New interesting inputs go to .build-fuzz/corpus (the seed corpus in
# fuzz/stun-corpus is only read); crashes are written to .build-fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--replay" ]]; then
    swift build --scratch-path .build-fuzz-replay --product stun-fuzz
    exec .build-fuzz-replay/debug/stun-fuzz fuzz/stun-corpus
fi

seconds="${1:-60}"
shift || true

swift build -c debug --scratch-path .build-fuzz --product stun-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING

mkdir -p .build-fuzz/corpus .build-fuzz/artifacts
exec .build-fuzz/debug/stun-fuzz .build-fuzz/corpus fuzz/stun-corpus \
    -dict=fuzz/stun.dict -max_len=2048 -max_total_time="$seconds" \
    -artifact_prefix=.build-fuzz/artifacts/ -print_final_stats=1 "$@"

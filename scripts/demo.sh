#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the full-stack demo.
# Until the DataChannel demo exists, that is stun-probe's offline demo: an
# embedded STUN server on loopback, probed and dissected field by field.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --product stun-probe
exec .build/debug/stun-probe "$@"

#!/usr/bin/env bash
# Builds scripts/interop/pion/echo.go into .build-interop/pion-echo/pion-echo, offline,
# against Debian's Pion (apt-get install golang-go golang-github-pion-webrtc.v3-dev).
#
# Recipe: GOPATH mode (GO111MODULE=off, GOPROXY=off) with two GOPATH roots, our own
# (.build-interop/pion-echo/gopath, where the sources are copied to src/pion-echo) and
# Debian's /usr/share/gocode. The go.mod beside echo.go is what makes the import path
# github.com/pion/webrtc/v3 resolve: in GOPATH mode the go command drops the /v3 only
# for importing code that has a go.mod ("minimal module compatibility"), and only
# inside a GOPATH root, hence the copy. Idempotent: does nothing when the binary is
# newer than its sources; prints the binary's path on stdout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$root/.build-interop/pion-echo
bin=$out/pion-echo
gocode=/usr/share/gocode

command -v go >/dev/null || { echo "pion build: 'go' missing (apt-get install golang-go)" >&2; exit 1; }
[[ -f $gocode/src/github.com/pion/webrtc/go.mod ]] ||
    { echo "pion build: Debian's Pion is missing (apt-get install golang-github-pion-webrtc.v3-dev)" >&2; exit 1; }

if [[ -x $bin && $bin -nt $here/echo.go && $bin -nt $here/go.mod && $bin -nt $0 ]]; then
    echo "$bin"
    exit 0
fi

src=$out/gopath/src/pion-echo
mkdir -p "$src"
cp "$here/echo.go" "$here/go.mod" "$src/"
(
    cd "$src"
    GO111MODULE=off GOPROXY=off GOFLAGS= GOPATH="$out/gopath:$gocode" GOCACHE="$out/cache" \
        go build -o "$bin.tmp" .
) || { echo "pion build: go build failed" >&2; exit 1; }
mv "$bin.tmp" "$bin"
echo "$bin"

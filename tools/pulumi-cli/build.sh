#!/usr/bin/env bash
# Builds the pinned Pulumi CLI and the Node.js language host from the Go module
# proxy into a cache outside the repository, and prints that folder as its last
# line of standard output. Progress goes to standard error.
#
#   bash tools/pulumi-cli/build.sh            # build when missing or stale, else instant
#   ITNIOTECH_PULUMI_CACHE=/some/dir bash ...  # another cache root
#
# Why build: Pulumi's installers and its npm package download a binary from outside,
# which our machines cannot reach; the CLI is a Go module, so it is built, pinned and
# checksummed (go.mod, go.sum here) like any dependency. Facts (checked 2026-12-07):
# - `go install .../cmd/pulumi@v3.276.0` is refused (pkg/go.mod has replace
#   directives); this wrapper module requires pkg/v3 instead, and a dependency's
#   replaces are ignored. The clipboard replace is copied from pkg/go.mod for parity.
# - The Node.js language host's own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3,
#   untagged) is not served by the proxy here: every version, pseudo-versions of
#   release commits included, answers 403 "This module version is not available".
#   Until mid-2023 the same host lived inside sdk/v3 (tagged, served), so
#   language-hosts/ builds it from sdk/v3 v3.68.0. The engine starts a language host
#   with the engine address alone and still fills RunRequest's pwd and program, and
#   falls back when a newer call is unimplemented, so that host runs programs under
#   today's CLI (tests/e2e/real-cli*.test.ts prove it) — all but a policy pack, which
#   the engine runs through the host's RunPlugin, which that host lacks (README,
#   "Compatibility").
# - The dynamic provider's plugin, pulumi-resource-pulumi-nodejs, is a script at the
#   root of the @pulumi/pulumi npm package; it is copied beside `pulumi`, where the
#   CLI finds bundled plugins (they are never downloaded).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
say() { printf 'pulumi-cli: %s\n' "$*" >&2; }

version="$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$here/go.mod")"
host_version="$(awk '$1 == "github.com/pulumi/pulumi/sdk/v3" { print $2 }' "$here/language-hosts/go.mod")"
cache_root="${ITNIOTECH_PULUMI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-itniotech}"
dest="$cache_root/pulumi-$version"
dynamic_plugin="$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"

# What the build depends on: a change of pin or of this script rebuilds.
stamp="$(cat "$here/go.mod" "$here/go.sum" "$here/language-hosts/go.mod" "$here/language-hosts/go.sum" "$0" |
  sha256sum | cut -c1-16)"

if [ -x "$dest/pulumi" ] && [ -x "$dest/pulumi-language-nodejs" ] &&
  [ -x "$dest/pulumi-resource-pulumi-nodejs" ] && [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ]; then
  printf '%s\n' "$dest"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  say "no Go toolchain on PATH, so the Pulumi CLI cannot be built here; install Go 1.26 or later, or install the Pulumi CLI the usual way (https://www.pulumi.com/docs/install/) and put 'pulumi' on PATH"
  exit 3
fi
if [ ! -f "$dynamic_plugin" ]; then
  say "$dynamic_plugin is missing; run 'npm ci' in $root first"
  exit 1
fi

# Each step (download, each compile) is bounded: a network that stalls fails the
# build after this many seconds instead of hanging CI (docs/RELIABILITY.md). A cold
# build on 2 cores takes about 4 minutes in all.
step_timeout="${ITNIOTECH_PULUMI_BUILD_STEP_TIMEOUT:-1800}"

# A line every 15 s while a step runs: a cold build takes minutes.
run_step() {
  local what="$1"
  shift
  local started=$SECONDS
  say "$what..."
  timeout --kill-after=10 "$step_timeout" "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2>/dev/null && say "  still $what ($((SECONDS - started)) s)"
  done
  local status=0
  wait "$pid" || status=$?
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    say "$what took longer than $step_timeout s and was stopped; is the Go module proxy reachable and answering? (go env GOPROXY: $(go env GOPROXY))"
    exit 1
  fi
  if [ "$status" -ne 0 ]; then
    say "$what failed (exit $status); is the Go module proxy reachable? (go env GOPROXY: $(go env GOPROXY))"
    exit 1
  fi
  say "$what: done in $((SECONDS - started)) s"
}

say "building Pulumi $version and its Node.js language host (from sdk/v3 $host_version) into $dest"
say "a cold build downloads about 320 MB of modules and compiles for about 4 minutes on 2 cores; later runs reuse Go's caches"
work="$dest.partial"
rm -rf "$work"
mkdir -p "$work"

export CGO_ENABLED=0
flags=(-trimpath -tags osusergo,grpcnotrace)
ldversion="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"
run_step "downloading modules" sh -c "cd '$here' && go mod download && cd language-hosts && go mod download"
run_step "compiling pulumi $version" sh -c "cd '$here' && go build ${flags[*]} -ldflags '-s -w $ldversion=$version' -o '$work/pulumi' github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
run_step "compiling pulumi-language-nodejs" sh -c "cd '$here/language-hosts' && go build ${flags[*]} -ldflags '-s -w $ldversion=$host_version' -o '$work/pulumi-language-nodejs' github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
cp "$dynamic_plugin" "$work/pulumi-resource-pulumi-nodejs"
chmod +x "$work/pulumi-resource-pulumi-nodejs"

printed="$("$work/pulumi" version 2>&1 || true)"
if [ "$printed" != "$version" ]; then
  say "the built CLI answered 'pulumi version' with '$printed', not $version"
  exit 1
fi
printf '%s\n' "$stamp" >"$work/.stamp"
rm -rf "$dest"
mv "$work" "$dest"
say "Pulumi $version ready in $dest"
printf '%s\n' "$dest"

#!/usr/bin/env bash
# The container test for CI (.ci/run calls it): Debian's docker.io, docker-compose and debootstrap; its own dockerd
# (own socket and data root, --bridge=none --iptables=false: containers use the host network, traffic stays on 127.0.0.1);
# the debian:trixie-slim base made with debootstrap + docker import when absent (no image registry is reachable); then
# tests/container/stack.test.ts (builds the image, brings compose.yaml + compose.ci.yaml up, checks it).
# Needs TEST_DATABASE_URL (the CI's PostgreSQL) and REDIS_URL (the CI's Redis), as `npm run test:pg` does.
set -euo pipefail
cd "$(dirname "$0")/.."

root="${KH_DOCKER_ROOT:-/tmp/kh-ci-docker}"
sock="$root/docker.sock"
mirror="${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *//p; s/^deb \(http[^ ]*\) .*/\1/p' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | grep -v security | head -n1 || true)}"
mirror="${mirror:-http://deb.debian.org/debian}"
t0=$(date +%s)
say() { echo "[ci-docker +$(($(date +%s) - t0))s] $*"; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$root/data" "$root/exec"
export DOCKER_HOST="unix://$sock"
dockerd_pid=""
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd ($sock)"
  dockerd --bridge=none --iptables=false --ip6tables=false \
    --data-root "$root/data" --exec-root "$root/exec" --pidfile "$root/dockerd.pid" \
    -H "$DOCKER_HOST" >"$root/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  if ! docker info >/dev/null 2>&1; then
    echo "dockerd did not start; its log:" >&2
    tail -n 40 "$root/dockerd.log" >&2
    exit 1
  fi
fi
stop_dockerd() {
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null || true
    wait "$dockerd_pid" 2>/dev/null || true
  fi
}
trap stop_dockerd EXIT

if ! docker image inspect debian:trixie-slim >/dev/null 2>&1; then
  say "making debian:trixie-slim with debootstrap from $mirror"
  rootfs="$root/rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase trixie "$rootfs" "$mirror" >"$root/debootstrap.log" 2>&1 ||
    { tail -n 40 "$root/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import - debian:trixie-slim >/dev/null
  rm -rf "$rootfs"
fi

say "container test"
DOCKER_BUILDKIT=0 npx vitest run -c vitest.container.config.mts
say "done"

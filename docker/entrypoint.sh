#!/bin/sh
# The image's one entrypoint: web | api | migrate | admin create --email E [--password-file F] (password on stdin otherwise).
set -eu
cd /app
DATA_DIR="${DATA_DIR:-/data}"
# DATA_DIR is the only writable path (the root file system may be read-only): temporary files and Next's cache go there.
mkdir -p "$DATA_DIR/tmp" "$DATA_DIR/.next-cache"
export TMPDIR="$DATA_DIR/tmp"

run() { exec node --import tsx "$@"; }
migrate() { node --import tsx scripts/migrate.ts deploy; }

command="${1:-web}"
[ $# -gt 0 ] && shift
case "$command" in
  web)
    # As `npm start`: pending migrations first (a no-op once the one-shot migrate ran), then the server as PID 1's child.
    migrate
    run scripts/server.ts "$@" ;;
  api)
    migrate
    run scripts/api-server.ts "$@" ;;
  migrate)
    run scripts/migrate.ts deploy ;;
  admin)
    sub="${1:-}"
    [ $# -gt 0 ] && shift
    if [ "$sub" != "create" ]; then
      echo "usage: admin create --email EMAIL [--password-file FILE]  (password on stdin otherwise)" >&2
      exit 64
    fi
    run scripts/admin.ts create "$@" ;;
  help|--help|-h)
    echo "usage: web | api | migrate | admin create --email EMAIL [--password-file FILE]"
    ;;
  *)
    echo "unknown command: $command (web | api | migrate | admin create)" >&2
    exit 64 ;;
esac

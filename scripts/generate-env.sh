#!/bin/sh
# Writes .env for compose.yaml with random secrets (database password, auth secret, MFA key, service and metrics tokens).
# Usage: scripts/generate-env.sh [--force] [--url https://keys.example.com] [file]   (default file: .env beside compose.yaml)
set -eu

force=no
url=http://localhost:8080
file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=yes ;;
    --url) [ $# -ge 2 ] || { echo "--url needs a value" >&2; exit 64; }; url="$2"; shift ;;
    -h|--help) sed -n 2,3p "$0" | sed 's/^# //'; exit 0 ;;
    -*) echo "unknown option: $1" >&2; exit 64 ;;
    *) file="$1" ;;
  esac
  shift
done
case "$url" in http://*|https://*) ;; *) echo "--url must start with http:// or https://" >&2; exit 64 ;; esac
[ -n "$file" ] || file="$(cd "$(dirname "$0")/.." && pwd)/.env"

if [ -e "$file" ] && [ "$force" != yes ]; then
  echo "$file exists: kept (its secrets protect existing data). Use --force to replace it." >&2
  exit 1
fi

# n random bytes as hex, from the kernel's generator.
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# Site address Caddy serves: the URL's host for https (automatic certificates), any host on port 80 for plain http.
case "$url" in
  https://*) site="${url#https://}"; site="${site%%/*}"; http_port=80; https_port=443 ;;
  *) site=":80"; http_port="$(echo "$url" | sed -n 's#^http://[^/:]*:\([0-9]*\).*#\1#p')"; https_port=8443
     [ -n "$http_port" ] || http_port=80 ;;
esac

umask 077
tmp="$file.tmp.$$"
cat > "$tmp" <<ENV
# Written by scripts/generate-env.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Secrets: keep this file private and backed up
# (losing MFA_ENCRYPTION_KEY makes enrolled second factors unreadable; NEXTAUTH_SECRET signs sessions).
KEYHOLD_URL=$url
SITE_ADDRESS=$site
KEYHOLD_HTTP_PORT=$http_port
KEYHOLD_HTTPS_PORT=$https_port
POSTGRES_PASSWORD=$(hex 24)
NEXTAUTH_SECRET=$(hex 32)
MFA_ENCRYPTION_KEY=$(hex 32)
KEYHOLD_SERVICE_TOKEN=$(hex 24)
METRICS_TOKEN=$(hex 24)
# SMTP_URL=smtp://user:password@mail.example.com:587
# MAIL_FROM=Keyhold <keys@example.com>
ENV
mv "$tmp" "$file"
echo "Wrote $file (mode 600). Next: docker compose up -d"

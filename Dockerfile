# Keyhold's image: dashboard + API (`web`), API alone (`api`), one-shot `migrate`, `admin create` (docker/entrypoint.sh).
# Build: docker build -t keyhold .   (another base with Node.js >= 20.19: --build-arg NODE_BASE=node:22-bookworm-slim)
ARG NODE_BASE=debian:trixie-slim

# Node.js from Debian's packages unless the base already has it; tini as PID 1 forwards SIGTERM to node.
FROM ${NODE_BASE} AS base
RUN set -eux; \
    apt-get update; \
    if command -v node >/dev/null; then apt-get install -y --no-install-recommends tini ca-certificates; \
    else apt-get install -y --no-install-recommends nodejs tini ca-certificates; fi; \
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*; \
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) {console.error("Node.js >= 20.19 needed, base has "+process.version); process.exit(1)}'

FROM base AS build
RUN set -eux; \
    if ! command -v npm >/dev/null; then apt-get update; apt-get install -y --no-install-recommends npm; rm -rf /var/lib/apt/lists/*; fi
# A TLS-intercepting egress proxy's CA (PEM text) for npm during the build only; the runtime stage never sees it.
# scripts/ci-docker.sh passes the host's locally added CAs: --build-arg EXTRA_CA_CERTS="$(cat /usr/local/share/ca-certificates/*.crt)"
ARG EXTRA_CA_CERTS=""
RUN if [ -n "$EXTRA_CA_CERTS" ]; then \
      printf '%s\n' "$EXTRA_CA_CERTS" > /usr/local/share/ca-certificates/build-extra.crt && update-ca-certificates >/dev/null; \
    fi
ENV npm_config_cafile=/etc/ssl/certs/ca-certificates.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
WORKDIR /app
# Dependencies first (cached while package manifests do not change); scripts run below once the sources are in.
COPY package.json package-lock.json ./
COPY packages/sdk/package.json packages/sdk/
COPY packages/cli/package.json packages/cli/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run db:generate && npm run build:packages && npx next build
# Production dependencies only; no build cache in the image.
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
    && node docker/prune-foreign-binaries.mjs node_modules \
    && rm -rf data .next/cache packages/*/src packages/*/node_modules/.cache /root/.npm \
    && ln -s /data/.next-cache .next/cache

FROM base AS runtime
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Keyhold" \
      org.opencontainers.image.description="Self-hostable API key management: dashboard, REST API and key verification" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/keyhold/keyhold" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
RUN useradd --uid 10001 --user-group --home-dir /data --no-create-home keyhold \
    && mkdir -p /data && chown keyhold:keyhold /data
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    NEXT_TELEMETRY_DISABLED=1
USER 10001:10001
VOLUME ["/data"]
EXPOSE 3000
# /api/health answers 503 while draining; the probe uses node (no curl in the image).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "/app/docker/entrypoint.sh"]
CMD ["web"]

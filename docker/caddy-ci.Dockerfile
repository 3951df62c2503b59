# Caddy from Debian's package, for compose.ci.yaml where the official caddy image cannot be pulled.
ARG BASE=debian:trixie-slim
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends caddy ca-certificates && rm -rf /var/lib/apt/lists/*
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]

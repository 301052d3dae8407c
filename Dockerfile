# syntax=docker/dockerfile:1
# The rampart binary (operator daemon, aggregator and tooling) in a minimal runtime image.
#
#   docker build -t rampart:0.1.0 .
#
# It runs as uid/gid 10001, the user the Helm chart (helm/rampart) sets, and needs no writable
# path besides its data directory and /tmp (the chart mounts the root filesystem read-only).

# Build stage: the official Rust image, matching the workspace's rust-version (1.94+).
FROM rust:1.95.0-bookworm AS builder
WORKDIR /src
COPY . .
# Cache mounts keep the registry and target dir between builds; the binary is copied out of the
# cached target dir in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p rampart \
    && install -D -m 0755 target/release/rampart /out/rampart

# Runtime stage: Debian bookworm (the builder's glibc) with CA certificates for HTTPS RPCs.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 rampart \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin rampart \
    && install -d -o 10001 -g 10001 -m 0750 /data
COPY --from=builder /out/rampart /usr/local/bin/rampart
USER 10001:10001
WORKDIR /data
# 9101: operator node API and /metrics; 9300: aggregator HTTP API and /metrics.
EXPOSE 9101 9300
ENTRYPOINT ["rampart"]
CMD ["--help"]

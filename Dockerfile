# pactwatch: build with dev dependencies, run with production ones only.
# Runs with a read-only root filesystem: it writes only to /data (the database) and /tmp.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when its prebuilt binary cannot be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# The production build compiles src/ only (tsconfig.build.json): no bench, scripts or test world.
COPY src ./src
COPY config ./config
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
# tini is PID 1, so SIGTERM reaches Node and zombies are reaped.
RUN apt-get update && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    PACTWATCH_CONFIG=/app/config \
    PACTWATCH_DB=/data/pactwatch.db \
    PACTWATCH_HOST=0.0.0.0 \
    PACTWATCH_PORT=8080
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
COPY assets ./assets
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# No curl in a slim image: the CLI asks the daemon's /healthz itself.
HEALTHCHECK --interval=30s --timeout=10s --retries=3 CMD ["node", "dist/src/bin.js", "health"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--max-semi-space-size=4", "--optimize-for-size", "--v8-pool-size=1", "dist/src/bin.js", "run"]

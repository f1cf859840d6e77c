# A first, minimal image: builds with dev dependencies, runs with production ones only.
# The operator issue hardens it (init process, health check, read-only root, the daemon).
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when its prebuilt binary cannot be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
COPY scripts ./scripts
COPY config ./config
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    PACTWATCH_CONFIG=/app/config \
    PACTWATCH_DB=/data/pactwatch.db \
    PACTWATCH_HOST=0.0.0.0
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/config ./config
COPY assets ./assets
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
ENTRYPOINT ["node", "dist/src/bin.js"]
# No daemon yet: the default run checks the shipped rules against their examples.
CMD ["rules", "test"]

#!/usr/bin/env bash
# Replays the Dockerfile's runtime stage without a Docker engine: the app built from src/ alone, with
# production dependencies only, in a temporary folder, then `pactwatch --help` and a short `run` that
# `pactwatch health` must find healthy, stopped with SIGTERM. Run by .ci/run after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
image=$(mktemp -d)
data=$(mktemp -d)
trap 'kill "$daemon" 2>/dev/null || true; rm -rf "$image" "$data"' EXIT

cp package.json package-lock.json "$image/"
cp -r node_modules config assets "$image/"
# The build stage's compile: src/ only, whatever else the working copy's dist/ holds.
node node_modules/typescript/bin/tsc -p tsconfig.build.json --outDir "$image/dist"
chmod 755 "$image/dist/src/bin.js"
test "$(ls "$image/dist")" = src || { echo "container-check: the production build compiled more than src/" >&2; exit 1; }
# What the runtime stage does: production dependencies only.
(cd "$image" && npm prune --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)
test ! -e "$image/node_modules/typescript" || { echo "container-check: dev dependency left in the image" >&2; exit 1; }

cd "$image"
node dist/src/bin.js --help >/dev/null
# The shipped sources are real sites: the check polls none of them.
printf 'sources: []\n' > config/sources.yaml
PACTWATCH_DB="$data/pactwatch.db" PACTWATCH_HOST=127.0.0.1 PACTWATCH_PORT=18089 node --max-semi-space-size=4 --optimize-for-size --v8-pool-size=1 dist/src/bin.js run 2>"$data/run.log" &
daemon=$!
for _ in $(seq 1 50); do
  if PACTWATCH_PORT=18089 node dist/src/bin.js health >/dev/null 2>&1; then healthy=1; break; fi
  sleep 0.2
done
if [ -z "${healthy:-}" ]; then echo "container-check: the daemon never became healthy" >&2; cat "$data/run.log" >&2; exit 1; fi
kill -TERM "$daemon"
wait "$daemon"
grep -q '"msg":"stopped"' "$data/run.log"
echo "container-check: production install runs; health answered; SIGTERM stopped it cleanly"

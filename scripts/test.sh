#!/usr/bin/env bash
# `npm test`: every test. Installs missing system packages and node modules, builds the client
# (the e2e tests drive the built app in Chromium), then runs all vitest projects.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
[ -d node_modules ] || npm ci
npm run --silent typecheck
npm run --silent lint
npm run --silent format:check
npm run --silent build >/dev/null
# the default report, then each file's duration (scripts/file-durations-reporter.ts)
npx vitest run --reporter=default --reporter=./scripts/file-durations-reporter.ts "$@"
# the files that touch the database once more, on PostgreSQL (scripts/test-pg.sh)
if [ $# -eq 0 ]; then bash scripts/test-pg.sh; fi

#!/usr/bin/env bash
# `npm run test:pg`: the integration files that touch the database, run again on PostgreSQL
# (TEST_DB=pg: one private cluster for the run, a database per test app, tests/helpers/test-db.ts).
# The *-dialects, store, pg-outage, backup and migration tests run on PostgreSQL in the ordinary
# pass already (they start their own cluster). Files still reading the SQLite handle directly
# (app.db) are not listed yet: docs/scale-out.md says which.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=(
  meetings-api organisers week-schedule users auth documents room-screen
  live-floor live-authz live-follow live-elections server-events
  minutes-flow invitations tasks written-opinions search
)
PATHS=()
for f in "${FILES[@]}"; do PATHS+=("tests/integration/$f.test.ts"); done
TEST_DB=pg exec npx vitest run --project integration "${PATHS[@]}" "$@"

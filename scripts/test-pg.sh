#!/usr/bin/env bash
# `npm run test:pg`: the integration files that touch the database, run again on PostgreSQL
# (TEST_DB=pg: one private cluster for the run, a database per test app, tests/helpers/test-db.ts).
# The *-dialects, store, pg-outage, backup and migration tests run on PostgreSQL in the ordinary
# pass already (they start their own cluster). Every integration file passes with TEST_DB=pg
# (`TEST_DB=pg npx vitest run --project integration`, ~8 min); this list keeps npm test short.
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=(
  meetings-api organisers week-schedule users auth documents room-screen
  live-floor live-authz live-follow live-elections server-events
  minutes-flow invitations tasks written-opinions search
  live-votes live-votes-recorded live-revocation live-restart group-commit login-throttle
  shared-database multi-process document-circulation confidential-documents fuzz-rest fuzz-socket metrics
  secret-ballot-forensics web-copy-claims
)
PATHS=()
for f in "${FILES[@]}"; do PATHS+=("tests/integration/$f.test.ts"); done
TEST_DB=pg exec npx vitest run --project integration "${PATHS[@]}" "$@"

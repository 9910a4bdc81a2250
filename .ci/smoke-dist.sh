#!/usr/bin/env bash
# The compiled build serves GraphQL: node dist/main.js (embedded default) answers a query, and node dist/worker.js
# starts in server mode against TEST_DATABASE_URL. Both are stopped with SIGTERM and must exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
api= worker=
trap 'kill $api $worker 2>/dev/null || true; rm -rf "$dir"' EXIT
port=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")

DOCSTORE_DATA_DIR="$dir/data" PORT=$port HOST=127.0.0.1 node dist/main.js >"$dir/api.log" 2>&1 &
api=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
token=$(cat "$dir/data/admin-token")
answer=$(curl -sf "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
  -H "authorization: Bearer $token" -d '{"query":"{ viewer { isAdmin } }"}')
echo "node dist/main.js answered: $answer"
[ "$answer" = '{"data":{"viewer":{"isAdmin":true}}}' ] || { cat "$dir/api.log"; exit 1; }
kill -TERM $api; wait $api

DATABASE_URL="$TEST_DATABASE_URL" DOCSTORE_SECRET_KEY=smoke-secret-key-0123456789abcdef-0123 \
  node dist/worker.js >"$dir/worker.log" 2>&1 &
worker=$!
for _ in $(seq 1 300); do grep -q 'worker started' "$dir/worker.log" && break; sleep 0.1; done
grep -q 'worker started' "$dir/worker.log" || { cat "$dir/worker.log"; exit 1; }
echo "node dist/worker.js started"
kill -TERM $worker; wait $worker

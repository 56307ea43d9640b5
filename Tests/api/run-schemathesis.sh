#!/usr/bin/env bash
# Checks the live API against its own OpenAPI document with schemathesis (PyPI):
# no 5xx (not_a_server_error) and every response matching its schema
# (response_schema_conformance). Starts `atende serve` on a free loopback port with a temporary
# data directory, creates the owner through the one-time setup link the server logs, makes an
# admin API token, and fuzzes every operation with it. Bounded: a few examples per operation
# and a time budget, so the run stays under 3 minutes. Its coverage phase also sends requests
# without valid credentials on purpose; the 401/403 answers it warns about are those.
#
# Usage: Tests/api/run-schemathesis.sh [ATENDE_BIN]
#   ATENDE_BIN  the binary to serve with (default: the built `atende`); it must accept
#               `serve --data DIR --host 127.0.0.1 --port N --master-key FILE`.
# Env: SCHEMATHESIS_MAX_EXAMPLES (default 20), SCHEMATHESIS_MAX_TIME (seconds, default 120).
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN="${1:-${ATENDE_BIN:-}}"
if [[ -z "$BIN" ]]; then
    BIN="$(swift build --show-bin-path)/atende"
fi
[[ -x "$BIN" ]] || { echo "error: $BIN is not an executable; build it first (swift build --product atende)" >&2; exit 64; }

if ! command -v schemathesis >/dev/null 2>&1; then
    python3 -m pip install --quiet 'schemathesis>=4,<5'
fi
schemathesis --version

WORK="$(mktemp -d /tmp/atende-schemathesis.XXXXXX)"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"
mkdir -p "$WORK/data"
"$BIN" serve --data "$WORK/data" --host 127.0.0.1 --port "$PORT" --master-key "$WORK/master.key" \
    >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!

# Wait for the setup link (logged once the port is open; the one-time token is in it).
TOKEN=""
for _ in $(seq 1 150); do
    TOKEN="$(grep -hoE 'setup\?token=[A-Za-z0-9_-]+' "$WORK/server.out" "$WORK/server.err" | head -1 | cut -d= -f2 || true)"
    [[ -n "$TOKEN" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "error: the server exited:" >&2; cat "$WORK/server.err" >&2; exit 1; }
    sleep 0.2
done
[[ -n "$TOKEN" ]] || { echo "error: no setup link in the server log" >&2; tail -20 "$WORK/server.err" >&2; exit 1; }

# Owner through setup (browser-style: cookie + CSRF header), then an admin API token.
curl -fsS -c "$WORK/cookies" -H 'Content-Type: application/json' -H 'X-Atende-CSRF: 1' \
    -d "{\"token\":\"$TOKEN\",\"name\":\"Owner\",\"email\":\"owner@example.com\",\"password\":\"correct horse battery staple\"}" \
    "$BASE/api/v1/setup" >/dev/null
SECRET="$(curl -fsS -b "$WORK/cookies" -H 'Content-Type: application/json' -H 'X-Atende-CSRF: 1' \
    -d '{"name":"schemathesis","role":"admin"}' "$BASE/api/v1/tokens" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"

set +e
# From the temporary directory: schemathesis keeps its example database in ./.schemathesis.
(cd "$WORK" && schemathesis run "$BASE/api/openapi.json" \
    --checks not_a_server_error,response_schema_conformance \
    --header "Authorization: Bearer $SECRET" \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-20}" \
    --max-time "${SCHEMATHESIS_MAX_TIME:-120}" \
    --phases examples,coverage,fuzzing \
    --workers 1 \
    --seed 4 \
    --request-timeout 10 \
    --suppress-health-check all)
STATUS=$?
set -e
if [[ $STATUS -ne 0 ]]; then
    echo "schemathesis found problems (exit $STATUS); server log tail:" >&2
    tail -20 "$WORK/server.err" >&2
fi
exit $STATUS

#!/usr/bin/env bash
# Checks the live API against its own OpenAPI document with schemathesis (PyPI):
# no 5xx (not_a_server_error) and every response matching its schema
# (response_schema_conformance). Starts `atende serve` on a free loopback port with a temporary
# data directory, creates the owner through the one-time setup link the server logs, and fuzzes
# every operation twice: with an Admin API token, then as the owner's browser session (cookie and
# CSRF header), so the
# session-only operations are fuzzed too. Each pass leaves out the one operation that would end
# its own credentials (revoking the token; signing out). Bounded: a few examples per operation and a time
# budget per pass, so the run stays under 4 minutes. Its coverage phase also sends requests
# without valid credentials on purpose; the 401/403 answers it warns about are those. The Graph
# API is pointed at a closed loopback port: nothing leaves the machine.
#
# Usage: Tests/api/run-schemathesis.sh [ATENDE_BIN]
#   ATENDE_BIN  the binary to serve with (default: the built `atende`); it must accept
#               `serve --data DIR --host 127.0.0.1 --port N --master-key FILE`.
# Env: SCHEMATHESIS_MAX_EXAMPLES (default 20), SCHEMATHESIS_MAX_TIME (seconds per pass, default 100).
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
    --whatsapp-graph-url http://127.0.0.1:9 --twilio-api-url http://127.0.0.1:9 \
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

# Owner through setup (browser-style: cookie + CSRF header).
curl -fsS -c "$WORK/cookies" -H 'Content-Type: application/json' -H 'X-Atende-CSRF: 1' \
    -d "{\"token\":\"$TOKEN\",\"name\":\"Owner\",\"email\":\"owner@example.com\",\"password\":\"correct horse battery staple\"}" \
    "$BASE/api/v1/setup" >/dev/null

SESSION="$(awk '$6 ~ /atende_sid$/ { print $7 }' "$WORK/cookies" | tail -1)"
[[ -n "$SESSION" ]] || { echo "error: no session cookie after setup" >&2; exit 1; }

# The credentials of each pass, bound to the document's security schemes (so schemathesis does
# not invent a bearer token beside the session cookie): its config files are written here, in
# the temporary directory, never in the repository.
printf 'headers = { X-Atende-CSRF = "1" }\n[auth.openapi.session]\napi_key = "%s"\n' "$SESSION" >"$WORK/session.toml"

# One pass: schemathesis with the config file $1 and any extra options.
fuzz() {
    local config="$1"; shift
    # From the temporary directory: schemathesis keeps its example database in ./.schemathesis.
    (cd "$WORK" && schemathesis --config-file "$config" run "$BASE/api/openapi.json" \
        --checks not_a_server_error,response_schema_conformance \
        --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-20}" \
        --max-time "${SCHEMATHESIS_MAX_TIME:-100}" \
        --phases examples,coverage,fuzzing \
        --workers 1 \
        --seed 4 \
        --request-timeout 10 \
        --suppress-health-check all \
        "$@")
}

set +e
# The session first: the token pass may rightly reset the owner's password or disable them
# (another admin exists by then), which ends their sessions.
echo "== pass 1: the owner's browser session"
# testTwilio asks Twilio itself (here a closed port): its documented answer to an unreachable
# provider is 502 provider_refused, which the no-5xx check cannot tell from a crash. It is
# tested in TwilioWebhookAPITests and TelephonyTests against a fake Twilio.
fuzz "$WORK/session.toml" --exclude-operation-id logout --exclude-operation-id testTwilio
SESSION_STATUS=$?
echo "== pass 2: an Admin API token (made now, so the first pass cannot revoke it)"
SECRET="$(curl -fsS -H "Cookie: atende_sid=$SESSION" -H 'Content-Type: application/json' -H 'X-Atende-CSRF: 1' \
    -d '{"name":"schemathesis","role":"admin"}' "$BASE/api/v1/tokens" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
[[ -n "$SECRET" ]] || { echo "error: the session could not make an API token after its pass" >&2; exit 1; }
printf '[auth.openapi.bearer]\nbearer = "%s"\n' "$SECRET" >"$WORK/token.toml"
# (Schemathesis learns ids from answers: left free, it revokes its own token half-way through.)
fuzz "$WORK/token.toml" --exclude-operation-id revokeToken --exclude-operation-id testTwilio
STATUS=$?
set -e
[[ $STATUS -ne 0 ]] || STATUS=$SESSION_STATUS
if [[ $STATUS -ne 0 ]]; then
    echo "schemathesis found problems (exit $STATUS); server log tail:" >&2
    tail -20 "$WORK/server.err" >&2
fi
exit $STATUS

#!/usr/bin/env bash
# Checks the live API against its own OpenAPI document with schemathesis (PyPI): no 5xx but a
# documented 502 provider_refused (no_undocumented_server_error, in the hooks) and every
# response matching its schema (response_schema_conformance).
#
# Starts `atende serve` on a free loopback port with a temporary data directory, Meta's Graph API
# and Twilio played by the browser tests' fakes (Tests/api/fake_providers.py: nothing leaves the
# machine), creates the owner through the one-time setup link the server logs, connects a
# WhatsApp number and Twilio, and fuzzes in three passes:
#   1. the webhooks, while the channels are as connected: Tests/api/schemathesis_hooks.py signs
#      most generated bodies as Meta and Twilio do, over the exact bytes and URL sent, so the
#      parsers behind the signature are fuzzed, not only the refusals; and /api/v1/session (the
#      one pass where signing out may end the session it runs on: the target admin's);
#   2. every operation as the owner's browser session (cookie and CSRF header), so the
#      session-only operations are fuzzed too;
#   3. every operation with an Admin API token.
# Passes 2 and 3 leave out what would end their own credentials: pass 2 signing out and signing
# in (a sign-in ends the session its browser sent: schemathesis sends the pass's session cookie
# with the form, and the hooks make it the Agent's valid sign-in), pass 3 revoking the token. And
# staff changes are pinned to a second admin made for the purpose, so no pass can disable or
# demote the owner it runs as. The hooks sign in as a third member, that Agent, whose sessions
# are the ones the ten-per-account cap ends. The run fails on any check's
# failure, and if any operation answered only 401/403 in every pass (not really fuzzed).
# Bounded: a few examples per operation and a time budget per pass (about 5 minutes in all).
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
SERVER_PID="" FAKES_PID=""
cleanup() {
    for pid in "$SERVER_PID" "$FAKES_PID"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# The secrets of this run (the hooks sign with them) and the fakes that know them.
TWILIO_SID="AC$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
export ATENDE_FUZZ_APP_SECRET="app-secret-$RANDOM$RANDOM" ATENDE_FUZZ_VERIFY_TOKEN="verify-$RANDOM$RANDOM"
export ATENDE_FUZZ_TWILIO_TOKEN="twilio-token-$RANDOM$RANDOM"
export ATENDE_FUZZ_EMAIL="agent@example.com" ATENDE_FUZZ_PASSWORD="an agent's long passphrase"
python3 -u Tests/api/fake_providers.py "$TWILIO_SID" "$ATENDE_FUZZ_TWILIO_TOKEN" >"$WORK/fakes.out" &
FAKES_PID=$!
for _ in $(seq 1 100); do [[ -s "$WORK/fakes.out" ]] && break; sleep 0.1; done
read -r GRAPH_URL TWILIO_URL <"$WORK/fakes.out" || { echo "error: the fake providers did not start" >&2; exit 1; }

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"
mkdir -p "$WORK/data"
# public_url: what Twilio's signatures cover (the hooks sign for the URL they call).
ATENDE_PUBLIC_URL="$BASE" "$BIN" serve --data "$WORK/data" --host 127.0.0.1 --port "$PORT" --master-key "$WORK/master.key" \
    --whatsapp-graph-url "$GRAPH_URL" --twilio-api-url "$TWILIO_URL" \
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

# The session cookie a browser-style POST (cookie + CSRF header) of JSON $2 to $1 is given.
session_from() {
    curl -fsS -c - -H 'Content-Type: application/json' -H 'X-Atende-CSRF: 1' -d "$2" "$BASE$1" \
        | awk '$6 ~ /atende_sid$/ { print $7 }' | tail -1
}
# Owner through setup.
SESSION="$(session_from /api/v1/setup \
    "{\"token\":\"$TOKEN\",\"name\":\"Owner\",\"email\":\"owner@example.com\",\"password\":\"correct horse battery staple\"}")"
[[ -n "$SESSION" ]] || { echo "error: no session cookie after setup" >&2; exit 1; }

# As the owner: $1 method, $2 path, $3 JSON body; prints the answer, fails on an error status.
owner() {
    curl -fsS -X "$1" -H "Cookie: atende_sid=$SESSION" -H 'Content-Type: application/json' -H 'X-Atende-CSRF: 1' \
        -d "$3" "$BASE$2"
}
owner POST /api/v1/channels "{\"name\":\"Front desk\",\"phone_number_id\":\"106540352242922\",\"waba_id\":\"102290129340398\",
    \"access_token\":\"EAAG-good-token-7f3a\",\"app_secret\":\"$ATENDE_FUZZ_APP_SECRET\",\"verify_token\":\"$ATENDE_FUZZ_VERIFY_TOKEN\"}" >/dev/null
owner PUT /api/v1/channels/twilio "{\"account_sid\":\"$TWILIO_SID\",\"auth_token\":\"$ATENDE_FUZZ_TWILIO_TOKEN\",\"numbers\":[\"+15550100002\"]}" >/dev/null
owner POST /api/v1/staff "{\"name\":\"Agent\",\"email\":\"$ATENDE_FUZZ_EMAIL\",\"role\":\"agent\",\"password\":\"$ATENDE_FUZZ_PASSWORD\"}" >/dev/null
TARGET="$(owner POST /api/v1/staff '{"name":"Fuzz Target","email":"target@example.com","role":"admin","password":"a target long passphrase"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"

# Each pass's config file (written here, in the temporary directory, never in the repository):
# its credentials, bound to the document's security schemes (so schemathesis does not invent a
# bearer token beside the session cookie), and the staff changes pinned to the target.
PINNED="$(printf '[[operations]]\ninclude-operation-id = ["updateStaff", "resetStaffPassword"]\nparameters = { id = "%s" }' "$TARGET")"
# Pass 1 runs as the target (its sessions are not the ones the hooks' sign-ins push out).
TARGET_SESSION="$(session_from /api/v1/session '{"email":"target@example.com","password":"a target long passphrase"}')"
[[ -n "$TARGET_SESSION" ]] || { echo "error: the target could not sign in" >&2; exit 1; }
# A session pass's config: $1 the session, $2 anything more.
session_config() { printf 'headers = { X-Atende-CSRF = "1" }\n[auth.openapi.session]\napi_key = "%s"\n%s\n' "$1" "${2:-}"; }
session_config "$TARGET_SESSION" >"$WORK/webhooks.toml"
session_config "$SESSION" "$PINNED" >"$WORK/session.toml"

export ATENDE_FUZZ_BASE="$BASE" ATENDE_FUZZ_RECORD="$WORK/answers.txt"
export SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$PWD/Tests/api${PYTHONPATH:+:$PYTHONPATH}"

# One pass: schemathesis with the config file $1 and any extra options.
fuzz() {
    local config="$1"; shift
    # From the temporary directory: schemathesis keeps its example database in ./.schemathesis.
    (cd "$WORK" && schemathesis --config-file "$config" run "$BASE/api/openapi.json" \
        --checks no_undocumented_server_error,response_schema_conformance \
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
echo "== pass 1: the webhooks, signed; signing in and out"
fuzz "$WORK/webhooks.toml" --max-time 60 --include-path-regex '^/(webhooks/|api/v1/session$)'
WEBHOOKS_STATUS=$?
# The session before the token: the token pass may rightly reset the owner's password or disable
# them (another admin exists by then), which ends their sessions.
echo "== pass 2: the owner's browser session"
fuzz "$WORK/session.toml" --exclude-operation-id logout --exclude-operation-id login
SESSION_STATUS=$?
echo "== pass 3: an Admin API token (made now, so the session pass cannot revoke it)"
SECRET="$(owner POST /api/v1/tokens '{"name":"schemathesis","role":"admin"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
[[ -n "$SECRET" ]] || { echo "error: the session could not make an API token after its pass" >&2; exit 1; }
printf '[auth.openapi.bearer]\nbearer = "%s"\n%s\n' "$SECRET" "$PINNED" >"$WORK/token.toml"
# (Schemathesis learns ids from answers: left free, it revokes its own token half-way through.)
fuzz "$WORK/token.toml" --exclude-operation-id revokeToken
STATUS=$?
set -e
for status in $SESSION_STATUS $WEBHOOKS_STATUS; do [[ $STATUS -ne 0 ]] || STATUS=$status; done
# Every operation must have been answered past its credentials at least once, in some pass.
if ! python3 - "$WORK/answers.txt" <<'PY'
import collections, sys
answers = collections.defaultdict(set)
for line in open(sys.argv[1], encoding="utf-8"):
    method, path, status = line.split()
    answers[f"{method} {path}"].add(int(status))
stuck = sorted(operation for operation, statuses in answers.items() if statuses <= {401, 403})
print(f"{len(answers)} operations called; {len(answers) - len(stuck)} answered past their credentials")
for operation in stuck:
    print(f"error: {operation} answered only {sorted(answers[operation])}", file=sys.stderr)
sys.exit(1 if stuck else 0)
PY
then
    STATUS=1
fi
if [[ $STATUS -ne 0 ]]; then
    echo "schemathesis found problems (exit $STATUS); server log tail:" >&2
    tail -20 "$WORK/server.err" >&2
fi
exit $STATUS

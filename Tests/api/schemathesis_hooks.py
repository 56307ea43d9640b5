"""schemathesis hooks for Tests/api/run-schemathesis.sh (loaded through SCHEMATHESIS_HOOKS).

Webhooks are signed, not signed in: without a valid signature every fuzzed body is refused 403
before it is read, so the parsers behind them would never be fuzzed. These hooks sign most
generated webhook requests the way Meta and Twilio do, over the exact bytes and URL about to be
sent, and give the verify handshake and the sign-in form the real token and credentials on most
calls. One call in four is left as generated, so refusals stay fuzzed too.

The no-5xx check is ours: a 502 `provider_refused` is the documented answer of the operations
that ask Meta or Twilio something (the fakes refuse what the fuzzer's own changes make wrong, a
token or a PIN), so it passes where the operation's summary documents "502 provider_refused"
(errors are the document's `default` response); any other 5xx fails.

Every answer is recorded (operation and status, one line each) in ATENDE_FUZZ_RECORD, so the
script can prove that no operation answered only 401/403.

Env: ATENDE_FUZZ_BASE, ATENDE_FUZZ_APP_SECRET, ATENDE_FUZZ_VERIFY_TOKEN, ATENDE_FUZZ_TWILIO_TOKEN,
ATENDE_FUZZ_EMAIL, ATENDE_FUZZ_PASSWORD, ATENDE_FUZZ_RECORD.
"""
import base64
import hashlib
import hmac
import json
import os
import zlib
from urllib.parse import parse_qsl

import requests
import schemathesis

ENV = os.environ


def _left_as_generated(case):
    """One case in four (by a stable hash of what was generated) keeps its generated credentials."""
    seed = repr((case.operation.label, case.query, case.body, case.headers)).encode()
    return zlib.crc32(seed) % 4 == 0


def _prepared(case):
    """The request exactly as the requests transport will send it (body bytes, URL with query)."""
    kwargs = case.as_transport_kwargs(base_url=ENV["ATENDE_FUZZ_BASE"])
    request = requests.Request(method=kwargs["method"], url=kwargs["url"], headers=kwargs.get("headers"),
                               params=kwargs.get("params"), data=kwargs.get("data"), json=kwargs.get("json"))
    prepared = request.prepare()
    body = prepared.body or b""
    return prepared, body.encode("utf-8") if isinstance(body, str) else body


def _set_header(case, name, value):
    headers = dict(case.headers or {})
    for key in [key for key in headers if key.lower() == name.lower()]:
        del headers[key]
    headers[name] = value
    case.headers = headers


@schemathesis.hook
def before_call(context, case, kwargs):
    path, method = case.operation.path, case.method.upper()
    if _left_as_generated(case):
        return
    if path == "/webhooks/whatsapp" and method == "GET":
        query = dict(case.query or {})
        query["hub.mode"] = "subscribe"
        query["hub.verify_token"] = ENV["ATENDE_FUZZ_VERIFY_TOKEN"]
        query.setdefault("hub.challenge", "1158201444")
        case.query = query
    elif path == "/webhooks/whatsapp" and method == "POST":
        _, body = _prepared(case)
        mac = hmac.new(ENV["ATENDE_FUZZ_APP_SECRET"].encode(), body, hashlib.sha256).hexdigest()
        _set_header(case, "X-Hub-Signature-256", f"sha256={mac}")
    elif path.startswith("/webhooks/twilio/"):
        prepared, body = _prepared(case)
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            return
        distinct = sorted(set(pairs))
        signed = prepared.url + "".join(name + value for name, value in distinct)
        mac = hmac.new(ENV["ATENDE_FUZZ_TWILIO_TOKEN"].encode(), signed.encode("utf-8"), hashlib.sha1).digest()
        _set_header(case, "X-Twilio-Signature", base64.b64encode(mac).decode())
    elif path == "/api/v1/session" and method == "POST":
        case.body = {"email": ENV["ATENDE_FUZZ_EMAIL"], "password": ENV["ATENDE_FUZZ_PASSWORD"]}


@schemathesis.hook
def after_call(context, case, response):
    with open(ENV["ATENDE_FUZZ_RECORD"], "a", encoding="utf-8") as record:
        record.write(f"{case.operation.label} {response.status_code}\n")


@schemathesis.check
def no_undocumented_server_error(ctx, response, case):
    """No 5xx, except a 502 provider_refused from an operation whose summary documents it."""
    if response.status_code < 500:
        return
    if response.status_code == 502 and "502 provider_refused" in case.operation.definition.raw.get("summary", ""):
        try:
            code = json.loads(response.content)["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = None
        if code == "provider_refused":
            return
    raise AssertionError(f"Server error {response.status_code}: {response.content[:300]!r}")

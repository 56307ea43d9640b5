"""A small fake of Google's OAuth 2.0 and Calendar API v3 on loopback, for the dashboard's
Google Calendar card: the consent page (GET /o/oauth2/v2/auth, which "consents" at once and
redirects to the redirect URI with a code and the state), the token endpoint (POST /token,
authorization_code with PKCE, and refresh_token), POST /revoke, POST /calendar/v3/freeBusy and
events inserted, patched and deleted, answering in Google's documented JSON."""

import base64
import datetime
import hashlib
import http.server
import json
import threading
import time
import urllib.parse

CLIENT_ID = "1234567890-browser.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-browser-secret"


def _parse(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _format(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeGoogle:
    def __init__(self):
        self.lock = threading.Lock()
        self.codes = {}
        self.refresh_tokens = set()
        self.access_tokens = set()
        self.revoked = set()
        self.busy = []          # (start, end) datetimes of the primary calendar
        self.events = {}        # id -> event JSON as stored
        self.requests = []
        self.counter = 0
        self.refuse_inserts = None    # (status, reason, message): event inserts answer this error
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body=None, headers=None):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def calendar_error(self, status, reason, message):
                return self.answer(status, {"error": {"code": status, "message": message,
                                                      "errors": [{"domain": "global", "reason": reason, "message": message}]}})

            def body(self):
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length).decode()

            def bearer_ok(self):
                auth = self.headers.get("Authorization", "")
                with fake.lock:
                    return auth.startswith("Bearer ") and auth[7:] in fake.access_tokens

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                with fake.lock:
                    fake.requests.append(("GET", url.path))
                if url.path != "/o/oauth2/v2/auth":
                    return self.answer(404, {"error": "not_found"})
                query = dict(urllib.parse.parse_qsl(url.query))
                if (query.get("client_id") != CLIENT_ID or query.get("response_type") != "code"
                        or query.get("access_type") != "offline" or query.get("code_challenge_method") != "S256"):
                    return self.answer(400, {"error": "invalid_request"})
                with fake.lock:
                    fake.counter += 1
                    code = f"4/0browser-code-{fake.counter}"
                    fake.codes[code] = (query["redirect_uri"], query["code_challenge"])
                target = query["redirect_uri"] + "?" + urllib.parse.urlencode(
                    {"state": query["state"], "code": code, "scope": query.get("scope", "")})
                return self.answer(302, None, {"Location": target})

            def do_POST(self):
                url = urllib.parse.urlsplit(self.path)
                raw = self.body()
                with fake.lock:
                    fake.requests.append(("POST", url.path))
                if url.path == "/token":
                    form = dict(urllib.parse.parse_qsl(raw))
                    if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                        return self.answer(401, {"error": "invalid_client", "error_description": "The OAuth client was not found."})
                    with fake.lock:
                        fake.counter += 1
                        access = f"ya29.browser-{fake.counter}"
                        if form.get("grant_type") == "authorization_code":
                            grant = fake.codes.pop(form.get("code"), None)
                            verifier = form.get("code_verifier", "")
                            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
                            if grant is None or grant != (form.get("redirect_uri"), challenge):
                                return self.answer(400, {"error": "invalid_grant", "error_description": "Malformed auth code."})
                            refresh = f"1//browser-refresh-{fake.counter}"
                            fake.refresh_tokens.add(refresh)
                            fake.access_tokens.add(access)
                            return self.answer(200, {"access_token": access, "expires_in": 3599, "refresh_token": refresh,
                                                     "scope": "https://www.googleapis.com/auth/calendar", "token_type": "Bearer"})
                        if form.get("grant_type") == "refresh_token":
                            token = form.get("refresh_token")
                            if token not in fake.refresh_tokens or token in fake.revoked:
                                return self.answer(400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
                            fake.access_tokens.add(access)
                            return self.answer(200, {"access_token": access, "expires_in": 3599, "token_type": "Bearer"})
                    return self.answer(400, {"error": "unsupported_grant_type"})
                if url.path == "/revoke":
                    with fake.lock:
                        fake.revoked.add(dict(urllib.parse.parse_qsl(raw)).get("token"))
                    return self.answer(200, {})
                if not self.bearer_ok():
                    return self.calendar_error(401, "authError", "Invalid Credentials")
                body = json.loads(raw or "{}")
                if url.path == "/calendar/v3/freeBusy":
                    low, high = _parse(body["timeMin"]), _parse(body["timeMax"])
                    with fake.lock:
                        intervals = list(fake.busy) + [(_parse(e["start"]["dateTime"]), _parse(e["end"]["dateTime"]))
                                                       for e in fake.events.values() if e.get("status") != "cancelled"]
                    busy = [{"start": _format(max(s, low)), "end": _format(min(e, high))} for s, e in sorted(intervals) if e > low and s < high]
                    calendars = {item["id"]: ({"busy": busy} if item["id"] == "primary"
                                              else {"busy": [], "errors": [{"domain": "global", "reason": "notFound"}]})
                                 for item in body.get("items", [])}
                    return self.answer(200, {"kind": "calendar#freeBusy", "timeMin": body["timeMin"], "timeMax": body["timeMax"],
                                             "calendars": calendars})
                if url.path == "/calendar/v3/calendars/primary/events":
                    with fake.lock:
                        if fake.refuse_inserts:
                            return self.calendar_error(*fake.refuse_inserts)
                        if body["id"] in fake.events:
                            return self.calendar_error(409, "duplicate", "The requested identifier already exists.")
                        fake.events[body["id"]] = body
                    return self.answer(200, {"kind": "calendar#event", **body})
                return self.calendar_error(404, "notFound", "Not Found")

            def do_PATCH(self):
                url = urllib.parse.urlsplit(self.path)
                raw = self.body()
                with fake.lock:
                    fake.requests.append(("PATCH", url.path))
                if not self.bearer_ok():
                    return self.calendar_error(401, "authError", "Invalid Credentials")
                event_id = urllib.parse.unquote(url.path.rsplit("/", 1)[-1])
                with fake.lock:
                    if event_id not in fake.events:
                        return self.calendar_error(404, "notFound", "Not Found")
                    fake.events[event_id].update(json.loads(raw or "{}"))
                    event = dict(fake.events[event_id])
                return self.answer(200, {"kind": "calendar#event", **event})

            def do_DELETE(self):
                url = urllib.parse.urlsplit(self.path)
                with fake.lock:
                    fake.requests.append(("DELETE", url.path))
                if not self.bearer_ok():
                    return self.calendar_error(401, "authError", "Invalid Credentials")
                event_id = urllib.parse.unquote(url.path.rsplit("/", 1)[-1])
                with fake.lock:
                    event = fake.events.get(event_id)
                    if event is None:
                        return self.calendar_error(404, "notFound", "Not Found")
                    if event.get("status") == "cancelled":
                        return self.calendar_error(410, "deleted", "Resource has been deleted")
                    event["status"] = "cancelled"
                return self.answer(204)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, predicate, what, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [e for e in self.events.values() if predicate(e)]
            if found:
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"{what}: events are {self.events}")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

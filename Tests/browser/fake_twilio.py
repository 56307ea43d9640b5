"""A small fake of Twilio's REST API on loopback: sends (POST …/Messages.json, answered 201 with a
new SM id and recorded as parsed forms) and the account (GET /2010-04-01/Accounts/{sid}.json, for
Test connection). Requests with other Basic credentials than the configured ones are refused
with Twilio's 20003 error."""

import base64
import http.server
import json
import re
import threading
import time
import urllib.parse

from twilio_signer import sid


class FakeTwilio:
    def __init__(self, account_sid, auth_token):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.messages = []
        self.requests = []
        self.lock = threading.Lock()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def authorised(self):
                expected = base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
                return self.headers.get("Authorization") == f"Basic {expected}"

            def refuse(self):
                return self.answer(401, {"code": 20003, "message": "Authenticate", "status": 401,
                                         "more_info": "https://www.twilio.com/docs/errors/20003"})

            def do_GET(self):
                with fake.lock:
                    fake.requests.append(("GET", self.path))
                if not self.authorised():
                    return self.refuse()
                if self.path.split("?")[0] == f"/2010-04-01/Accounts/{fake.account_sid}.json":
                    return self.answer(200, {"sid": fake.account_sid, "friendly_name": "Test", "status": "active", "type": "Full"})
                return self.answer(404, {"code": 20404, "message": "Not found", "status": 404})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
                with fake.lock:
                    fake.requests.append(("POST", self.path))
                if not self.authorised():
                    return self.refuse()
                if re.fullmatch(rf"/2010-04-01/Accounts/{fake.account_sid}/Messages\.json", self.path):
                    message_sid = sid("SM")
                    with fake.lock:
                        fake.messages.append(form)
                    return self.answer(201, {"sid": message_sid, "status": "queued", "to": form.get("To"),
                                             "from": form.get("From"), "body": form.get("Body"), "account_sid": fake.account_sid})
                return self.answer(404, {"code": 20404, "message": "Not found", "status": 404})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for_message(self, predicate, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                found = [m for m in self.messages if predicate(m)]
            if found:
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"no matching SMS sent; got {self.messages}")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

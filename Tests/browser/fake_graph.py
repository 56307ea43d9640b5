"""A small fake of Meta's Graph API on loopback, shared by the browser tests of Settings →
Channels and Templates: the number's details, the paged template list, template create / edit /
delete (each request recorded with its exact body), and sends. Plus the JSON-API session and
signed-webhook helpers those tests use. Media uploads (`POST /{phone}/media`, multipart as
wire-protocols.md §2.8 documents) are parsed into `uploads` and answered with a new media id."""

import email.parser
import email.policy
import hashlib
import hmac
import http.server
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

PHONE_ID = "106540352242922"
WABA_ID = "102290129340398"
GOOD_TOKEN = "EAAG-good-token-7f3a"
WRONG_TOKEN = "EAAG-wrong-token-91c2"
APP_SECRET = "app-secret-5b1e-d0c4"
VERIFY_TOKEN = "verify-phrase-8c2d"
SECRETS = [GOOD_TOKEN, WRONG_TOKEN, APP_SECRET, VERIFY_TOKEN]

# Embedded Signup: the Meta app (its secret is APP_SECRET, so webhooks signed with it pass), the
# code Facebook's pop-up hands over, and the PIN that registers the number.
APP_ID = "1234567890123"
LOGIN_CONFIG_ID = "9876543210"
SIGNUP_CODE = "AQD-signup-code-4e1f"
SIGNUP_PIN = "581063"
AGENT = {"name": "Rui Agent", "email": "rui@example.com", "password": "agent long passphrase"}

TEMPLATES = [
    {"id": "9001", "name": "appointment_reminder", "language": "pt_BR", "category": "UTILITY", "status": "APPROVED",
     "components": [
         {"type": "HEADER", "format": "TEXT", "text": "Consulta {{1}}"},
         {"type": "BODY", "text": "Olá {{1}}, sua consulta é {{2}} às {{3}}."},
         {"type": "FOOTER", "text": "Clínica Sol"},
         {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Confirmar"},
                                         {"type": "URL", "text": "Remarcar", "url": "https://example.com/r/{{1}}"}]}]},
    {"id": "9002", "name": "summer_promo", "language": "en_US", "category": "MARKETING", "status": "REJECTED",
     "components": [{"type": "BODY", "text": "Big sale!"}]},
    {"id": "9003", "name": "new_hours", "language": "en_US", "category": "UTILITY", "status": "PENDING",
     "components": [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "We now open at {{1}}."}]},
    {"id": "9004", "name": "old_offer", "language": "en_US", "category": "MARKETING", "status": "PAUSED",
     "components": [{"type": "BODY", "text": "Old offer"}]},
    {"id": "9005", "name": "legacy_notice", "language": "en_US", "category": "UTILITY", "status": "DISABLED",
     "components": [{"type": "BODY", "text": "Legacy"}]},
]

TOKEN_EXPIRED = {"error": {"message": "Error validating access token: Session has expired.", "type": "OAuthException",
                           "code": 190, "error_subcode": 463, "fbtrace_id": "AbCdEf123"}}


class FakeGraph:
    """A tiny Graph API: the number's details, the paged template list, and sends answered with
    code 190 (the token expired) once `refuse_sends` is set. Template submissions are answered
    PENDING with a new id, or with `refuse_template` (status, Graph error body) once when set;
    edits answer success, deletes too."""

    def __init__(self):
        self.requests = []
        # Embedded Signup's numbers of WABA_ID: one new to the Cloud API (it needs its PIN).
        self.signup_numbers = [{"id": PHONE_ID, "display_phone_number": "+55 11 3333-0100", "verified_name": "Clínica Sol",
                                "code_verification_status": "VERIFIED", "platform_type": "NOT_APPLICABLE"}]
        self.refuse_sends = False
        self.refuse_template = None
        self.next_template_id = 7001
        self.uploads = []
        self.next_media_id = 4490709327384000
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
                return self.headers.get("Authorization") == f"Bearer {GOOD_TOKEN}"

            def do_GET(self):
                fake.requests.append(("GET", self.path, dict(self.headers)))
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query)
                # Embedded Signup's two app-level calls (no business token yet).
                if url.path == "/v22.0/oauth/access_token":
                    if query != {"client_id": [APP_ID], "client_secret": [APP_SECRET], "code": [SIGNUP_CODE]}:
                        return self.answer(400, {"error": {"message": "This authorization code has been used.",
                                                           "type": "OAuthException", "code": 100}})
                    return self.answer(200, {"access_token": GOOD_TOKEN, "token_type": "bearer"})
                if url.path == "/v22.0/debug_token":
                    if self.headers.get("Authorization") != f"Bearer {APP_ID}|{APP_SECRET}" or query != {"input_token": [GOOD_TOKEN]}:
                        return self.answer(400, TOKEN_EXPIRED)
                    return self.answer(200, {"data": {"app_id": APP_ID, "type": "SYSTEM_USER", "is_valid": True,
                                                      "scopes": ["whatsapp_business_management", "whatsapp_business_messaging"],
                                                      "granular_scopes": [{"scope": "whatsapp_business_management", "target_ids": [WABA_ID]},
                                                                          {"scope": "whatsapp_business_messaging", "target_ids": [WABA_ID]}]}})
                if not self.authorised():
                    return self.answer(401, TOKEN_EXPIRED)
                if url.path == f"/v22.0/{PHONE_ID}":
                    return self.answer(200, {"display_phone_number": "+55 11 3333-0100", "verified_name": "Clínica Sol",
                                             "quality_rating": "GREEN", "id": PHONE_ID})
                if url.path == f"/v22.0/{WABA_ID}/phone_numbers":
                    return self.answer(200, {"data": fake.signup_numbers})
                if url.path == f"/v22.0/{WABA_ID}/message_templates":
                    # Two pages: the client must follow paging.next on the same host.
                    if query.get("after") == ["page2"]:
                        return self.answer(200, {"data": TEMPLATES[3:], "paging": {"cursors": {"before": "b", "after": "c"}}})
                    next_url = f"{fake.url}/v22.0/{WABA_ID}/message_templates?after=page2"
                    return self.answer(200, {"data": TEMPLATES[:3], "paging": {"cursors": {"before": "a", "after": "b"},
                                                                               "next": next_url}})
                return self.answer(404, {"error": {"message": "Unknown path", "code": 100}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                fake.requests.append(("POST", self.path, body))
                if self.path == f"/v22.0/{PHONE_ID}/messages":
                    if fake.refuse_sends or not self.authorised():
                        return self.answer(401, TOKEN_EXPIRED)
                    return self.answer(200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.OUT1"}]})
                if not self.authorised():
                    return self.answer(401, TOKEN_EXPIRED)
                if self.path == f"/v22.0/{PHONE_ID}/media":
                    upload = parse_form(self.headers.get("Content-Type", ""), body)
                    if upload is None or upload.get("messaging_product") != "whatsapp" or "file" not in upload or "type" not in upload:
                        return self.answer(400, {"error": {"message": "(#100) Invalid parameter", "code": 100}})
                    fake.uploads.append(upload)
                    fake.next_media_id += 1
                    return self.answer(200, {"id": str(fake.next_media_id)})
                if self.path == f"/v22.0/{WABA_ID}/subscribed_apps":
                    return self.answer(200, {"success": True})
                if self.path == f"/v22.0/{PHONE_ID}/register":
                    if json.loads(body) != {"messaging_product": "whatsapp", "pin": SIGNUP_PIN}:
                        return self.answer(400, {"error": {"message": "(#133005) Two step verification PIN Mismatch",
                                                           "type": "OAuthException", "code": 133005}})
                    for number in fake.signup_numbers:   # registered: Meta lists it on the Cloud API now
                        number["platform_type"] = "CLOUD_API"
                    return self.answer(200, {"success": True})
                if self.path == f"/v22.0/{WABA_ID}/message_templates":
                    if fake.refuse_template:
                        (status, error), fake.refuse_template = fake.refuse_template, None
                        return self.answer(status, error)
                    submitted = json.loads(body)
                    fake.next_template_id += 1
                    return self.answer(200, {"id": str(fake.next_template_id), "status": "PENDING",
                                             "category": submitted.get("category")})
                if re.fullmatch(r"/v22\.0/\d+", self.path):   # an edit: POST /{template id}
                    return self.answer(200, {"success": True})
                return self.answer(404, {"error": {"message": "Unknown path", "code": 100}})

            def do_DELETE(self):
                fake.requests.append(("DELETE", self.path))
                if not self.authorised():
                    return self.answer(401, TOKEN_EXPIRED)
                if urllib.parse.urlsplit(self.path).path == f"/v22.0/{WABA_ID}/message_templates":
                    return self.answer(200, {"success": True})
                return self.answer(404, {"error": {"message": "Unknown path", "code": 100}})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def posts(self, path):
        """The JSON bodies POSTed to `path`, oldest first."""
        return [json.loads(entry[2]) for entry in self.requests if entry[0] == "POST" and entry[1] == path]

    def deletes(self):
        """The query of each DELETE, parsed."""
        return [urllib.parse.parse_qs(urllib.parse.urlsplit(entry[1]).query) for entry in self.requests if entry[0] == "DELETE"]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def parse_form(content_type, body):
    """A multipart/form-data body as {name: text} for fields and {"file": {filename,
    content_type, bytes}} for the file; None when it is not one."""
    if not content_type.lower().startswith("multipart/form-data"):
        return None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    if not message.is_multipart():
        return None
    form = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            form[name] = {"filename": part.get_filename(), "content_type": part.get_content_type(), "bytes": data}
        else:
            form[name] = data.decode()
    return form


class Session:
    """The JSON API with a signed-in admin's cookie (CSRF header on changes)."""

    def __init__(self, base_url, email, password):
        self.base_url = base_url
        request = urllib.request.Request(f"{base_url}/api/v1/session", method="POST",
                                         data=json.dumps({"email": email, "password": password}).encode(),
                                         headers={"Content-Type": "application/json", "X-Atende-CSRF": "1"})
        with urllib.request.urlopen(request, timeout=30) as response:
            cookies = response.headers.get_all("Set-Cookie")
        self.cookie = "; ".join(cookie.split(";", 1)[0] for cookie in cookies)

    def call(self, method, path, body=None):
        """Returns (status, raw text) so tests can search every answer for secrets."""
        headers = {"Cookie": self.cookie, "Accept": "application/json"}
        data = None
        if method != "GET":
            headers["X-Atende-CSRF"] = "1"
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base_url}{path}", method=method, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def connect_front_desk(api, **extra):
    """Connects the fake's number as "Front desk" through the API (`api`: a signed-in Session)."""
    status, answer = api.call("POST", "/api/v1/channels", {
        "name": "Front desk", "phone_number_id": PHONE_ID, "waba_id": WABA_ID,
        "access_token": GOOD_TOKEN, "app_secret": APP_SECRET, "verify_token": VERIFY_TOKEN, **extra})
    assert status == 201, answer


def webhook(server, payload):
    """Delivers a webhook signed with the app secret, as Meta does."""
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"{server.base_url}/webhooks/whatsapp", method="POST", data=body,
                                     headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def inbound_message(text):
    return {"object": "whatsapp_business_account", "entry": [{"id": WABA_ID, "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "5511333300100", "phone_number_id": PHONE_ID},
        "contacts": [{"profile": {"name": "Lia Costa"}, "wa_id": "5511988887777"}],
        "messages": [{"from": "5511988887777", "id": f"wamid.IN{time.time_ns()}", "timestamp": str(int(time.time())),
                      "type": "text", "text": {"body": text}}]}}]}]}


def template_rejected(template_id, reason):
    return {"object": "whatsapp_business_account", "entry": [{"id": WABA_ID, "time": int(time.time()), "changes": [{
        "field": "message_template_status_update",
        "value": {"event": "REJECTED", "message_template_id": int(template_id), "message_template_name": "summer_promo",
                  "message_template_language": "en_US", "reason": reason}}]}]}

"""Chats, the shared inbox, in the browser against the real binary: WhatsApp messages arrive as
signed webhooks, replies go to a fake Graph API on loopback, and receipts move the ticks live.

The server here is its own (module-scoped), started with ATENDE_WHATSAPP_GRAPH_URL pointing at
the fake Graph API below; the channel is created through the API as an Admin would.
"""

import hashlib
import hmac
import http.server
import json
import re
import struct
import threading
import time
import urllib.request
import zlib

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, owned_server, screenshot, sign_in
from fake_graph import Session

PHONE_NUMBER_ID = "106540352242922"
WABA_ID = "102290129340398"
APP_SECRET = "browser-app-secret"
MEDIA_ID = "7770001112223"
ACCESS_TOKEN = "EAAG-browser-token"


def _png(width, height, rgb):
    """A small solid-colour PNG, for the inbound photo."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = _png(120, 80, (37, 99, 235))


class FakeGraph:
    """A Graph API on loopback: answers sends with a fresh wamid (or a configured error), lists
    templates, and records every request."""

    def __init__(self):
        self.requests = []
        self.send_error = None          # (status, body) to answer sends with, or None
        self.templates = []
        self.counter = 0
        self.lock = threading.Lock()
        graph = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body, content_type="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                graph.record(self, b"")
                if self.path.split("?")[0].endswith("/message_templates"):
                    return self._answer(200, {"data": graph.templates, "paging": {}})
                if self.path == f"/bytes/{MEDIA_ID}":
                    return self._answer(200, PNG, "image/png")
                if self.path.endswith(f"/{MEDIA_ID}"):
                    return self._answer(200, {"url": f"{graph.url}/bytes/{MEDIA_ID}", "mime_type": "image/png",
                                              "file_size": len(PNG), "id": MEDIA_ID, "messaging_product": "whatsapp"})
                return self._answer(200, {"id": PHONE_NUMBER_ID, "display_phone_number": "+1 555 0100", "verified_name": "Front desk"})

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                graph.record(self, body)
                if self.path.endswith("/messages"):
                    sent = json.loads(body or b"{}")
                    if sent.get("status") == "read":
                        return self._answer(200, {"success": True})
                    if graph.send_error:
                        return self._answer(*graph.send_error)
                    with graph.lock:
                        graph.counter += 1
                        wamid = f"wamid.OUT{graph.counter}"
                    return self._answer(200, {"messaging_product": "whatsapp",
                                              "contacts": [{"input": sent.get("to"), "wa_id": str(sent.get("to", "")).lstrip("+")}],
                                              "messages": [{"id": wamid}]})
                return self._answer(200, {"success": True})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def record(self, handler, body):
        with self.lock:
            self.requests.append({"method": handler.command, "path": handler.path, "body": body})

    def sends(self):
        """The message bodies POSTed to /messages (read receipts left out)."""
        with self.lock:
            found = [json.loads(r["body"]) for r in self.requests if r["method"] == "POST" and r["path"].endswith("/messages")]
        return [body for body in found if body.get("status") != "read"]

    def wait_for_send(self, predicate, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for body in self.sends():
                if predicate(body):
                    return body
            time.sleep(0.1)
        raise AssertionError(f"no matching send; got {self.sends()}")

    def stop(self):
        self.server.shutdown()


class Client(Session):
    """The JSON API as the signed-in Admin: parsed answers, and any refusal fails the test."""

    def call(self, method, path, body=None):
        status, text = super().call(method, path, body)
        assert status < 400, f"{method} {path} answered {status}: {text}"
        return json.loads(text) if text else None


@pytest.fixture(scope="module")
def graph():
    fake = FakeGraph()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def desk(graph):
    """A server of its own talking to the fake Graph API, set up with an Admin and a channel."""
    server = owned_server("chats", graph.url)
    client = Client(server.base_url, ADMIN["email"], ADMIN["password"])
    client.call("POST", "/api/v1/channels", {
        "name": "Front desk", "phone_number_id": PHONE_NUMBER_ID, "waba_id": WABA_ID,
        "access_token": ACCESS_TOKEN, "app_secret": APP_SECRET, "verify_token": "verify-me"})
    server.client = client
    yield server
    server.stop()


def webhook(server, value):
    """Posts one signed WhatsApp webhook with `value` as the change's value."""
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550100001", "phone_number_id": PHONE_NUMBER_ID}, **value}
    body = json.dumps({"object": "whatsapp_business_account",
                       "entry": [{"id": WABA_ID, "changes": [{"field": "messages", "value": value}]}]}).encode()
    signature = hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"{server.base_url}/webhooks/whatsapp", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={signature}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


def inbound(server, wa_id, name, text, wamid, age_seconds=0):
    webhook(server, {
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [{"from": wa_id, "id": wamid, "timestamp": str(int(time.time()) - age_seconds),
                      "type": "text", "text": {"body": text}}]})


def receipt(server, wamid, status, wa_id):
    webhook(server, {"statuses": [{"id": wamid, "status": status, "timestamp": str(int(time.time())), "recipient_id": wa_id}]})


def open_chats(new_page, server, width=1280, height=800):
    page = new_page(width=width, height=height)
    sign_in(page, server.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{server.base_url}/chats")
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    return page


def row(page, name):
    return page.locator(".chat-list li", has_text=name)


def test_a_message_arrives_live_is_answered_and_its_ticks_follow_the_receipts(desk, graph, new_page):
    page = open_chats(new_page, desk)
    inbound(desk, "34600111001", "Bruna Live", "Olá, vocês abrem sábado?", "wamid.IN-LIVE-1")
    item = row(page, "Bruna Live")
    expect(item).to_be_visible()
    expect(item.locator(".chat-badge")).to_have_attribute("data-unread", "1")
    expect(item).to_contain_text("Olá, vocês abrem sábado?")
    screenshot(page, "chats-desktop-list")

    item.locator("button").click()
    expect(page).to_have_url(re.compile(r"/chats/[0-9A-Z]{26}$"))
    thread = page.locator(".thread")
    expect(thread.locator(".msg-in .msg-text")).to_have_text("Olá, vocês abrem sábado?")
    expect(item.locator(".chat-badge")).to_have_count(0)      # opened and visible: marked read

    composer = page.get_by_label("Message", exact=True)
    composer.fill("Sim, das 9h às 13h!")
    composer.press("Shift+Enter")
    composer.type("Até lá.")
    composer.press("Enter")
    sent = graph.wait_for_send(lambda body: body.get("to") == "+34600111001")
    assert sent["type"] == "text" and sent["text"]["body"] == "Sim, das 9h às 13h!\nAté lá."
    reply = thread.locator(".msg-out")
    expect(reply).to_have_attribute("data-status", "sent")
    expect(composer).to_have_value("")
    wamid = f"wamid.OUT{graph.counter}"

    receipt(desk, wamid, "delivered", "34600111001")
    expect(reply).to_have_attribute("data-status", "delivered")
    expect(reply.locator(".msg-status")).to_contain_text("Delivered")
    receipt(desk, wamid, "read", "34600111001")
    expect(reply).to_have_attribute("data-status", "read")
    expect(reply.locator(".ticks-read")).to_have_count(1)
    # The reply moved the conversation's preview in the list.
    expect(item.locator(".chat-preview")).to_contain_text("Sim, das 9h")
    screenshot(page, "chats-desktop-thread")


def test_markup_in_a_message_is_shown_as_text(desk, new_page):
    page = open_chats(new_page, desk)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    attack = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    inbound(desk, "34600111002", "<b>Mallory</b>", attack, "wamid.IN-XSS-1")
    item = row(page, "<b>Mallory</b>")
    expect(item.locator(".chat-preview")).to_have_text(attack)
    item.locator("button").click()
    message = page.locator(".thread .msg-in .msg-text")
    expect(message).to_have_text(attack)
    expect(page.locator(".thread-title")).to_have_text("<b>Mallory</b>")
    assert page.locator(".thread img").count() == 0
    assert page.locator(".chats b").count() == 0
    assert dialogs == []


def test_a_phone_shows_the_list_then_the_thread_with_a_way_back(desk, new_page):
    inbound(desk, "34600111003", "Caio Celular", "Posso remarcar para amanhã? " * 4, "wamid.IN-PHONE-1")
    page = open_chats(new_page, desk, width=320, height=640)
    item = row(page, "Caio Celular")
    expect(item).to_be_visible()
    expect(page.locator(".chat-thread-pane")).to_be_hidden()
    # The name is read whole: nothing else shares its row but the time.
    name = item.locator(".chat-name")
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth"), name.bounding_box()
    assert_no_horizontal_scroll(page)
    screenshot(page, "chats-320-list")

    item.locator("button").click()
    expect(page.locator(".chat-list-pane")).to_be_hidden()
    expect(page.locator(".thread .msg-in")).to_be_visible()
    composer = page.get_by_label("Message", exact=True)
    expect(composer).to_be_in_viewport()
    expect(page.get_by_role("button", name="Send")).to_be_in_viewport()
    # Room to see what one types: the Send button takes a row of its own on the narrowest
    # phones instead of squeezing the field to a few letters (it was 82 px wide here).
    assert composer.bounding_box()["width"] >= 150, composer.bounding_box()
    assert_no_horizontal_scroll(page)
    screenshot(page, "chats-320-thread")

    page.get_by_role("button", name="Actions").click()
    expect(page.get_by_role("button", name="Archive")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "chats-320-actions")

    page.get_by_role("button", name="Chats", exact=True).click()
    expect(page.locator(".chat-list-pane")).to_be_visible()
    expect(page.locator(".chat-thread-pane")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/chats$"))


def assert_no_horizontal_scroll(page):
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"horizontal scroll: {widths}"


def test_outside_the_24_hour_window_only_a_template_can_be_sent(desk, graph, new_page):
    graph.templates = [{
        "id": "9001", "name": "appointment_reminder", "language": "pt_BR", "category": "UTILITY", "status": "APPROVED",
        "components": [{"type": "BODY", "text": "Olá {{1}}, sua consulta é {{2}}."}]}]
    synced = desk.client.call("POST", "/api/v1/templates/sync")
    assert [t["name"] for t in synced["items"]] == ["appointment_reminder"]
    inbound(desk, "34600111004", "Dora Antiga", "Vocês têm horário?", "wamid.IN-OLD-1", age_seconds=26 * 3600)

    page = open_chats(new_page, desk)
    row(page, "Dora Antiga").locator("button").click()
    expect(page.locator(".composer-notice")).to_contain_text("over 24 hours ago")
    expect(page.get_by_label("Message", exact=True)).to_be_hidden()
    expect(page.get_by_label("Template", exact=True)).to_have_value("0")
    page.get_by_label("Value 1").fill("Dora")
    page.get_by_label("Value 2").fill("amanhã às 10h")
    expect(page.locator(".template-preview-text")).to_have_text("Olá Dora, sua consulta é amanhã às 10h.")
    screenshot(page, "chats-desktop-template")
    page.get_by_role("button", name="Send template").click()
    sent = graph.wait_for_send(lambda body: body.get("to") == "+34600111004")
    assert sent["type"] == "template"
    assert sent["template"]["name"] == "appointment_reminder"
    assert sent["template"]["language"] == {"code": "pt_BR"}
    assert sent["template"]["components"] == [{"type": "body", "parameters": [
        {"type": "text", "text": "Dora"}, {"type": "text", "text": "amanhã às 10h"}]}]
    expect(page.locator(".thread .msg-out .msg-text")).to_have_text("Olá Dora, sua consulta é amanhã às 10h.")


def test_a_failed_send_shows_the_reason_and_can_be_retried(desk, graph, new_page):
    inbound(desk, "34600111005", "Edu Falha", "Oi!", "wamid.IN-FAIL-1")
    page = open_chats(new_page, desk)
    row(page, "Edu Falha").locator("button").click()
    graph.send_error = (400, {"error": {"message": "(#131026) Message Undeliverable.", "type": "OAuthException", "code": 131026,
                                        "error_data": {"messaging_product": "whatsapp", "details": "Receiver is incapable of receiving this message"},
                                        "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam"}})
    try:
        composer = page.get_by_label("Message", exact=True)
        composer.fill("Tudo bem?")
        composer.press("Enter")
        reply = page.locator(".thread .msg-out")
        expect(reply).to_have_attribute("data-status", "failed", timeout=20000)
        expect(reply.locator(".msg-failure")).to_contain_text("this person cannot receive it")      # plain words
        expect(reply.locator(".msg-failure-detail")).to_contain_text("Receiver is incapable of receiving this message")
        screenshot(page, "chats-desktop-failed")
    finally:
        graph.send_error = None
    reply.get_by_role("button", name="Retry").click()
    expect(reply).to_have_attribute("data-status", "sent", timeout=20000)
    expect(reply.locator(".msg-failure")).to_have_count(0)


def test_every_message_type_is_shown_and_none_is_dropped(desk, new_page):
    wa_id, now = "34600111006", str(int(time.time()))
    common = {"from": wa_id, "timestamp": now}
    webhook(desk, {
        "contacts": [{"profile": {"name": "Fabi Tipos"}, "wa_id": wa_id}],
        "messages": [
            {**common, "id": "wamid.T-IMG", "type": "image",
             "image": {"id": MEDIA_ID, "mime_type": "image/png", "sha256": "x", "caption": "A foto da fachada"}},
            {**common, "id": "wamid.T-LOC", "type": "location",
             "location": {"latitude": -23.55052, "longitude": -46.633308, "name": "Clínica Centro", "address": "Rua A, 10"}},
            {**common, "id": "wamid.T-CON", "type": "contacts",
             "contacts": [{"name": {"formatted_name": "Gil Souza"}, "phones": [{"phone": "+55 11 5555-0101", "type": "CELL"}]}]},
            {**common, "id": "wamid.T-BTN", "type": "interactive",
             "interactive": {"type": "button_reply", "button_reply": {"id": "yes", "title": "Confirmar"}}},
            {**common, "id": "wamid.T-REA", "type": "reaction", "reaction": {"message_id": "wamid.T-IMG", "emoji": "👍"}},
            {**common, "id": "wamid.T-UNS", "type": "unsupported",
             "errors": [{"code": 131051, "title": "Message type unknown", "message": "Message type unknown",
                         "error_data": {"details": "Message type is currently not supported."}}]},
            {**common, "id": "wamid.T-QUO", "type": "text", "text": {"body": "Essa é a entrada?"},
             "context": {"from": wa_id, "id": "wamid.T-IMG"}},
        ]})
    page = open_chats(new_page, desk)
    row(page, "Fabi Tipos").locator("button").click()
    thread = page.locator(".thread")
    expect(thread.locator(".msg")).to_have_count(7)
    image = thread.locator(".msg[data-type=image] img")
    expect(image).to_have_attribute("alt", "A foto da fachada")
    expect(image).to_have_attribute("src", re.compile(r"^/api/v1/media/"))
    image.scroll_into_view_if_needed()      # lazy: loads once it is on screen
    page.wait_for_function("() => { const i = document.querySelector('.msg[data-type=image] img'); return i && i.complete && i.naturalWidth === 120; }")
    # The stored file is served sandboxed, cacheable privately, never as a page of ours.
    served = page.request.get(desk.base_url + image.get_attribute("src"))
    assert served.status == 200
    assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert served.headers["cache-control"] == "private, max-age=3600"
    assert served.headers["x-content-type-options"] == "nosniff"
    location = thread.locator(".msg[data-type=location]")
    expect(location).to_contain_text("Clínica Centro")
    expect(location.get_by_role("link")).to_have_attribute("href", re.compile(r"openstreetmap\.org/\?mlat=-23\.55052&mlon=-46\.63331"))
    expect(thread.locator(".msg[data-type=contacts]")).to_contain_text("Contact card")
    expect(thread.locator(".msg[data-type=contacts]")).to_contain_text("Gil Souza")
    expect(thread.locator(".msg[data-type=interactive]")).to_contain_text("Confirmar")
    expect(thread.locator(".msg[data-type=reaction]")).to_contain_text("Reacted 👍")
    expect(thread.locator(".msg[data-type=reaction] .msg-quote")).to_have_text("A foto da fachada")
    expect(thread.locator(".msg[data-type=unsupported]")).to_contain_text("Unsupported message")
    quoted = thread.locator(".msg[data-type=text]")
    expect(quoted.locator(".msg-quote")).to_have_text("A foto da fachada")
    screenshot(page, "chats-desktop-types")

    # Replying to a message quotes it on the way out.
    quoted.get_by_role("button", name=re.compile("^Reply")).click()
    expect(page.locator(".composer-quote")).to_contain_text("Essa é a entrada?")


def test_staff_actions_and_an_agent_sees_only_their_conversation(desk, new_page):
    inbound(desk, "34600111007", "Gabi Ações", "Preciso falar com alguém", "wamid.IN-ACT-1")
    owner = open_chats(new_page, desk)
    row(owner, "Gabi Ações").locator("button").click()
    subtitle = owner.locator(".thread-subtitle")
    owner.get_by_role("button", name="Assign to me").click()
    expect(subtitle).to_contain_text("Assigned to you")
    owner.get_by_label("Assistant replies").uncheck()
    expect(owner.get_by_label("Assistant replies")).not_to_be_checked()
    conversation_id = owner.locator(".thread").get_attribute("data-conversation")
    assert desk.client.call("GET", f"/api/v1/conversations/{conversation_id}")["ai_enabled"] is False

    agent = {"name": "Hugo Agente", "email": "hugo.agente@example.com", "password": "a long agent passphrase"}
    member = desk.client.call("POST", "/api/v1/staff", {**agent, "role": "agent"})
    owner.reload()
    owner.get_by_label("Assigned to").select_option(label="Hugo Agente")
    expect(subtitle).to_contain_text("Assigned to Hugo Agente")
    assert desk.client.call("GET", f"/api/v1/conversations/{conversation_id}")["assignee_id"] == member["id"]

    page = new_page()
    sign_in(page, desk.base_url, agent["email"], agent["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{desk.base_url}/chats")
    expect(page.locator(".chat-list li")).to_have_count(1)
    expect(row(page, "Gabi Ações")).to_be_visible()
    options = page.locator(".chat-filter option").all_text_contents()
    assert "Unassigned" not in options and "Assigned to me" not in options
    row(page, "Gabi Ações").locator("button").click()
    expect(page.get_by_role("button", name="Archive")).to_be_visible()
    expect(page.get_by_role("button", name="Block")).to_have_count(0)
    expect(page.get_by_label("Assigned to")).to_have_count(0)

    # Archived by the owner: it leaves the agent's open list live.
    owner.get_by_role("button", name="Archive").click()
    expect(owner.get_by_role("button", name="Reopen")).to_be_visible()
    expect(row(owner, "Gabi Ações")).to_have_count(0)
    expect(row(page, "Gabi Ações")).to_have_count(0)


def test_an_operator_assigns_by_name_and_the_agent_it_leaves_loses_it_live(desk, new_page):
    inbound(desk, "34600111008", "Iara Troca", "Quem me atende?", "wamid.IN-OP-1")
    agent = {"name": "Juca Agente", "email": "juca.agente@example.com", "password": "a long agent passphrase"}
    operator = {"name": "Lia Operadora", "email": "lia.operadora@example.com", "password": "a long operator passphrase"}
    juca = desk.client.call("POST", "/api/v1/staff", {**agent, "role": "agent"})
    desk.client.call("POST", "/api/v1/staff", {**operator, "role": "operator"})
    conversation_id = next(c["id"] for c in desk.client.call("GET", "/api/v1/conversations")["items"]
                           if c["contact"]["display_name"] == "Iara Troca")
    desk.client.call("PATCH", f"/api/v1/conversations/{conversation_id}", {"assignee_id": juca["id"]})

    agent_page = new_page()
    sign_in(agent_page, desk.base_url, agent["email"], agent["password"])
    expect(agent_page.locator(".live-status")).to_have_attribute("data-state", "connected")
    agent_page.goto(f"{desk.base_url}/chats")
    expect(agent_page.locator(".live-status")).to_have_attribute("data-state", "connected")
    expect(row(agent_page, "Iara Troca")).to_be_visible()

    # The Operator has no Settings, yet the picker names everyone who can take it.
    op_page = new_page()
    sign_in(op_page, desk.base_url, operator["email"], operator["password"])
    expect(op_page.locator(".live-status")).to_have_attribute("data-state", "connected")
    op_page.goto(f"{desk.base_url}/chats")
    expect(op_page.locator(".live-status")).to_have_attribute("data-state", "connected")
    row(op_page, "Iara Troca").locator("button").click()
    picker = op_page.get_by_label("Assigned to")
    expect(picker.locator("option", has_text="Juca Agente")).to_have_count(1)
    picker.select_option(label="Lia Operadora")
    expect(op_page.locator(".thread-subtitle")).to_contain_text("Assigned to you")
    expect(row(agent_page, "Iara Troca")).to_have_count(0)      # told live, and dropped


def test_a_hidden_tab_counts_new_messages_in_the_title_and_notifies(desk, new_page):
    page = new_page()
    page.context.grant_permissions(["notifications"], origin=desk.base_url)
    page.add_init_script("""
        window.__notes = [];
        window.Notification = class { constructor(title, options) { window.__notes.push([title, options.body]); }
                                      close() {} static get permission() { return 'granted'; } };
        window.__hidden = false;
        Object.defineProperty(Document.prototype, 'hidden', { get() { return window.__hidden; } });
    """)
    sign_in(page, desk.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{desk.base_url}/chats")
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.evaluate("() => { window.__hidden = true; document.dispatchEvent(new Event('visibilitychange')); }")
    inbound(desk, "34600111008", "Iara Aba", "Primeira", "wamid.IN-HID-1")
    inbound(desk, "34600111008", "Iara Aba", "Segunda", "wamid.IN-HID-2")
    expect(page).to_have_title("(2) Chats · Atende")
    assert page.evaluate("() => window.__notes") == [["Iara Aba", "Primeira"], ["Iara Aba", "Segunda"]]
    page.evaluate("() => { window.__hidden = false; document.dispatchEvent(new Event('visibilitychange')); }")
    expect(page).to_have_title("Chats · Atende")


def test_blocking_a_contact_stops_replies_until_unblocked(desk, new_page):
    inbound(desk, "34600111009", "Juca Bloqueio", "Spam spam spam", "wamid.IN-BLK-1")
    page = open_chats(new_page, desk)
    row(page, "Juca Bloqueio").locator("button").click()
    page.get_by_role("button", name="Block").click()
    page.get_by_role("dialog").get_by_role("button", name="Block").click()
    expect(page.locator(".composer-notice")).to_have_text("This contact is blocked. Unblock them to reply.")
    expect(page.get_by_label("Message", exact=True)).to_be_disabled()
    expect(row(page, "Juca Bloqueio")).to_have_count(0)          # left "All open"
    page.get_by_label("Show").select_option("blocked")
    expect(row(page, "Juca Bloqueio")).to_be_visible()
    page.get_by_role("button", name="Unblock").click()
    expect(page.get_by_label("Message", exact=True)).to_be_enabled()
    expect(row(page, "Juca Bloqueio")).to_have_count(0)          # left "Blocked"


def test_portuguese_at_320_px_fits_without_horizontal_scroll(desk, new_page):
    inbound(desk, "34600111010", "Lia Português", "Bom dia! Queria saber o preço da consulta.", "wamid.IN-PT-1")
    page = new_page(width=320, height=640, locale="pt-BR")
    sign_in(page, desk.base_url, ADMIN["email"], ADMIN["password"], language="pt-BR")
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{desk.base_url}/chats")
    expect(page.get_by_label("Mostrar")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot(page, "chats-320-pt-list")
    row(page, "Lia Português").locator("button").click()
    page.get_by_role("button", name="Ações", exact=True).click()
    expect(page.get_by_role("button", name="Arquivar")).to_be_visible()
    expect(page.get_by_label("Mensagem", exact=True)).to_be_in_viewport()
    assert_no_horizontal_scroll(page)
    screenshot(page, "chats-320-pt-thread")


def test_a_link_to_a_conversation_that_is_not_there_says_so_with_a_way_back(desk, new_page):
    page = new_page(width=320, height=640)
    sign_in(page, desk.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{desk.base_url}/chats/01M00000000000000000000000")
    expect(page.get_by_role("alert")).to_have_text("This conversation is not there, or it is not assigned to you.")
    page.get_by_role("button", name="Chats", exact=True).click()
    expect(page.locator(".chat-list-pane")).to_be_visible()


def test_staff_sends_a_message_with_two_reply_buttons_and_a_refused_title_is_shown_on_its_input(desk, graph, new_page):
    inbound(desk, "34600111020", "Ivo Botões", "Posso marcar para sexta?", "wamid.IN-BTN-1")
    page = open_chats(new_page, desk)
    row(page, "Ivo Botões").locator("button").click()
    composer = page.get_by_label("Message", exact=True)
    composer.fill("Qual horário prefere?")
    page.get_by_role("button", name="Add reply buttons").click()
    page.get_by_label("Button 1", exact=True).fill("Manhã")
    page.get_by_role("button", name="Add a button").click()
    second = page.get_by_label("Button 2", exact=True)
    second.fill("Tarde, depois do almoço")             # 23 characters: WhatsApp takes 20
    page.get_by_role("button", name="Send").click()
    # The API names interactive.buttons[1].title; the error stands under that input.
    expect(second).to_have_attribute("aria-invalid", "true")
    expect(second).to_be_focused()
    expect(page.locator(".composer-button-row").nth(1).locator(".field-error")).to_have_text("A button title is 1 to 20 characters.")
    expect(page.locator(".thread .msg-out")).to_have_count(0)
    screenshot(page, "chats-desktop-buttons-error")

    second.fill("Tarde")
    expect(second).not_to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Send").click()
    sent = graph.wait_for_send(lambda body: body.get("to") == "+34600111020")
    assert sent == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "+34600111020", "type": "interactive",
        "interactive": {"type": "button", "body": {"text": "Qual horário prefere?"}, "action": {"buttons": [
            {"type": "reply", "reply": {"id": "reply-1", "title": "Manhã"}},
            {"type": "reply", "reply": {"id": "reply-2", "title": "Tarde"}}]}}}
    # The thread shows what the customer sees: the text and the two buttons.
    reply = page.locator(".thread .msg-out")
    expect(reply).to_have_attribute("data-status", "sent")
    expect(reply.locator(".msg-text")).to_have_text("Qual horário prefere?")
    expect(reply.locator(".msg-choice")).to_have_text(["Manhã", "Tarde"])
    expect(composer).to_have_value("")
    expect(page.locator(".composer-buttons")).to_be_hidden()
    screenshot(page, "chats-desktop-buttons-sent")


def test_the_address_of_a_conversation_opens_it_directly(desk, new_page):
    inbound(desk, "34600111021", "Júlia Link", "Recebi o lembrete", "wamid.IN-LINK-1")
    inbound(desk, "34600111022", "Kátia Outra", "Outra conversa", "wamid.IN-LINK-2")
    # The id as the list knows it (clicking the row moves the address to it).
    page = open_chats(new_page, desk)
    row(page, "Júlia Link").locator("button").click()
    expect(page).to_have_url(re.compile(r"/chats/[0-9A-Z]{26}$"))
    conversation_id = page.url.rsplit("/", 1)[1]
    page.goto(f"{desk.base_url}/home")
    # Typed in the address bar (or a notification's link): the server answers the dashboard.
    page.goto(f"{desk.base_url}/chats/{conversation_id}")
    thread = page.locator(".thread")
    expect(thread).to_have_attribute("data-conversation", conversation_id)
    expect(thread.locator(".msg-in .msg-text")).to_have_text("Recebi o lembrete")
    expect(page.locator(".thread-title")).to_have_text("Júlia Link")
    # A reload keeps it open; another conversation's row moves the address.
    page.reload()
    expect(page.locator(".thread")).to_have_attribute("data-conversation", conversation_id)
    row(page, "Kátia Outra").locator("button").click()
    expect(page.locator(".thread-title")).to_have_text("Kátia Outra")
    expect(page).not_to_have_url(re.compile(conversation_id))
    page.go_back()
    expect(page.locator(".thread")).to_have_attribute("data-conversation", conversation_id)
    # Links of the older form open it too, rewritten to the conversation's address.
    page.goto(f"{desk.base_url}/chats?conversation={conversation_id}")
    expect(page.locator(".thread")).to_have_attribute("data-conversation", conversation_id)
    expect(page).to_have_url(re.compile(rf"/chats/{conversation_id}$"))
    # Only a well-formed id is a page of the dashboard.
    assert page.request.get(f"{desk.base_url}/chats/not-an-id").status == 404
    assert page.request.get(f"{desk.base_url}/chats/{conversation_id}/x").status == 404


def test_reply_buttons_fit_a_phone(desk, new_page):
    inbound(desk, "34600111023", "Lia Celular", "Tem horário hoje?", "wamid.IN-BTN-PHONE")
    page = open_chats(new_page, desk, width=320, height=640)
    row(page, "Lia Celular").locator("button").click()
    page.get_by_role("button", name="Add reply buttons").click()
    for n, title in ((1, "Sim, às 14h"), (2, "Sim, às 16h"), (3, "Outro dia")):
        if n > 1:
            page.get_by_role("button", name="Add a button").click()
        page.get_by_label(f"Button {n}", exact=True).fill(title)
    # Three is WhatsApp's limit: no way to add a fourth.
    expect(page.get_by_role("button", name="Add a button")).to_be_hidden()
    expect(page.get_by_role("button", name="Send")).to_be_in_viewport()
    assert_no_horizontal_scroll(page)
    screenshot(page, "chats-320-buttons")
    page.get_by_role("button", name="Remove button 2").click()
    expect(page.get_by_label("Button 2", exact=True)).to_have_value("Outro dia")
    expect(page.get_by_role("button", name="Add a button")).to_be_visible()

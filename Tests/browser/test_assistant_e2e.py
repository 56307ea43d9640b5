"""The assistant end to end, with the real binary, the fake Graph API and a fake OpenAI-compatible
model: a question the knowledge base answers is answered after the human-first window, one it
cannot is handed off with its reason, a staff reply inside the window keeps the assistant quiet,
and a model that invents a price does not get its price sent."""

import hashlib
import hmac
import http.server
import json
import threading
import time
import urllib.request

import pytest

from conftest import ADMIN, owned_server
from fake_graph import APP_SECRET, PHONE_ID, WABA_ID, Session, connect_front_desk

PRICE_QUESTION = "Quanto custa a limpeza de pele?"
PRICE_ANSWER = "A limpeza de pele custa R$ 150,00 e dura uma hora."


class FakeModel:
    """An OpenAI-compatible /v1/chat/completions that always invents a price."""

    def __init__(self):
        self.requests = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake.requests.append((self.path, self.headers.get("Authorization"), json.loads(body)))
                answer = json.dumps({"id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()), "model": "fake",
                                     "choices": [{"index": 0, "finish_reason": "stop",
                                                  "message": {"role": "assistant", "content": "Claro! A limpeza de pele sai por R$ 99,00."}}],
                                     "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


def message_from(wa_id, text):
    return {"object": "whatsapp_business_account", "entry": [{"id": WABA_ID, "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "5511333300100", "phone_number_id": PHONE_ID},
        "contacts": [{"profile": {"name": f"Cliente {wa_id[-4:]}"}, "wa_id": wa_id}],
        "messages": [{"from": wa_id, "id": f"wamid.IN{time.time_ns()}", "timestamp": str(int(time.time())),
                      "type": "text", "text": {"body": text}}]}}]}]}


def deliver(server, payload):
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"{server.base_url}/webhooks/whatsapp", method="POST", data=body,
                                     headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


def texts_to(graph, wa_id):
    return [post["text"]["body"] for post in graph.posts(f"/v22.0/{PHONE_ID}/messages")
            if post.get("type") == "text" and post.get("to", "").lstrip("+") == wa_id]


def wait_for(check, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    return check()


def conversation_of(api, wa_id):
    status, text = api.call("GET", "/api/v1/conversations?limit=200")
    assert status == 200, text
    return next((item for item in json.loads(text)["items"] if item["contact"]["wa_id"] == wa_id), None)


@pytest.fixture(scope="module")
def desk(graph):
    server = owned_server("assistant-e2e", graph.url)
    api = Session(server.base_url, ADMIN["email"], ADMIN["password"])
    connect_front_desk(api)
    status, text = api.call("POST", "/api/v1/knowledge/faqs", {"question": PRICE_QUESTION, "answer": PRICE_ANSWER, "language": "pt"})
    assert status == 201, text
    status, text = api.call("PUT", "/api/v1/assistant/settings", {"business_name": "Clínica Sorriso", "human_first_seconds": 3})
    assert status == 200, text
    yield server, api
    server.stop()


def test_a_question_the_knowledge_base_answers_is_answered_after_the_window(desk, graph):
    server, api = desk
    deliver(server, message_from("5511900000001", PRICE_QUESTION))
    time.sleep(1)
    assert texts_to(graph, "5511900000001") == [], "answered inside the human-first window"
    sent = wait_for(lambda: texts_to(graph, "5511900000001"))
    assert len(sent) == 1 and "R$ 150,00" in sent[0], sent
    conversation = conversation_of(api, "5511900000001")
    status, text = api.call("GET", f"/api/v1/conversations/{conversation['id']}/messages")
    messages = json.loads(text)["items"]
    reply = next(m for m in messages if m["author"]["kind"] == "assistant")
    assert reply["ai"]["decision"] == "answer" and reply["ai"]["sources"], reply
    question = next(m for m in messages if m["direction"] == "inbound")
    assert question["ai"]["intent"] == "pricing", question["ai"]
    assert conversation["status"] == "open"


def test_a_question_it_cannot_answer_is_handed_off_with_its_reason(desk, graph):
    server, api = desk
    deliver(server, message_from("5511900000002", "Vocês consertam geladeira de duas portas?"))
    conversation = wait_for(lambda: (c := conversation_of(api, "5511900000002")) and c["status"] == "pending_human" and c)
    assert conversation and conversation["handoff_reason"] in ("low_confidence", "no_answer"), conversation
    holding = wait_for(lambda: texts_to(graph, "5511900000002"))
    assert len(holding) == 1 and "150" not in holding[0], holding


def test_a_staff_reply_inside_the_window_keeps_the_assistant_quiet(desk, graph):
    server, api = desk
    deliver(server, message_from("5511900000003", PRICE_QUESTION))
    conversation = wait_for(lambda: conversation_of(api, "5511900000003"))
    status, text = api.call("POST", f"/api/v1/conversations/{conversation['id']}/messages", {"text": "Oi! Já te respondo com os valores."})
    assert status == 201, text
    time.sleep(6)
    assert texts_to(graph, "5511900000003") == ["Oi! Já te respondo com os valores."]


def test_a_model_inventing_a_price_never_gets_it_sent(desk, graph):
    server, api = desk
    model = FakeModel()
    try:
        status, text = api.call("PUT", "/api/v1/assistant/settings",
                                {"llm": {"enabled": True, "base_url": model.url, "model": "fake-model"}})
        assert status == 200, text
        status, text = api.call("PUT", "/api/v1/assistant/llm-key", {"key": "sk-fake-model-key"})
        assert status == 204, text
        deliver(server, message_from("5511900000004", PRICE_QUESTION))
        sent = wait_for(lambda: texts_to(graph, "5511900000004"))
        assert len(sent) == 1 and "99" not in sent[0] and "R$ 150,00" in sent[0], sent
        # The model was asked, with the evidence and the key, and its answer was refused.
        path, authorization, request = model.requests[0]
        assert path == "/v1/chat/completions" and authorization == "Bearer sk-fake-model-key"
        assert any(PRICE_ANSWER in message["content"] for message in request["messages"])
        assert "sk-fake-model-key" not in open(server.log_path).read()
    finally:
        api.call("PUT", "/api/v1/assistant/settings", {"llm": {"enabled": False}})
        model.stop()

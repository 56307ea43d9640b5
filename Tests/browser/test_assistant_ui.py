"""The assistant in the dashboard, in the system Chromium against the real `atende serve` and the
fake Graph API: Assistant → Settings saves and shows a field error where it belongs, the
assistant's reply in Chats carries its badge, a customer message its insights, "Take over" and
"Give back to AI" switch the conversation's assistant, and "Try a question" shows the decision."""

import json
import re
import time

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, owned_server, screenshot, sign_in
from fake_graph import Session, connect_front_desk, inbound_message, webhook


@pytest.fixture(scope="module")
def server(graph):
    atende = owned_server("assistant-ui", graph.url)
    api = Session(atende.base_url, ADMIN["email"], ADMIN["password"])
    connect_front_desk(api)
    status, answer = api.call("POST", "/api/v1/knowledge/faqs", {
        "question": "Vocês aceitam pix?", "answer": "Sim, aceitamos pix e cartão.", "language": "pt"})
    assert status == 201, answer
    yield atende
    atende.stop()


@pytest.fixture(scope="module")
def api(server):
    return Session(server.base_url, ADMIN["email"], ADMIN["password"])


def signed_in(new_page, server, path, width=1280, height=800, locale="en-US"):
    page = new_page(width=width, height=height, locale=locale)
    if locale == "en-US":
        sign_in(page, server.base_url, ADMIN["email"], ADMIN["password"])
    else:
        page.goto(f"{server.base_url}/login")
        page.locator("input[type=email]").fill(ADMIN["email"])
        page.locator("input[type=password]").fill(ADMIN["password"])
        page.locator("button[type=submit]").click()
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{server.base_url}{path}")
    return page


def settings(api):
    status, answer = api.call("GET", "/api/v1/assistant/settings")
    assert status == 200, answer
    return json.loads(answer)


def conversation_of(api, name):
    deadline = time.time() + 20
    while time.time() < deadline:
        status, answer = api.call("GET", "/api/v1/conversations")
        assert status == 200, answer
        for item in json.loads(answer)["items"]:
            if item["contact"].get("display_name") == name:
                return item
        time.sleep(0.2)
    raise AssertionError(f"no conversation with {name}")


def test_settings_are_saved_on_a_phone_and_a_bad_time_zone_is_shown_under_its_field(new_page, server, api):
    page = signed_in(new_page, server, "/assistant/settings", width=390, height=844)
    expect(page.get_by_role("heading", name="Settings", level=2)).to_be_visible()
    form = page.locator(".assistant-settings-form")
    form.get_by_label("Business name").fill("Clínica Sorriso")
    form.get_by_label("Time zone").fill("Mars/Olympus")
    form.get_by_label("Seconds to wait for a person first").fill("0")
    form.get_by_label("Tone").select_option("formal")
    form.get_by_label("Saturday", exact=True).check()
    form.get_by_label("Saturday opens at").fill("08:00")
    form.get_by_label("Saturday closes at").fill("12:00")
    with page.expect_response("**/api/v1/assistant/settings") as response:
        form.get_by_role("button", name="Save settings").click()
    assert response.value.status == 422
    time_zone = form.get_by_label("Time zone")
    expect(time_zone).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".field", has=page.get_by_label("Time zone")).locator(".field-error")).to_contain_text("America/Sao_Paulo")
    assert settings(api)["business_name"] != "Clínica Sorriso", "a refused change was kept"

    time_zone.fill("America/Sao_Paulo")
    form.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    saved = settings(api)
    assert saved["business_name"] == "Clínica Sorriso"
    assert saved["time_zone"] == "America/Sao_Paulo"
    assert saved["tone"] == "formal"
    assert saved["human_first_seconds"] == 0
    saturday = next(day for day in saved["hours"]["days"] if day["weekday"] == 7)
    assert saturday["intervals"] == [{"start": 480, "end": 720}]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "assistant-settings-390")

    narrow = signed_in(new_page, server, "/assistant/settings", width=320, height=700, locale="pt-BR")
    expect(narrow.get_by_role("button", name="Salvar configurações")).to_be_visible()
    expect(narrow.get_by_label("Nome da empresa")).to_have_value("Clínica Sorriso")
    wide = narrow.evaluate("""[...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > 321)
        .slice(0, 5).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    screenshot(narrow, "assistant-settings-320-pt")
    assert narrow.evaluate("document.documentElement.scrollWidth") <= 320, wide


def test_the_assistant_reply_has_its_badge_and_take_over_gives_the_conversation_to_staff(new_page, server, api):
    status, answer = api.call("PUT", "/api/v1/assistant/settings", {"enabled": True, "human_first_seconds": 0})
    assert status == 200, answer
    assert webhook(server, inbound_message("Vocês aceitam pix?")) == 200
    page = signed_in(new_page, server, "/chats", width=390, height=844)
    page.locator(".chat-list li", has_text="Lia Costa").locator("button").click()
    reply = page.locator(".msg-out", has=page.locator(".badge-assistant"))
    expect(reply).to_be_visible(timeout=20000)
    expect(reply.locator(".badge-assistant")).to_have_text("Assistant")
    expect(page.locator(".msg-in .msg-insights").first).to_contain_text("AI insights")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "assistant-chats-390")

    conversation = conversation_of(api, "Lia Costa")
    assert conversation["ai_enabled"] is True
    page.get_by_role("button", name="Actions").click()
    with page.expect_response(re.compile(r"/api/v1/conversations/[^/]+$")):
        page.get_by_role("button", name="Take over").click()
    expect(page.get_by_role("button", name="Give back to AI")).to_be_visible()
    taken = conversation_of(api, "Lia Costa")
    assert taken["ai_enabled"] is False
    assert taken["assignee_id"] is not None

    with page.expect_response(re.compile(r"/api/v1/conversations/[^/]+$")):
        page.get_by_role("button", name="Give back to AI").click()
    expect(page.get_by_role("button", name="Take over")).to_be_visible()
    assert conversation_of(api, "Lia Costa")["ai_enabled"] is True


def test_a_hand_off_shows_its_reason_in_plain_words(new_page, server, api):
    status, answer = api.call("PUT", "/api/v1/assistant/settings", {"enabled": True, "human_first_seconds": 0})
    assert status == 200, answer
    conversation = None
    payload = inbound_message("Quero falar com um atendente humano, por favor")
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"] = [{"profile": {"name": "Caio Lopes"}, "wa_id": "5511977776666"}]
    value["messages"][0]["from"] = "5511977776666"
    assert webhook(server, payload) == 200
    deadline = time.time() + 20
    while time.time() < deadline:
        conversation = conversation_of(api, "Caio Lopes")
        if conversation["status"] == "pending_human":
            break
        time.sleep(0.2)
    assert conversation["status"] == "pending_human", conversation
    page = signed_in(new_page, server, "/chats", locale="pt-BR")
    page.locator(".chat-list li", has_text="Caio Lopes").locator("button").click()
    expect(page.locator(".thread-handoff")).to_contain_text("Aguardando uma pessoa")


def test_try_a_question_shows_the_assistant_decision(new_page, server):
    page = signed_in(new_page, server, "/assistant/knowledge")
    try_box = page.locator(".kb-try")
    try_box.get_by_label("A customer's question").fill("aceitam pix?")
    with page.expect_response("**/api/v1/assistant/try"):
        try_box.get_by_role("button", name="Search").click()
    decision = try_box.locator('[data-slot="decision"]')
    expect(decision).to_contain_text("Decision")
    expect(decision).to_contain_text("Confidence")
    expect(decision).to_contain_text("Written by")


def test_a_suggested_reply_goes_into_the_composer(new_page, server, api):
    threshold = settings(api)["answer_threshold"]
    status, answer = api.call("PUT", "/api/v1/assistant/settings", {"enabled": True, "human_first_seconds": 0, "answer_threshold": 0.99})
    assert status == 200, answer
    try:
        payload = inbound_message("aceitam pix?")
        value = payload["entry"][0]["changes"][0]["value"]
        value["contacts"] = [{"profile": {"name": "Duda Reis"}, "wa_id": "5511966665555"}]
        value["messages"][0]["from"] = "5511966665555"
        assert webhook(server, payload) == 200
        deadline = time.time() + 20
        conversation = None
        while time.time() < deadline:
            conversation = conversation_of(api, "Duda Reis")
            if conversation["status"] == "pending_human":
                break
            time.sleep(0.2)
        assert conversation["status"] == "pending_human", conversation
        page = signed_in(new_page, server, "/chats", width=390, height=844)
        page.locator(".chat-list li", has_text="Duda Reis").locator("button").click()
        expect(page.locator(".thread-handoff")).to_contain_text("Waiting for a person")
        page.get_by_role("button", name="Use suggestion").click()
        expect(page.get_by_placeholder("Type a message")).to_have_value("Sim, aceitamos pix e cartão.")
    finally:
        api.call("PUT", "/api/v1/assistant/settings", {"answer_threshold": threshold})

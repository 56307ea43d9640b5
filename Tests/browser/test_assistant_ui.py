"""The assistant in the dashboard, in the system Chromium against the real `atende serve` and the
fake Graph API: Assistant → Settings saves and shows a field error where it belongs, the
assistant's reply in Chats carries its badge, a customer message its insights, "Take over" and
"Give back to AI" switch the conversation's assistant, "Try a question" shows the decision, a
contact's insights show their score and suggested tags (accepted or dismissed), the example
phrases per intent and the model key's deletion work in Settings, and so do the opening hours
(a lunch break as two intervals, holidays, the burst cap), with the server's errors shown where
they belong and read-only for an Operator."""

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
        expect(page.get_by_placeholder("Message", exact=True)).to_have_value("Sim, aceitamos pix e cartão.")
    finally:
        api.call("PUT", "/api/v1/assistant/settings", {"answer_threshold": threshold})


def customer_says(server, api, name, wa_id, text):
    """Sends `text` from the customer and waits for the assistant's turn to store its insights on it;
    a conversation handed to a person is reopened, as staff would, so the next message is read too."""
    payload = inbound_message(text)
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"] = [{"profile": {"name": name}, "wa_id": wa_id}]
    value["messages"][0]["from"] = wa_id
    assert webhook(server, payload) == 200
    conversation = conversation_of(api, name)
    deadline = time.time() + 20
    while time.time() < deadline:
        status, answer = api.call("GET", f"/api/v1/conversations/{conversation['id']}/messages")
        assert status == 200, answer
        said = [m for m in json.loads(answer)["items"] if m["direction"] == "inbound" and m["text"] == text]
        if said and said[0]["ai"]:
            break
        time.sleep(0.2)
    else:
        raise AssertionError(f"the assistant did not read {text!r}")
    conversation = conversation_of(api, name)
    if conversation["status"] == "pending_human":
        status, answer = api.call("PATCH", f"/api/v1/conversations/{conversation['id']}", {"status": "open"})
        assert status == 200, answer
    return conversation_of(api, name)


def test_contact_insights_show_the_score_and_staff_accept_or_dismiss_a_suggested_tag_at_320px(new_page, server, api):
    status, answer = api.call("PUT", "/api/v1/assistant/settings", {"enabled": True, "human_first_seconds": 0, "language": "pt"})
    assert status == 200, answer
    name, wa_id = "Bia Nunes", "5511955554444"
    customer_says(server, api, name, wa_id, "Quero agendar uma consulta")
    conversation = customer_says(server, api, name, wa_id, "Quanto custa a limpeza?")
    assert conversation["contact"]["intelligence"] is None, "assessed before 3 messages"
    conversation = customer_says(server, api, name, wa_id, "Vocês aceitam pix?")
    intelligence = conversation["contact"]["intelligence"]
    assert intelligence is not None and intelligence["customer_messages"] == 3, conversation["contact"]
    assert "agendamento" in intelligence["suggested_tags"] and "orçamento" in intelligence["suggested_tags"], intelligence

    page = signed_in(new_page, server, "/chats", width=320, height=700)
    page.locator(".chat-list li", has_text=name).locator("button").click()
    panel = page.locator("[data-contact-insights]")
    expect(panel).to_be_visible()
    expect(panel.locator(".score-badge")).to_have_text(f"Score {intelligence['score']}")
    panel.locator("summary").click()
    expect(panel.get_by_text("Wants to book")).to_be_visible()

    with page.expect_response(re.compile(r"/api/v1/contacts/[^/]+$")) as response:
        panel.get_by_role("button", name="Add the tag agendamento").click()
    assert response.value.status == 200
    expect(panel.locator(".contact-tags")).to_contain_text("agendamento")
    expect(panel.locator('.tag-suggestion[data-tag="agendamento"]')).to_have_count(0)
    with page.expect_response(re.compile(r"/api/v1/contacts/[^/]+$")) as response:
        panel.get_by_role("button", name="Dismiss the suggestion orçamento").click()
    assert response.value.status == 200
    expect(panel.locator('.tag-suggestion[data-tag="orçamento"]')).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "contact-insights-320")

    contact = conversation_of(api, name)["contact"]
    assert contact["tags"] == ["agendamento"]
    assert contact["intelligence"]["dismissed_tags"] == ["orçamento"]
    # Another question about prices: assessed again, and the dismissed tag is not back.
    contact = customer_says(server, api, name, wa_id, "Qual o valor da sessão?")["contact"]
    assert contact["intelligence"]["customer_messages"] == 4
    assert "orçamento" not in contact["intelligence"]["suggested_tags"], contact["intelligence"]


def test_example_phrases_are_edited_per_intent_and_the_model_key_can_be_deleted(new_page, server, api):
    status, answer = api.call("PUT", "/api/v1/assistant/llm-key", {"key": "sk-browser-test"})
    assert status == 204, answer
    try:
        page = signed_in(new_page, server, "/assistant/settings", width=320, height=700)
        form = page.locator(".assistant-settings-form")
        form.get_by_label("Intent", exact=True).select_option("booking")
        phrases = form.get_by_label("Phrases for this intent, one per line")
        phrases.fill("quero o combo Zé Colmeia\n   \ncombo zé colmeia pra sábado")
        form.get_by_label("Intent", exact=True).select_option("pricing")
        phrases.fill("x" * 201)
        with page.expect_response("**/api/v1/assistant/settings") as response:
            form.get_by_role("button", name="Save settings").click()
        assert response.value.status == 422
        # The error names the pricing phrases: they are shown, marked and explained.
        expect(form.get_by_label("Intent", exact=True)).to_have_value("pricing")
        expect(phrases).to_have_attribute("aria-invalid", "true")
        expect(form.locator(".intent-examples .field-error")).to_contain_text("200 characters")
        assert settings(api)["intent_examples"] == {}, "a refused change was kept"

        phrases.fill("")
        form.get_by_role("button", name="Save settings").click()
        expect(page.get_by_text("Settings saved.")).to_be_visible()
        assert settings(api)["intent_examples"] == {"booking": ["quero o combo Zé Colmeia", "combo zé colmeia pra sábado"]}
        expect(form.get_by_label("Intent", exact=True).locator("option[value=booking]")).to_have_text("Booking (2)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        screenshot(page, "assistant-examples-320")

        # The key: deleted after a confirmation, and the page says no key is set.
        form.get_by_role("button", name="Delete the key").click()
        with page.expect_response("**/api/v1/assistant/llm-key") as response:
            page.get_by_role("dialog").get_by_role("button", name="Delete the key").click()
        assert response.value.status == 204
        expect(page.get_by_text("The key was deleted.")).to_be_visible()
        expect(form.get_by_text("No key is set.")).to_be_visible()
        expect(form.get_by_role("button", name="Delete the key")).to_be_hidden()
        assert settings(api)["llm"]["has_key"] is False
    finally:
        api.call("PUT", "/api/v1/assistant/settings", {"intent_examples": {}})
        api.call("DELETE", "/api/v1/assistant/llm-key")


MANAGER = {"name": "Marta Gerente", "email": "marta@example.com", "password": "manager long passphrase"}


@pytest.fixture(scope="module")
def manager(api):
    """A Manager edits the hours: Managers may, and their sign-ins leave the Admin's API session
    alone (an account keeps at most 10 sessions, and the tests above signed the Admin in often)."""
    status, answer = api.call("POST", "/api/v1/staff", {**MANAGER, "role": "manager"})
    assert status == 201, answer
    return MANAGER


def settings_page(new_page, server, person):
    page = new_page(width=390, height=844)
    sign_in(page, server.base_url, person["email"], person["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{server.base_url}/assistant/settings")
    return page


def open_with_two_intervals(form, day, first, second):
    """Opens `day` and gives it two intervals, `first` in its row and `second` added after it."""
    form.get_by_label(day, exact=True).check()
    form.get_by_label(f"{day} opens at").fill(first[0])
    form.get_by_label(f"{day} closes at").fill(first[1])
    form.get_by_role("button", name=f"Add interval on {day}").click()
    form.get_by_label(f"{day}, interval 2, opens at").fill(second[0])
    form.get_by_label(f"{day}, interval 2, closes at").fill(second[1])


def test_a_lunch_break_holidays_and_the_burst_cap_are_saved_and_reloaded_on_a_phone(new_page, server, api, manager):
    before = settings(api)
    try:
        page = settings_page(new_page, server, manager)
        form = page.locator(".assistant-settings-form")
        # The afternoon first and the morning added after it: saved sorted all the same.
        open_with_two_intervals(form, "Monday", ("14:00", "18:00"), ("08:00", "12:00"))
        form.get_by_label("Seconds to wait for a person first").fill("30")
        form.get_by_label("Longest wait while messages keep arriving (seconds)").fill("300")
        for n, date in enumerate(["2026-12-25", "2026-11-20", "2026-12-25"], start=1):
            form.get_by_role("button", name="Add holiday").click()
            form.get_by_label(f"Holiday {n}", exact=True).fill(date)
        with page.expect_response("**/api/v1/assistant/settings") as response:
            form.get_by_role("button", name="Save settings").click()
        assert response.value.status == 200
        expect(page.get_by_text("Settings saved.")).to_be_visible()
        saved = settings(api)
        monday = next(day for day in saved["hours"]["days"] if day["weekday"] == 2)
        assert monday["intervals"] == [{"start": 480, "end": 720}, {"start": 840, "end": 1080}]
        assert saved["hours"]["holidays"] == ["2026-11-20", "2026-12-25"]
        assert saved["burst_cap_seconds"] == 300 and saved["human_first_seconds"] == 30
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "assistant-hours-390")

        page.reload()
        form = page.locator(".assistant-settings-form")
        expect(form.get_by_label("Monday opens at")).to_have_value("08:00")
        expect(form.get_by_label("Monday closes at")).to_have_value("12:00")
        expect(form.get_by_label("Monday, interval 2, opens at")).to_have_value("14:00")
        expect(form.get_by_label("Monday, interval 2, closes at")).to_have_value("18:00")
        expect(form.get_by_role("button", name="Remove Monday interval 2")).to_be_visible()
        expect(form.get_by_label("Longest wait while messages keep arriving (seconds)")).to_have_value("300")
        expect(form.locator(".holiday-row input")).to_have_count(2)
        expect(form.get_by_label("Holiday 1", exact=True)).to_have_value("2026-11-20")
        expect(form.get_by_label("Holiday 2", exact=True)).to_have_value("2026-12-25")

        # Removing a holiday and the lunch break removes them.
        form.get_by_role("button", name="Remove holiday 1").click()
        form.get_by_role("button", name="Remove Monday interval 2").click()
        expect(form.get_by_role("button", name="Remove Monday interval 1")).to_be_hidden()
        with page.expect_response("**/api/v1/assistant/settings") as response:
            form.get_by_role("button", name="Save settings").click()
        assert response.value.status == 200
        saved = settings(api)
        assert saved["hours"]["holidays"] == ["2026-12-25"]
        monday = next(day for day in saved["hours"]["days"] if day["weekday"] == 2)
        assert monday["intervals"] == [{"start": 480, "end": 720}]
    finally:
        api.call("PUT", "/api/v1/assistant/settings", {"hours": before["hours"], "burst_cap_seconds": before["burst_cap_seconds"],
                                                        "human_first_seconds": before["human_first_seconds"]})


def test_an_overlapping_interval_shows_the_server_error_next_to_the_hours_and_saves_nothing(new_page, server, api, manager):
    before = settings(api)
    page = settings_page(new_page, server, manager)
    form = page.locator(".assistant-settings-form")
    open_with_two_intervals(form, "Tuesday", ("09:00", "18:00"), ("12:00", "14:00"))
    form.get_by_role("button", name="Add holiday").click()
    form.get_by_label("Holiday 1", exact=True).fill("2026-09-07")
    with page.expect_response("**/api/v1/assistant/settings") as response:
        form.get_by_role("button", name="Save settings").click()
    assert response.value.status == 422
    error = form.locator("fieldset.hours > .field-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Tue 09:00–18:00 overlaps 12:00–14:00")
    assert settings(api) == before, "a refused change was kept"
    screenshot(page, "assistant-hours-overlap-390")


def test_the_burst_cap_below_the_human_first_wait_is_shown_under_its_field(new_page, server, api, manager):
    before = settings(api)
    page = settings_page(new_page, server, manager)
    form = page.locator(".assistant-settings-form")
    form.get_by_label("Seconds to wait for a person first").fill("600")
    burst = form.get_by_label("Longest wait while messages keep arriving (seconds)")
    burst.fill("120")
    with page.expect_response("**/api/v1/assistant/settings") as response:
        form.get_by_role("button", name="Save settings").click()
    assert response.value.status == 422
    expect(burst).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".field", has=page.get_by_label("Longest wait while messages keep arriving (seconds)"))
           .locator(".field-error")).to_contain_text("burst cap")
    assert settings(api) == before, "a refused change was kept"


def test_an_operator_sees_the_hours_holidays_and_burst_cap_but_cannot_change_them(new_page, server, api):
    before = settings(api)
    status, answer = api.call("PUT", "/api/v1/assistant/settings", {"hours": {
        "days": [{"weekday": 2, "intervals": [{"start": 480, "end": 720}, {"start": 840, "end": 1080}]}],
        "holidays": ["2026-12-25"]}})
    assert status == 200, answer
    operator = {"name": "Otto Operador", "email": "otto@example.com", "password": "operator long passphrase"}
    status, answer = api.call("POST", "/api/v1/staff", {**operator, "role": "operator"})
    assert status == 201, answer
    page = settings_page(new_page, server, operator)
    form = page.locator(".assistant-settings-form")
    expect(form.get_by_label("Monday, interval 2, opens at")).to_have_value("14:00")
    expect(form.get_by_label("Holiday 1", exact=True)).to_have_value("2026-12-25")
    for control in [form.get_by_label("Monday, interval 2, opens at"), form.get_by_label("Holiday 1", exact=True),
                    form.get_by_label("Longest wait while messages keep arriving (seconds)"),
                    form.get_by_role("button", name="Add interval on Monday"), form.get_by_role("button", name="Add holiday"),
                    form.get_by_role("button", name="Remove holiday 1")]:
        expect(control).to_be_disabled()
    expect(form.get_by_role("button", name="Save settings")).to_have_count(0)
    api.call("PUT", "/api/v1/assistant/settings", {"hours": before["hours"]})

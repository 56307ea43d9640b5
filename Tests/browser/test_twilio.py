"""Twilio in the dashboard against the real binary: Settings → Channels → Twilio, SMS
conversations (channel badge, SMS part counter), calls ringing live and missed calls texted back.
Twilio's webhooks are signed here as Twilio signs them (twilio_signer.py) over the server's
public_url; its REST API is fake_twilio.py on loopback."""

import re
import socket

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, AtendeServer, post_json, screenshot, sign_in
from fake_graph import Session
from fake_twilio import FakeTwilio
from twilio_signer import post_form, sid

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "twilio-auth-token-5f2e9c1d"
NUMBER = "+5511940000000"
CALLER = "+5511988887777"


def _port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server(name, fake, public_url):
    port = _port()
    env = {"ATENDE_TWILIO_API_URL": fake.url}
    if public_url:
        env["ATENDE_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    server = AtendeServer(name, env=env, port=port)
    status, _ = post_json(f"{server.base_url}/api/v1/setup", {"token": server.token, **ADMIN})
    assert status == 201, f"setup answered {status}"
    return server


@pytest.fixture(scope="module")
def fake():
    twilio = FakeTwilio(ACCOUNT_SID, AUTH_TOKEN)
    yield twilio
    twilio.stop()


@pytest.fixture(scope="module")
def server(fake):
    running = _server("twilio", fake, public_url=True)
    yield running
    running.stop()


@pytest.fixture
def connected(server):
    """The account saved through the API, as the settings test leaves it (tests stay independent)."""
    api = Session(server.base_url, ADMIN["email"], ADMIN["password"])
    status, text = api.call("PUT", "/api/v1/channels/twilio", {
        "account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "numbers": [NUMBER], "text_back_enabled": True,
        "quiet_hours": None, "forward_to": "+5511933332222"})
    assert status == 200, text
    return server


def signed_in(new_page, server, path, width=1280, height=800):
    page = new_page(width=width, height=height)
    sign_in(page, server.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{server.base_url}{path}")
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    return page


def sms(server, text, sender=CALLER):
    status, body = post_form(server.base_url, "/webhooks/twilio/sms", {
        "MessageSid": sid("SM"), "AccountSid": ACCOUNT_SID, "From": sender, "To": NUMBER, "Body": text, "NumMedia": "0"},
        AUTH_TOKEN)
    assert status == 200, body


def test_an_admin_saves_twilio_and_the_token_never_comes_back(server, fake, new_page):
    page = signed_in(new_page, server, "/settings/channels", width=390, height=844)
    card = page.locator("[data-testid=twilio]")
    expect(card.locator("[data-twilio-state]")).to_have_attribute("data-twilio-state", "not_connected")
    card.get_by_label("Account SID").fill("AC123")
    card.get_by_label(re.compile("^Auth token")).fill(AUTH_TOKEN)
    card.get_by_role("button", name="Save Twilio settings").click()
    sid_input = card.get_by_label("Account SID")
    expect(sid_input).to_have_attribute("aria-invalid", "true")
    expect(card.locator(".field", has=page.get_by_label("Account SID")).locator(".field-error")).to_be_visible()

    sid_input.fill(ACCOUNT_SID)
    card.get_by_label("Twilio number").first.fill(NUMBER)
    card.get_by_label("Business phone calls ring").fill("+5511933332222")
    card.get_by_label("Ring time (seconds)").fill("25")
    card.get_by_label("Text in Portuguese").fill("Oi! Vimos sua ligação e já respondemos por aqui.")
    card.get_by_label(re.compile("^At most once per caller")).fill("12")
    card.get_by_label("Quiet hours", exact=True).check()
    card.get_by_label("From", exact=True).fill("21:00")
    card.get_by_label("Until", exact=True).fill("07:00")
    card.get_by_role("button", name="Save Twilio settings").click()
    expect(page.get_by_text("Twilio settings saved.")).to_be_visible()

    page.reload()
    card = page.locator("[data-testid=twilio]")
    expect(card.locator("[data-twilio-state]")).to_have_attribute("data-twilio-state", "connected")
    expect(card.get_by_label("Account SID")).to_have_value(ACCOUNT_SID)
    expect(card.get_by_label("Twilio number").first).to_have_value(NUMBER)
    expect(card.get_by_label("Ring time (seconds)")).to_have_value("25")
    expect(card.get_by_label("Text in Portuguese")).to_have_value("Oi! Vimos sua ligação e já respondemos por aqui.")
    expect(card.get_by_label("From", exact=True)).to_have_value("21:00")
    expect(card.locator("[data-secret=auth_token]")).to_have_text("Set")
    expect(card.get_by_label(re.compile("^Auth token"))).to_have_value("")
    assert AUTH_TOKEN not in page.content()
    # The number is listed as an SMS number, without WhatsApp's actions.
    sms_card = page.locator(".channel-card[data-kind=sms]")
    expect(sms_card).to_contain_text(NUMBER)
    expect(sms_card.get_by_role("button")).to_have_count(0)
    # The addresses to paste into Twilio's console.
    hooks = card.locator("[data-testid=twilio-webhooks]")
    expect(hooks).to_contain_text(f"{server.base_url}/webhooks/twilio/sms")
    expect(hooks).to_contain_text(f"{server.base_url}/webhooks/twilio/voice")

    card.get_by_role("button", name="Test connection").click()
    result = card.locator("[data-testid=twilio-test-ok]")
    expect(result).to_contain_text("Test")
    expect(result).to_contain_text("active")
    screenshot(page, "twilio-settings-390")


def test_without_public_url_the_settings_warn_that_twilio_is_refused(fake, new_page):
    bare = _server("twilio-bare", fake, public_url=False)
    try:
        page = signed_in(new_page, bare, "/settings/channels", width=320, height=700)
        warning = page.locator("[data-testid=public-url-missing]")
        expect(warning).to_be_visible()
        expect(warning).to_contain_text("public_url")
        expect(page.locator("[data-testid=twilio-webhooks]")).to_have_count(0)
        page.locator("[data-testid=twilio]").get_by_role("button", name="Test connection").click()
        expect(page.locator("[data-testid=twilio]").get_by_text("Save the Account SID")).to_be_visible()
        screenshot(page, "twilio-public-url-missing-320")
    finally:
        bare.stop()


def test_the_sms_segment_counter_counts_like_phones_do(server, new_page):
    page = new_page()
    page.goto(f"{server.base_url}/login")
    counts = page.evaluate("""async () => {
      const { smsSegments } = await import('/assets/js/sms-segments.js');
      return {
        empty: smsSegments(''), one: smsSegments('a'.repeat(160)), two: smsSegments('a'.repeat(161)),
        three: smsSegments('a'.repeat(307)), euro: smsSegments('€'.repeat(80)), euro2: smsSegments('€'.repeat(81)),
        accents: smsSegments('Olá, você está bem? àéü'), emoji: smsSegments('Oi 😀'),
        ucs70: smsSegments('ç' + 'ã'.repeat(69)), ucs71: smsSegments('ã'.repeat(71)),
      };
    }""")
    assert counts["empty"]["parts"] == 0
    assert (counts["one"]["encoding"], counts["one"]["parts"]) == ("gsm", 1)
    assert (counts["two"]["parts"], counts["two"]["perPart"]) == (2, 153)
    assert counts["three"]["parts"] == 3
    assert (counts["euro"]["units"], counts["euro"]["parts"]) == (160, 1)
    assert counts["euro2"]["parts"] == 2
    assert counts["accents"]["encoding"] == "ucs2"   # ó, ê, á are not in GSM 03.38 (é and ü are)
    assert (counts["emoji"]["encoding"], counts["emoji"]["units"], counts["emoji"]["parts"]) == ("ucs2", 5, 1)
    assert counts["ucs70"]["parts"] == 1
    assert (counts["ucs71"]["parts"], counts["ucs71"]["perPart"]) == (2, 67)


def test_an_sms_arrives_with_its_badge_counts_parts_and_the_reply_goes_out(connected, fake, new_page):
    page = signed_in(new_page, connected, "/chats", width=390, height=844)
    sms(connected, "Oi, vocês atendem no sábado?", sender="+5511977776666")
    item = page.locator(".chat-list li", has_text="Oi, vocês atendem no sábado?")
    expect(item.locator(".channel-badge")).to_have_text("SMS")
    item.locator("button").click()
    thread = page.locator(".thread")
    expect(thread.locator(".thread-badges [data-channel=sms]")).to_be_visible()
    composer = thread.locator(".composer")
    expect(composer.locator(".composer-attach")).to_be_hidden()
    expect(composer.locator(".composer-toggle-buttons")).to_be_hidden()
    expect(composer.locator(".composer-notice")).to_be_hidden()
    box = composer.get_by_label("Message")
    box.fill("a" * 161)
    count = composer.locator("[data-testid=sms-count]")
    expect(count).to_have_attribute("data-parts", "2")
    expect(count).to_have_attribute("data-encoding", "gsm")
    expect(count).to_contain_text("161 characters · 2 SMS")
    box.fill("Sim, das 8h às 12h 😀")
    expect(count).to_have_attribute("data-encoding", "ucs2")
    expect(count).to_have_attribute("data-parts", "1")
    box.press("Enter")
    sent = fake.wait_for_message(lambda m: m.get("Body") == "Sim, das 8h às 12h 😀")
    assert sent["To"] == "+5511977776666" and sent["From"] == NUMBER
    expect(thread.locator(".msg-out", has_text="Sim, das 8h às 12h")).to_be_visible()


def test_a_call_rings_live_and_a_missed_one_is_shown_and_texted_back(connected, fake, new_page):
    sms(connected, "Bom dia")
    page = signed_in(new_page, connected, "/chats", width=390, height=844)
    call = sid("CA")
    status, body = post_form(connected.base_url, "/webhooks/twilio/voice", {
        "CallSid": call, "AccountSid": ACCOUNT_SID, "From": CALLER, "To": NUMBER, "CallStatus": "ringing",
        "Direction": "inbound"}, AUTH_TOKEN)
    assert status == 200, body
    notice = page.locator(".call-alert")
    expect(notice).to_have_attribute("role", "status")
    expect(notice).to_contain_text("Incoming call from")
    expect(notice).to_contain_text(CALLER)
    screenshot(page, "twilio-incoming-call-390")
    # While it rings, the notice opens the caller's history.
    notice.get_by_role("link", name="Open SMS conversation").click()
    expect(notice).to_be_hidden()
    expect(page.locator(".thread .msg-in", has_text="Bom dia")).to_be_visible()
    status, body = post_form(connected.base_url, "/webhooks/twilio/dial-status", {
        "CallSid": call, "AccountSid": ACCOUNT_SID, "From": CALLER, "To": NUMBER, "DialCallStatus": "no-answer"}, AUTH_TOKEN)
    assert status == 200, body
    missed = page.locator(".thread .msg-call-missed")
    expect(missed).to_contain_text("Missed call")
    texted = fake.wait_for_message(lambda m: m.get("To") == CALLER)
    assert texted["From"] == NUMBER
    expect(missed.locator("[data-testid=text-back]")).to_be_visible()
    expect(page.locator(".thread .msg-in", has_text="Bom dia").locator(".msg-reply-button")).to_have_count(0)   # no quotes on SMS

    # A second call, answered: its notice leaves when the call's record arrives, and the row gives
    # the duration as m:ss, in the thread live.
    answered = sid("CA")
    for path, extra in (("/webhooks/twilio/voice", {"CallStatus": "ringing", "Direction": "inbound"}),
                        ("/webhooks/twilio/dial-status", {"DialCallStatus": "completed", "DialCallDuration": "65"})):
        status, body = post_form(connected.base_url, path, {
            "CallSid": answered, "AccountSid": ACCOUNT_SID, "From": CALLER, "To": NUMBER, **extra}, AUTH_TOKEN)
        assert status == 200, body
    expect(notice).to_be_hidden()
    answered_row = page.locator(".thread .msg-call:not(.msg-call-missed)")
    expect(answered_row).to_contain_text("Answered call")
    expect(answered_row).to_contain_text("lasted 1:05")
    screenshot(page, "twilio-thread-390")


def test_a_contact_who_texts_stop_is_marked_and_the_composer_explains(connected, new_page):
    sms(connected, "Quero marcar uma consulta", sender="+5511966665555")
    sms(connected, "STOP", sender="+5511966665555")
    page = signed_in(new_page, connected, "/chats", width=320, height=700)
    page.locator(".chat-list li", has_text="+5511966665555").locator("button").click()
    thread = page.locator(".thread")
    expect(thread.locator(".thread-badges [data-opted-out=sms]")).to_have_text("Opted out of SMS")
    notice = thread.locator(".composer-notice")
    expect(notice).to_contain_text("opted out of SMS")
    expect(thread.locator(".composer").get_by_label("Message")).to_be_disabled()
    screenshot(page, "twilio-opted-out-320")


def test_a_manager_reads_the_twilio_settings_without_changing_them(connected, new_page):
    manager = {"name": "Maria Manager", "email": "maria.twilio@example.com", "password": "manager long passphrase"}
    api = Session(connected.base_url, ADMIN["email"], ADMIN["password"])
    status, answer = api.call("POST", "/api/v1/staff", {**manager, "role": "manager"})
    assert status == 201, answer
    page = new_page(width=390, height=844)
    sign_in(page, connected.base_url, manager["email"], manager["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{connected.base_url}/settings/channels")
    card = page.locator("[data-testid=twilio]")
    expect(card.get_by_label("Account SID")).to_have_value(ACCOUNT_SID)
    expect(card.get_by_label("Account SID")).to_be_disabled()
    expect(card.get_by_role("button", name="Save Twilio settings")).to_have_count(0)
    expect(card.get_by_role("button", name="Test connection")).to_have_count(0)
    assert AUTH_TOKEN not in page.content()

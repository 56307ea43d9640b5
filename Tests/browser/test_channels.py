"""Settings → Channels and Templates in the system Chromium, against the real `atende serve`
pointed at a small fake Graph API on loopback (see conftest.py for the server and browser)."""

import json
import re
import time

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, owned_server, screenshot, sign_in
from fake_graph import (AGENT, APP_SECRET, GOOD_TOKEN, PHONE_ID, SECRETS, VERIFY_TOKEN, WABA_ID, WRONG_TOKEN,
                        Session, inbound_message, template_rejected, webhook)


@pytest.fixture(scope="module")
def server(graph):
    """A server of its own, talking to the fake Graph API, with its first Admin."""
    atende = owned_server("channels", graph.url)
    yield atende
    atende.stop()


def signed_in_admin(page, server):
    sign_in(page, server.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {ADMIN['name']}")


def assert_no_secret_in_dom(page):
    html = page.content()
    values = page.evaluate("[...document.querySelectorAll('input')].map((input) => input.value).join('\\n')")
    for secret in SECRETS:
        assert secret not in html, "a secret is in the page"
        assert secret not in values, "a secret is still in a form field"


def channel_card(page, name):
    return page.locator(".channel-card", has=page.get_by_role("heading", name=name, exact=True))


def test_an_admin_connects_a_number_tests_it_and_secrets_never_come_back(server, graph, new_page):
    page = new_page()
    signed_in_admin(page, server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    tabs = page.get_by_role("navigation", name="Settings sections").get_by_role("link")
    expect(tabs).to_have_text(["Staff", "API tokens", "Channels", "Templates", "Audit log", "Services", "Availability"])
    tabs.get_by_text("Channels").click()
    expect(page).to_have_url(re.compile(r"/settings/channels$"))
    expect(page.get_by_text("No WhatsApp number is connected yet.")).to_be_visible()

    # Where Meta must send messages: this server's own address.
    expect(page.locator(".webhook-card code")).to_have_text(f"{server.base_url}/webhooks/whatsapp")

    page.get_by_text("Connect a WhatsApp number").click()
    form = page.get_by_role("form", name="Connect a WhatsApp number")
    form.get_by_label("Name").fill("Front desk")
    form.get_by_label("Phone number ID").fill("10654-bad")
    form.get_by_label("WhatsApp Business Account ID").fill(WABA_ID)
    form.get_by_label("Access token").fill(GOOD_TOKEN)
    form.get_by_label("App secret").fill(APP_SECRET)
    form.get_by_label("Verify token").fill(VERIFY_TOKEN)
    form.get_by_role("button", name="Connect number").click()
    # The server's refusal is shown next to the field it names.
    field_error = form.locator(".field", has=page.get_by_label("Phone number ID")).locator(".field-error")
    expect(field_error).to_contain_text("digits only")
    expect(form.get_by_label("Phone number ID")).to_have_attribute("aria-invalid", "true")

    form.get_by_label("Phone number ID").fill(PHONE_ID)
    form.get_by_role("button", name="Connect number").click()
    expect(page.get_by_text("Front desk was connected.")).to_be_visible()
    card = channel_card(page, "Front desk")
    expect(card).to_contain_text(PHONE_ID)
    expect(card).to_contain_text("Active")
    for secret in ("access_token", "app_secret", "verify_token"):
        expect(card.locator(f"[data-secret='{secret}']")).to_have_text("Set")
    assert_no_secret_in_dom(page)

    card.get_by_role("button", name="Test connection").click()
    result = card.locator(".channel-test-result")
    expect(result).to_contain_text("+55 11 3333-0100")
    expect(result).to_contain_text("Clínica Sol")
    expect(result).to_contain_text("High (green)")
    assert any(entry[1].startswith(f"/v22.0/{PHONE_ID}?") for entry in graph.requests if entry[0] == "GET")
    screenshot(page, "channels-1280")

    page.reload()
    expect(channel_card(page, "Front desk")).to_be_visible()
    assert_no_secret_in_dom(page)

    # No API answer carries a secret either.
    api = Session(server.base_url, ADMIN["email"], ADMIN["password"])
    status, listing = api.call("GET", "/api/v1/channels")
    assert status == 200
    channel = json.loads(listing)["items"][0]
    answers = [listing, api.call("GET", f"/api/v1/channels/{channel['id']}")[1],
               api.call("POST", f"/api/v1/channels/{channel['id']}/test")[1], api.call("GET", "/api/v1/audit")[1]]
    for answer in answers:
        for secret in SECRETS:
            assert secret not in answer
    assert channel["secrets"] == {"access_token": True, "app_secret": True, "verify_token": True}


def test_a_wrong_token_shows_the_error_and_a_new_one_keeps_the_other_secrets(server, graph, new_page):
    page = new_page()
    signed_in_admin(page, server)
    page.goto(f"{server.base_url}/settings/channels")
    card = channel_card(page, "Front desk")
    card.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Access token")).to_have_value("")
    expect(dialog.get_by_label("Phone number ID")).to_have_value(PHONE_ID)
    expect(dialog.get_by_text("Saved already: leave empty to keep it.").first).to_be_visible()
    screenshot(page, "channel-edit-1280")
    dialog.get_by_label("Access token").fill(WRONG_TOKEN)
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Front desk was updated.")).to_be_visible()
    assert_no_secret_in_dom(page)

    card.get_by_role("button", name="Test connection").click()
    error = card.get_by_role("alert")
    expect(error).to_contain_text("The test failed")
    expect(error).to_contain_text("Session has expired")
    expect(card.locator(".channel-test-result")).to_have_count(0)

    # Put the good token back; the app secret and verify token were kept (still "Set").
    card.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Access token").fill(GOOD_TOKEN)
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog).to_have_count(0)
    for secret in ("access_token", "app_secret", "verify_token"):
        expect(card.locator(f"[data-secret='{secret}']")).to_have_text("Set")
    card.get_by_role("button", name="Test connection").click()
    expect(card.locator(".channel-test-result")).to_contain_text("Clínica Sol")
    assert_no_secret_in_dom(page)


def test_templates_sync_from_meta_with_statuses_filter_and_preview(server, graph, new_page):
    page = new_page()
    signed_in_admin(page, server)
    page.goto(f"{server.base_url}/settings/templates")
    expect(page.get_by_text("No templates yet.")).to_be_visible()
    page.get_by_role("button", name="Sync from Meta").click()
    expect(page.get_by_role("status").filter(has_text="Synced")).to_have_text("Synced: 5 templates.")
    rows = page.locator(".templates-table tbody tr:not(.template-preview-row)")
    expect(rows).to_have_count(5)   # both pages of the Graph answer
    for name, status in [("appointment_reminder", "Approved"), ("summer_promo", "Rejected"), ("new_hours", "Pending review"),
                         ("old_offer", "Paused"), ("legacy_notice", "Disabled")]:
        row = page.locator("tr", has=page.get_by_text(name, exact=True))
        expect(row.locator(".template-status")).to_have_text(status)
    expect(page.locator("tr[data-name='appointment_reminder']")).to_contain_text("Front desk")

    # Meta's status webhook says why a template was rejected; the open page shows it live, no reload.
    expect(page.locator("tr[data-name='summer_promo']")).not_to_contain_text("Reason: invalid format")
    assert webhook(server, template_rejected("9002", "INVALID_FORMAT")) == 200
    expect(page.locator("tr[data-name='summer_promo'] .template-reason")).to_have_text("Reason: invalid format")

    page.get_by_label("Status").select_option("REJECTED")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-name", "summer_promo")
    page.get_by_label("Status").select_option("")
    expect(rows).to_have_count(5)

    reminder = page.locator("tr[data-name='appointment_reminder']")
    reminder.get_by_role("button", name="Preview").click()
    preview = page.locator(".template-preview-row:visible")
    expect(preview.locator(".tpl-header")).to_have_text("Consulta {{1}}")
    expect(preview.locator(".tpl-body")).to_have_text("Olá {{1}}, sua consulta é {{2}} às {{3}}.")
    expect(preview.locator(".tpl-body mark.placeholder")).to_have_text(["{{1}}", "{{2}}", "{{3}}"])
    expect(preview.locator(".tpl-footer")).to_have_text("Clínica Sol")
    expect(preview.locator(".tpl-button")).to_have_text(["Confirmar", "Remarcar"])
    expect(reminder.get_by_role("button", name="Preview")).to_have_attribute("aria-expanded", "true")
    screenshot(page, "templates-1280")

    page.set_viewport_size({"width": 320, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "sideways scrolling at 320 px"
    screenshot(page, "templates-320")


def test_a_refused_token_pauses_the_number_and_the_banner_appears_live(server, graph, new_page):
    page = new_page()
    signed_in_admin(page, server)
    banner = page.locator(".channel-alert")
    expect(banner).to_be_hidden()

    # A customer writes; staff reply; Meta refuses the send with code 190, which pauses the number.
    assert webhook(server, inbound_message("Oi, vocês abrem sábado?")) == 200
    api = Session(server.base_url, ADMIN["email"], ADMIN["password"])
    conversation = None
    for _ in range(100):
        items = json.loads(api.call("GET", "/api/v1/conversations")[1])["items"]
        if items:
            conversation = items[0]
            break
        time.sleep(0.1)
    assert conversation, "the inbound message made no conversation"
    graph.refuse_sends = True
    status, answer = api.call("POST", f"/api/v1/conversations/{conversation['id']}/messages", {"text": "Sim, das 9h às 13h."})
    assert status == 201, answer

    expect(banner).to_be_visible(timeout=20000)
    expect(banner).to_contain_text("WhatsApp number Front desk is paused")
    # Plain words with Meta's code, not "channel_not_authorised: …".
    expect(banner).to_contain_text("Meta refused the access token (190): it is invalid, expired or was revoked.")
    expect(banner).not_to_contain_text("channel_not_authorised")
    expect(banner.get_by_role("link", name=re.compile("Settings → Channels"))).to_be_visible()
    screenshot(page, "channel-paused-banner-1280")

    banner.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/settings/channels$"))
    card = channel_card(page, "Front desk")
    expect(card.locator(".badge-paused")).to_have_text("Paused")
    expect(card.locator(".channel-paused-summary")).to_have_text(
        "Sending is paused. Meta refused the access token (190): it is invalid, expired or was revoked.")
    expect(card.locator(".channel-paused-action")).to_have_text(
        "Paste a new access token in Settings → Channels; sending resumes when it is saved.")
    expect(card.locator(".channel-paused-detail")).to_contain_text("Meta said:")
    expect(card.locator(".channel-paused-detail")).to_contain_text("Session has expired")
    expect(card.locator(".channel-paused-reason")).to_have_attribute("data-provider-code", "190")
    # The API keeps the provider's code and words next to the plain text.
    paused = json.loads(api.call("GET", "/api/v1/channels")[1])["items"][0]["paused"]
    assert paused["code"] == "channel_not_authorised" and paused["provider_code"] == 190
    assert "Session has expired" in paused["provider_message"]
    assert paused["summary"] == "Meta refused the access token (190): it is invalid, expired or was revoked."
    assert paused["action"].startswith("Paste a new access token in Settings → Channels")

    # In Portuguese too: the same facts, Meta's code kept.
    pt = new_page(locale="pt-BR")
    pt.goto(f"{server.base_url}/login")
    pt.locator("input[type=email]").fill(ADMIN["email"])
    pt.locator("input[type=password]").fill(ADMIN["password"])
    pt.locator("button[type=submit]").click()
    expect(pt.locator(".channel-alert")).to_contain_text(
        "A Meta recusou o token de acesso (190): ele é inválido, expirou ou foi revogado.")
    pt.goto(f"{server.base_url}/settings/channels")
    expect(pt.locator(".channel-paused-action")).to_have_text(
        "Cole um novo token de acesso em Configurações → Canais; o envio volta quando ele for salvo.")
    expect(pt.locator(".channel-paused-detail")).to_contain_text("A Meta disse:")

    page.set_viewport_size({"width": 320, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "sideways scrolling at 320 px"
    screenshot(page, "channels-320")
    card.get_by_role("button", name="Edit").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "sideways scrolling at 320 px"
    page.screenshot(path=str(screenshot(page, "channel-edit-320")))   # the viewport: the dialog scrolls inside
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)

    # A new access token resumes the number, and the banner goes away live.
    graph.refuse_sends = False
    page.set_viewport_size({"width": 1280, "height": 800})
    card.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Access token").fill(GOOD_TOKEN)
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog).to_have_count(0)
    expect(card.locator(".badge-on").first).to_have_text("Active")
    expect(banner).to_be_hidden()
    assert_no_secret_in_dom(page)


def test_an_agent_sees_neither_channels_nor_the_banner_and_a_manager_only_reads(server, graph, new_page):
    api = Session(server.base_url, ADMIN["email"], ADMIN["password"])
    manager = {"name": "Maria Manager", "email": "maria@example.com", "password": "manager long passphrase"}
    for person, role in ((AGENT, "agent"), (manager, "manager")):
        status, answer = api.call("POST", "/api/v1/staff", {**person, "role": role})
        assert status == 201, answer
    # Pause the number again so there is something an Agent must not see.
    graph.refuse_sends = True
    conversation = json.loads(api.call("GET", "/api/v1/conversations")[1])["items"][0]
    assert api.call("POST", f"/api/v1/conversations/{conversation['id']}/messages", {"text": "Olá"})[0] == 201
    for _ in range(100):
        if json.loads(api.call("GET", "/api/v1/channels")[1])["items"][0]["status"] == "paused":
            break
        time.sleep(0.1)
    else:
        pytest.fail("the number was not paused")

    page = new_page()
    sign_in(page, server.base_url, AGENT["email"], AGENT["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {AGENT['name']}")
    assert page.locator("nav#main-nav").get_by_role("link").all_inner_texts() == ["Home", "Chats", "Appointments", "Reports"]
    expect(page.locator(".channel-alert")).to_have_count(0)
    page.goto(f"{server.base_url}/settings/channels")
    expect(page.get_by_role("heading", level=1)).to_have_text("No access")
    page.goto(f"{server.base_url}/settings/templates")
    expect(page.get_by_role("heading", level=1)).to_have_text("No access")

    page = new_page()
    sign_in(page, server.base_url, manager["email"], manager["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {manager['name']}")
    expect(page.locator(".channel-alert")).to_have_count(0)   # the alert is for Admins
    page.goto(f"{server.base_url}/settings/channels")
    tabs = page.get_by_role("navigation", name="Settings sections").get_by_role("link")
    expect(tabs).to_have_text(["Staff", "Channels", "Templates", "Services", "Availability"])
    card = channel_card(page, "Front desk")
    expect(card).to_contain_text("Paused")
    expect(card.get_by_role("button")).to_have_count(0)
    expect(page.get_by_text("Connect a WhatsApp number")).to_have_count(0)
    page.goto(f"{server.base_url}/settings/templates")
    expect(page.locator(".templates-table tbody tr:not(.template-preview-row)")).to_have_count(5)
    expect(page.get_by_role("button", name="Sync from Meta")).to_be_visible()   # campaigns: full


def test_disconnecting_asks_first_and_clears_the_banner(server, graph, new_page):
    page = new_page()
    signed_in_admin(page, server)
    banner = page.locator(".channel-alert")
    expect(banner).to_be_visible()   # still paused by the previous test
    page.goto(f"{server.base_url}/settings/channels")
    card = channel_card(page, "Front desk")
    card.get_by_role("button", name="Disconnect").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Its conversations stay.")
    dialog.get_by_role("button", name="Cancel").click()
    expect(card).to_be_visible()
    card.get_by_role("button", name="Disconnect").click()
    page.get_by_role("dialog").get_by_role("button", name="Disconnect").click()
    expect(page.get_by_text("Front desk was disconnected.")).to_be_visible()
    expect(card).to_have_count(0)
    expect(page.get_by_text("No WhatsApp number is connected yet.")).to_be_visible()
    expect(banner).to_be_hidden()

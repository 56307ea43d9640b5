"""Home in the browser against the real binary: what needs someone now — the conversations
waiting for a person, the other unread ones, today's appointments — kept current by live events,
each item opening its conversation; an Agent's Home holds only what is assigned to them.

The server is this module's own, talking to the fake Graph API of fake_graph.py. "Today" is the
business's day: the module sets a business time zone where it is day time now, so a free slot
is left today whenever the suite runs.
"""

import datetime
import json
import time
import urllib.parse
import zoneinfo

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, owned_server, screenshot, sign_in
from fake_graph import PHONE_ID, WABA_ID, Session, connect_front_desk, webhook

SERVICE = "Limpeza de pele"
AGENT = {"name": "Rui Agente", "email": "rui@example.com", "password": "an agent's long passphrase"}
# Zones about four hours apart all round the world: one of them is between 06:00 and 20:00 now.
ZONES = ["Pacific/Kiritimati", "Pacific/Auckland", "Asia/Tokyo", "Asia/Kolkata", "Europe/Berlin",
         "America/Sao_Paulo", "America/New_York", "America/Los_Angeles", "Pacific/Honolulu", "Pacific/Pago_Pago"]


class Client(Session):
    def call(self, method, path, body=None):
        status, text = super().call(method, path, body)
        assert status < 400, f"{method} {path} answered {status}: {text}"
        return json.loads(text) if text else None


def arrive(server, wa_id, name, text):
    """A customer writes on WhatsApp (a signed webhook)."""
    assert webhook(server, {"object": "whatsapp_business_account", "entry": [{"id": WABA_ID, "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "5511333300100", "phone_number_id": PHONE_ID},
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [{"from": wa_id, "id": f"wamid.HOME{time.time_ns()}", "timestamp": str(int(time.time())),
                      "type": "text", "text": {"body": text}}]}}]}]}) == 200


def daytime_zone():
    now = datetime.datetime.now(datetime.timezone.utc)
    return next(name for name in ZONES if 6 <= now.astimezone(zoneinfo.ZoneInfo(name)).hour < 20)


@pytest.fixture(scope="module")
def clinic(graph):
    server = owned_server("home", graph.url)
    api = Client(server.base_url, ADMIN["email"], ADMIN["password"])
    connect_front_desk(Session(server.base_url, ADMIN["email"], ADMIN["password"]))
    zone = zoneinfo.ZoneInfo(daytime_zone())
    api.call("PUT", "/api/v1/assistant/settings", {"time_zone": zone.key})
    me = api.call("GET", "/api/v1/session")["staff"]
    # Open all day, every day; a 30-minute service on a 15-minute grid, no notice needed.
    api.call("PUT", f"/api/v1/availability/{me['id']}", {
        "days": [{"weekday": d, "intervals": [{"start": 0, "end": 1440}]} for d in range(1, 8)], "days_off": [], "time_off": []})
    api.call("PUT", "/api/v1/calendar/settings", {"minimum_notice_minutes": 0, "granularity_minutes": 15})
    service = api.call("POST", "/api/v1/services", {"name": SERVICE, "duration_minutes": 30, "staff_ids": [me["id"]]})
    agent = api.call("POST", "/api/v1/staff", {**AGENT, "role": "agent"})
    for wa_id, name in [("5511977770001", "Lia Costa"), ("5511977770002", "Bia Ramos"), ("5511977770003", "Caio Lima")]:
        arrive(server, wa_id, name, f"Oi, aqui é {name.split()[0]}")
    conversations = {c["contact"]["display_name"]: c["id"] for c in api.call("GET", "/api/v1/conversations")["items"]}
    api.call("PATCH", f"/api/v1/conversations/{conversations['Caio Lima']}", {"status": "pending_human"})
    api.call("PATCH", f"/api/v1/conversations/{conversations['Lia Costa']}", {"assignee_id": agent["id"]})
    # Bia books the next free time today.
    now = datetime.datetime.now(zone)
    midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(0, 0), tzinfo=zone)
    query = urllib.parse.urlencode({"service_id": service["id"], "from": now.isoformat(), "to": midnight.isoformat(), "limit": 1})
    slot = api.call("GET", f"/api/v1/slots?{query}")["items"][0]["start"]
    api.call("POST", "/api/v1/appointments", {"service_id": service["id"], "start": slot,
                                              "conversation_id": conversations["Bia Ramos"]})
    server.api, server.conversations = api, conversations
    yield server
    server.stop()


def card(page, title):
    return page.locator(".home-card", has=page.get_by_role("heading", name=title))


def open_home(new_page, server, who=ADMIN, width=1280, height=800):
    page = new_page(width=width, height=height)
    sign_in(page, server.base_url, who["email"], who["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {who['name']}")
    return page


def test_home_shows_who_waits_for_a_person_what_is_unread_and_todays_appointments(clinic, new_page):
    page = open_home(new_page, clinic)
    waiting, unread, today = card(page, "Waiting for a person"), card(page, "Unread"), card(page, "Today")
    expect(waiting.locator(".home-item")).to_have_count(1)
    expect(waiting.locator(".home-item")).to_contain_text("Caio Lima")
    expect(waiting.locator(".home-count")).to_have_text("1")
    # The one waiting for a person is not listed twice.
    expect(unread.locator(".home-item-name")).to_have_text(["Bia Ramos", "Lia Costa"])
    expect(unread.locator(".chat-badge").first).to_contain_text("1")
    expect(today.locator(".home-item")).to_have_count(1)
    expect(today.locator(".home-item")).to_contain_text(SERVICE)
    expect(today.locator(".home-item")).to_contain_text("Bia Ramos")
    screenshot(page, "home")


def test_a_new_message_reaches_home_live_and_an_item_opens_its_conversation(clinic, new_page):
    page = open_home(new_page, clinic)
    unread = card(page, "Unread")
    expect(unread.locator(".home-item")).to_have_count(2)
    arrive(clinic, "5511977770009", "Duda Nova", "Vocês atendem hoje?")
    expect(unread.locator(".home-item").first).to_contain_text("Duda Nova")     # newest first, no reload
    expect(unread.locator(".home-item").first).to_contain_text("Vocês atendem hoje?")
    card(page, "Waiting for a person").locator(".home-item", has_text="Caio Lima").click()
    expect(page).to_have_url(f"{clinic.base_url}/chats/{clinic.conversations['Caio Lima']}")
    expect(page.locator(".chat-thread-pane")).to_contain_text("Oi, aqui é Caio")


def test_an_agents_home_holds_only_what_is_assigned_to_them(clinic, new_page):
    page = open_home(new_page, clinic, who=AGENT)
    expect(card(page, "Unread").locator(".home-item-name")).to_have_text(["Lia Costa"])
    expect(card(page, "Waiting for a person").locator(".home-empty")).to_have_text("No one is waiting for a person.")
    expect(card(page, "Today").locator(".home-body")).not_to_contain_text("Loading")
    expect(page.locator(".home-card .message-error")).to_have_count(0)


def test_home_in_portuguese_fits_a_phone(clinic, new_page):
    page = new_page(width=360, height=740, locale="pt-BR")
    sign_in(page, clinic.base_url, ADMIN["email"], ADMIN["password"], language="pt-BR")
    expect(card(page, "Esperando uma pessoa").locator(".home-item")).to_contain_text("Caio Lima")
    expect(card(page, "Hoje").locator(".home-item")).to_contain_text(SERVICE)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"page scrolls sideways: {widths}"
    screenshot(page, "home-phone-pt")

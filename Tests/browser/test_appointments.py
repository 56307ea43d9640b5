"""Appointments in the browser against the real binary: a service and a staff member's hours set
through the API, customers arriving as signed WhatsApp webhooks, bookings made by hand in the
dashboard (day, week and list views), bookings made elsewhere appearing live, a time taken
meanwhile (409 slot_taken with the nearest free times), moving and cancelling, and a phone-sized
window without horizontal scroll.

The server is this module's own, talking to the fake Graph API of fake_graph.py, so telling the
customer about a booking is a real send to loopback.
"""

import datetime
import zoneinfo
import json
import time
import urllib.parse

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, owned_server, screenshot, sign_in
from fake_graph import PHONE_ID, WABA_ID, Session, connect_front_desk, webhook

SERVICE = "Corte feminino"


class Client(Session):
    def call(self, method, path, body=None):
        status, text = super().call(method, path, body)
        assert status < 400, f"{method} {path} answered {status}: {text}"
        return json.loads(text) if text else None


def arrive(server, wa_id, name, text, age_seconds=0):
    """A customer writes on WhatsApp (a signed webhook): their conversation exists afterwards."""
    assert webhook(server, {"object": "whatsapp_business_account", "entry": [{"id": WABA_ID, "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "5511333300100", "phone_number_id": PHONE_ID},
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [{"from": wa_id, "id": f"wamid.IN{time.time_ns()}", "timestamp": str(int(time.time()) - age_seconds),
                      "type": "text", "text": {"body": text}}]}}]}]}) == 200


# The business's time zone (the dashboard's days are its days), set by the salon fixture: from
# 00:00 UTC to the business's midnight, the host's date is already the next one.
BUSINESS_ZONE = [None]


def today():
    return datetime.datetime.now(BUSINESS_ZONE[0]).date()


def tomorrow():
    return today() + datetime.timedelta(days=1)


def midnight(day):
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=BUSINESS_ZONE[0])


@pytest.fixture(scope="module")
def salon(graph):
    server = owned_server("appointments", graph.url)
    api = Client(server.base_url, ADMIN["email"], ADMIN["password"])
    connect_front_desk(Session(server.base_url, ADMIN["email"], ADMIN["password"]))
    session = api.call("GET", "/api/v1/session")
    me = session["staff"]
    BUSINESS_ZONE[0] = zoneinfo.ZoneInfo(session["business_time_zone"])
    # Ana works 09:00–12:00 and 13:00–18:00 every day; slots every 30 minutes, no notice needed.
    api.call("PUT", f"/api/v1/availability/{me['id']}", {
        "days": [{"weekday": d, "intervals": [{"start": 540, "end": 720}, {"start": 780, "end": 1080}]} for d in range(1, 8)],
        "days_off": [], "time_off": []})
    api.call("PUT", "/api/v1/calendar/settings", {"minimum_notice_minutes": 0, "granularity_minutes": 30})
    service = api.call("POST", "/api/v1/services", {"name": SERVICE, "duration_minutes": 60, "price_cents": 8000,
                                                      "staff_ids": [me["id"]]})
    for wa_id, name in [("5511988880001", "Lia Costa"), ("5511988880002", "Bia Ramos"), ("5511988880003", "Caio Lima"),
                        ("5511988880004", "Duda Alves")]:
        arrive(server, wa_id, name, "Oi, queria marcar um corte")
    # Eva last wrote two days ago: WhatsApp's 24-hour window is closed, so she cannot be told.
    arrive(server, "5511988880005", "Eva Antiga", "Oi", age_seconds=2 * 86400)
    conversations = {c["contact"]["display_name"]: c["id"] for c in api.call("GET", "/api/v1/conversations")["items"]}
    server.api, server.me, server.service, server.conversations = api, me, service, conversations
    yield server
    server.stop()


def day_slots(server, day):
    start = midnight(day)
    query = urllib.parse.urlencode({"service_id": server.service["id"], "from": start.isoformat(),
                                    "to": (start + datetime.timedelta(days=1)).isoformat(), "limit": 100})
    return [slot["start"] for slot in server.api.call("GET", f"/api/v1/slots?{query}")["items"]]


def book_by_api(server, customer, start):
    return server.api.call("POST", "/api/v1/appointments", {
        "service_id": server.service["id"], "start": start, "conversation_id": server.conversations[customer]})


def appointments(server):
    start = midnight(today())
    query = urllib.parse.urlencode({"from": start.isoformat(), "to": (start + datetime.timedelta(days=30)).isoformat()})
    return server.api.call("GET", f"/api/v1/appointments?{query}")["items"]


def open_appointments(new_page, server, width=1280, height=800):
    page = new_page(width=width, height=height)
    sign_in(page, server.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    if width >= 768:
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Appointments").click()
    else:                                               # the navigation folds behind the menu button
        page.get_by_role("button", name="Menu", exact=True).click()
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Appointments").click()
    expect(page.get_by_role("heading", name="Appointments", level=1)).to_be_visible()
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    return page


def start_booking(page, customer):
    """Opens "New appointment", picks the customer's conversation, the service and tomorrow."""
    page.get_by_role("button", name="New appointment").click()
    dialog = page.get_by_role("dialog", name="New appointment")
    dialog.get_by_role("searchbox").fill(customer.split()[0])
    dialog.locator(".appt-pick", has_text=customer).click()
    expect(dialog.locator(".appt-chosen")).to_contain_text(customer)
    dialog.get_by_label("Service").select_option(label=SERVICE)
    dialog.get_by_label("Day", exact=True).fill(tomorrow().isoformat())
    dialog.get_by_label("Day", exact=True).dispatch_event("change")
    expect(dialog.locator(".slot").first).to_be_visible()
    return dialog


def assert_no_horizontal_scroll(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"page scrolls sideways: {widths}"


def test_booking_by_hand_shows_in_the_day_week_and_list_views(salon, new_page):
    page = open_appointments(new_page, salon)
    dialog = start_booking(page, "Lia Costa")
    slot = dialog.locator(".slot").nth(2)               # an hour after the day's first free time
    start = slot.get_attribute("data-start")
    first = datetime.datetime.fromisoformat(dialog.locator(".slot").first.get_attribute("data-start"))
    assert datetime.datetime.fromisoformat(start) - first == datetime.timedelta(hours=1)
    slot.click()
    expect(slot).to_have_attribute("aria-pressed", "true")
    dialog.get_by_role("button", name="Book").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".message-success, .message-notice").first).to_be_visible()

    booked = [a for a in appointments(salon) if a["contact_name"] == "Lia Costa"]
    assert len(booked) == 1 and booked[0]["start"] == start and booked[0]["service_name"] == SERVICE

    # Day view: tomorrow, in Ana's column, with its conversation link.
    page.get_by_role("button", name="Day", exact=True).click()
    page.locator("[data-action=next]").click()
    card = page.locator(f".appt-day .appt[data-id='{booked[0]['id']}']")
    expect(card).to_contain_text(SERVICE)
    expect(card).to_contain_text("Lia Costa")
    expect(card).to_contain_text("with Ana Souza")
    expect(card.locator(".appt-status")).to_have_text("Booked")
    expect(card.get_by_role("link", name="Lia Costa")).to_have_attribute("href", f"/chats/{salon.conversations['Lia Costa']}")
    expect(page.locator(".appt-column h3")).to_have_text(["Ana Souza"])

    # Week view: a chip on tomorrow's column, opening the full card.
    page.get_by_role("button", name="Week", exact=True).click()
    chip = page.locator(f".appt-week-day[data-day='{tomorrow().isoformat()}'] .appt-chip")
    expect(chip).to_contain_text("Lia Costa")
    expect(chip).to_contain_text(SERVICE)
    screenshot(page, "appointments-desktop-week")
    chip.click()
    expect(page.get_by_role("dialog").locator(".appt")).to_contain_text("Open conversation")
    page.get_by_role("dialog").get_by_role("button", name="Close").click()

    # List view: under tomorrow's heading; the customer's history page lists it too.
    page.get_by_role("button", name="List", exact=True).click()
    page.locator("[data-action=today]").click()
    item = page.locator(f".appt-list .appt[data-id='{booked[0]['id']}']")
    expect(item).to_contain_text("Lia Costa")
    page.screenshot(path="/tmp/appointments-desktop.png", full_page=True)
    item.get_by_role("link", name="Customer's appointments").click()
    expect(page.locator(".appt-range")).to_contain_text("Customer's appointments")
    expect(page.locator(".appt")).to_have_count(1)
    expect(page.locator(".appt")).to_contain_text(SERVICE)


def test_a_booking_made_elsewhere_appears_live(salon, new_page):
    page = open_appointments(new_page, salon)
    page.get_by_role("button", name="List", exact=True).click()
    page.evaluate("window.__sameDocument = true")
    free = day_slots(salon, tomorrow())
    booked = book_by_api(salon, "Bia Ramos", free[-1])
    card = page.locator(f".appt[data-id='{booked['id']}']")
    expect(card).to_contain_text("Bia Ramos")
    expect(card).to_contain_text(SERVICE)
    assert page.evaluate("window.__sameDocument") is True     # no reload happened

    # A change made elsewhere (a confirmation) also shows live.
    salon.api.call("PATCH", f"/api/v1/appointments/{booked['id']}", {"status": "confirmed"})
    expect(card.locator(".appt-status")).to_have_text("Confirmed")


def test_a_time_taken_meanwhile_shows_slot_taken_with_other_times(salon, new_page):
    page = open_appointments(new_page, salon)
    dialog = start_booking(page, "Caio Lima")
    slot = dialog.locator(".slot").nth(4)
    start = slot.get_attribute("data-start")
    slot.click()
    book_by_api(salon, "Duda Alves", start)             # someone else takes it first
    dialog.get_by_role("button", name="Book").click()
    expect(dialog.locator(".message-error")).to_have_text("That time is no longer free.")
    options = dialog.locator(".slot-option")
    expect(options.first).to_be_visible()
    offered = options.first.get_attribute("data-start")
    assert offered != start
    options.first.click()
    expect(dialog).to_be_hidden()
    caio = [a for a in appointments(salon) if a["contact_name"] == "Caio Lima"]
    assert [a["start"] for a in caio] == [offered]


def test_a_booking_the_customer_could_not_be_told_about_shows_the_notice(salon, new_page):
    page = open_appointments(new_page, salon)
    dialog = start_booking(page, "Eva Antiga")
    dialog.locator(".slot").last.click()
    dialog.get_by_role("button", name="Book").click()
    expect(dialog).to_be_hidden()
    notice = page.get_by_test_id("appointment-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("The customer was not told")
    assert [a["status"] for a in appointments(salon) if a["contact_name"] == "Eva Antiga"] == ["booked"]


def test_the_page_in_portuguese_on_a_phone(salon, new_page):
    page = new_page(width=375, height=812, locale="pt-BR")
    sign_in(page, salon.base_url, ADMIN["email"], ADMIN["password"], language="pt-BR")
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{salon.base_url}/appointments")
    expect(page.get_by_role("heading", name="Agenda", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Lista", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".appt-list .appt").first).to_contain_text("Corte feminino")
    expect(page.get_by_role("button", name="Novo agendamento")).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.screenshot(path="/tmp/appointments-phone-pt.png", full_page=True)


def test_the_page_fits_a_phone(salon, new_page):
    page = open_appointments(new_page, salon, width=375, height=812)
    expect(page.get_by_role("button", name="List", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".appt-list .appt").first).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.screenshot(path="/tmp/appointments-phone.png", full_page=True)
    page.get_by_role("button", name="Week", exact=True).click()
    expect(page.locator(".appt-week-day")).to_have_count(7)
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="New appointment").click()
    expect(page.get_by_role("dialog", name="New appointment")).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.screenshot(path="/tmp/appointments-phone-new.png")


def test_moving_and_cancelling_from_the_page(salon, new_page):
    page = open_appointments(new_page, salon)
    page.get_by_role("button", name="List", exact=True).click()
    lia = [a for a in appointments(salon) if a["contact_name"] == "Lia Costa"][0]
    card = page.locator(f".appt[data-id='{lia['id']}']")
    card.get_by_role("button", name="Move").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator(".slot").first).to_be_visible()
    target = dialog.locator(".slot").nth(1)
    new_start = target.get_attribute("data-start")
    assert new_start != lia["start"]
    target.click()
    dialog.get_by_role("button", name="Move appointment").click()
    expect(dialog).to_be_hidden()
    expect(card.locator("time")).to_have_attribute("datetime", new_start)
    moved = salon.api.call("GET", f"/api/v1/appointments/{lia['id']}")
    assert moved["start"] == new_start

    card.get_by_role("button", name="Cancel").click()
    dialog = page.get_by_role("dialog", name="Cancel Lia Costa's appointment?")
    dialog.get_by_label("Reason (optional)").fill("Salão fechado para reforma")
    dialog.get_by_role("button", name="Cancel appointment").click()
    expect(dialog).to_be_hidden()
    expect(card.locator(".appt-status")).to_have_text("Cancelled")
    expect(card.get_by_role("button", name="Move")).to_have_count(0)
    assert salon.api.call("GET", f"/api/v1/appointments/{lia['id']}")["status"] == "cancelled"


def test_services_availability_and_booking_rules_are_set_in_settings(salon, new_page):
    page = new_page()
    sign_in(page, salon.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings sections").get_by_role("link", name="Services").click()
    expect(page.locator("tr", has_text=SERVICE)).to_contain_text("R$ 80,00")

    # A price typed the Brazilian way is stored as cents.
    page.get_by_role("button", name="Add a service").click()
    dialog = page.get_by_role("dialog", name="Add a service")
    dialog.get_by_label("Name", exact=True).fill("Escova")
    dialog.get_by_label("Duration (minutes)").fill("45")
    dialog.get_by_label("Price (R$)").fill("1.080,50")
    expect(dialog.get_by_label("Ana Souza")).to_be_checked()
    dialog.get_by_role("button", name="Save service").click()
    expect(dialog).to_be_hidden()
    row = page.locator("tr", has_text="Escova")
    expect(row).to_contain_text("R$\u00a01.080,50")
    expect(row).to_contain_text("45 min")
    escova = [s for s in salon.api.call("GET", "/api/v1/services")["items"] if s["name"] == "Escova"][0]
    assert escova["price_cents"] == 108050 and escova["duration_minutes"] == 45 and escova["staff_ids"] == [salon.me["id"]]

    row.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit Escova")
    expect(dialog.get_by_label("Price (R$)")).to_have_value("1080,50")
    dialog.get_by_label("Price (R$)").fill("")
    dialog.get_by_role("button", name="Save service").click()
    expect(row).to_contain_text("On request")
    assert salon.api.call("GET", "/api/v1/services")["items"] and \
        [s for s in salon.api.call("GET", "/api/v1/services")["items"] if s["name"] == "Escova"][0]["price_cents"] is None

    # Ana's week: Sunday off, a day off, and the booking rules.
    page.get_by_role("navigation", name="Settings sections").get_by_role("link", name="Availability").click()
    expect(page.get_by_role("group", name="Ana Souza's week")).to_be_visible()
    expect(page.get_by_label("Monday opens at")).to_have_value("09:00")
    expect(page.get_by_label("Monday, interval 2, closes at")).to_have_value("18:00")
    page.locator("input[data-weekday='1']").uncheck()
    page.get_by_role("button", name="Add a day off").click()
    page.get_by_label("Holiday 1").first.fill("2027-02-15")
    page.get_by_role("button", name="Save hours").click()
    expect(page.get_by_text("Ana Souza's hours saved.")).to_be_visible()
    ana = [a for a in salon.api.call("GET", "/api/v1/availability")["items"] if a["staff_id"] == salon.me["id"]][0]
    assert [d["intervals"] for d in ana["days"] if d["weekday"] == 1] in ([], [[]])
    assert [d["intervals"] for d in ana["days"] if d["weekday"] == 2] == [[{"start": 540, "end": 720}, {"start": 780, "end": 1080}]]
    assert ana["days_off"] == ["2027-02-15"]

    page.get_by_label("Minimum notice (minutes)").fill("120")
    page.get_by_label("Reminders (hours before)").fill("24, 2")
    page.get_by_role("button", name="Save rules").click()
    expect(page.get_by_text("Booking rules saved.")).to_be_visible()
    rules = salon.api.call("GET", "/api/v1/calendar/settings")
    assert rules["minimum_notice_minutes"] == 120 and sorted(rules["reminder_hours"]) == [2, 24]
    screenshot(page, "appointments-settings-availability")

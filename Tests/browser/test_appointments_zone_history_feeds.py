"""Appointments seen from elsewhere, against the real binary (issue 12's open gaps):

- times are the business's: a front desk whose browser is in Tokyo sees and books 09:00 in São
  Paulo, the page names the business's zone, and the instant sent is São Paulo's 09:30;
- the Chats contact pane lists the contact's appointments, upcoming and past (a no-show says so),
  each linking to the Appointments page at that appointment, and new bookings arrive live;
- Appointments → Calendar feeds: a staff member makes, copies and revokes their own secret link,
  an Admin anyone's;
- Assistant → Settings on a 360 px phone: several intervals a day, holidays and the burst cap,
  with the server's field error under its field.

The server is this module's own, with the fake Graph API, so a booking's confirmation is a real
send to loopback.
"""

import datetime
import json
import re
import urllib.error
import urllib.request
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, owned_server, screenshot, sign_in
from fake_graph import Session, connect_front_desk, inbound_message, webhook

BUSINESS_ZONE = ZoneInfo("America/Sao_Paulo")
SERVICE = "Limpeza"
AGENT = {"name": "Rui Prado", "email": "rui@example.com", "role": "agent", "password": "a long agent passphrase"}


class Client(Session):
    def call(self, method, path, body=None):
        status, text = super().call(method, path, body)
        assert status < 400, f"{method} {path} answered {status}: {text}"
        return json.loads(text) if text else None


def business_day(offset):
    return datetime.datetime.now(BUSINESS_ZONE).date() + datetime.timedelta(days=offset)


def at(day, hour, minute=0):
    """The instant the business's clock shows `day` `hour`:`minute`."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BUSINESS_ZONE)


def instant(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def fetch_status(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type")


def no_horizontal_scroll(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"page scrolls sideways: {widths}"


@pytest.fixture(scope="module")
def clinic(graph):
    server = owned_server("zone-feeds", graph.url)
    api = Client(server.base_url, ADMIN["email"], ADMIN["password"])
    connect_front_desk(Session(server.base_url, ADMIN["email"], ADMIN["password"]))
    api.call("PUT", "/api/v1/assistant/settings", {"time_zone": "America/Sao_Paulo"})
    me = api.call("GET", "/api/v1/session")["staff"]
    # Ana works 09:00–12:00 every day, São Paulo time; slots every 30 minutes, no notice needed.
    api.call("PUT", f"/api/v1/availability/{me['id']}", {
        "days": [{"weekday": d, "intervals": [{"start": 540, "end": 720}]} for d in range(1, 8)], "days_off": [], "time_off": []})
    api.call("PUT", "/api/v1/calendar/settings", {"minimum_notice_minutes": 0, "granularity_minutes": 30})
    service = api.call("POST", "/api/v1/services", {"name": SERVICE, "duration_minutes": 60, "staff_ids": [me["id"]]})
    agent = api.call("POST", "/api/v1/staff", AGENT)
    agent = agent.get("staff", agent)
    assert webhook(server, inbound_message("Oi, quero marcar uma limpeza")) == 200      # Lia Costa writes
    conversation = api.call("GET", "/api/v1/conversations")["items"][0]
    server.api, server.me, server.service, server.agent, server.conversation = api, me, service, agent, conversation
    yield server
    server.stop()


def book(clinic, start):
    return clinic.api.call("POST", "/api/v1/appointments", {
        "service_id": clinic.service["id"], "start": start.isoformat(), "conversation_id": clinic.conversation["id"]})


def test_every_role_reads_the_business_time_zone_in_its_session(clinic):
    agent = Client(clinic.base_url, AGENT["email"], AGENT["password"])
    assert agent.call("GET", "/api/v1/session")["business_time_zone"] == "America/Sao_Paulo"
    assert clinic.api.call("GET", "/api/v1/session")["business_time_zone"] == "America/Sao_Paulo"


def test_a_browser_in_tokyo_sees_and_books_the_businesss_hours(clinic, new_page):
    page = new_page(timezone_id="Asia/Tokyo")
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "Asia/Tokyo"
    sign_in(page, clinic.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{clinic.base_url}/appointments")
    note = page.get_by_test_id("appointments-zone")
    expect(note).to_contain_text("America/Sao_Paulo\u00a0(GMT\u22123)")

    # Tomorrow in São Paulo: the free times are Ana's 09:00–12:00 there, not Tokyo's.
    tomorrow = business_day(1)
    page.get_by_role("button", name="New appointment").click()
    dialog = page.get_by_role("dialog", name="New appointment")
    dialog.get_by_role("searchbox").fill("Lia")
    dialog.locator(".appt-pick", has_text="Lia Costa").click()
    dialog.get_by_label("Service").select_option(label=SERVICE)
    dialog.get_by_label("Day", exact=True).fill(tomorrow.isoformat())
    dialog.get_by_label("Day", exact=True).dispatch_event("change")
    slots = dialog.locator(".slot")
    expect(slots.first).to_have_text(re.compile(r"^09:00"))
    expect(slots).to_have_text([re.compile(rf"^{time}") for time in ("09:00", "09:30", "10:00", "10:30", "11:00")])
    assert instant(slots.first.get_attribute("data-start")) == at(tomorrow, 9)
    slots.nth(1).click()
    dialog.get_by_role("button", name="Book").click()
    expect(dialog).to_be_hidden()

    # The instant sent is 09:30 in São Paulo (21:30 in Tokyo), and the page says 09:30.
    booked = clinic.api.call("GET", f"/api/v1/contacts/{clinic.conversation['contact']['id']}/appointments")["items"]
    assert [instant(a["start"]) for a in booked] == [at(tomorrow, 9, 30)]
    page.get_by_role("button", name="Day", exact=True).click()
    page.get_by_label("Go to day").fill(tomorrow.isoformat())
    page.get_by_label("Go to day").dispatch_event("change")
    card = page.locator(f".appt[data-id='{booked[0]['id']}']")
    expect(card.locator(".appt-time")).to_have_text(re.compile(r"^09:30 AM–10:30 AM$"))
    screenshot(page, "appointments-zone-tokyo")
    page.get_by_role("button", name="Week", exact=True).click()
    chip = page.locator(f".appt-week-day[data-day='{tomorrow.isoformat()}'] .appt-chip")
    expect(chip.locator(".appt-chip-time")).to_have_text(re.compile(r"^09:30"))

    # A browser already in São Paulo is told nothing about zones.
    local = new_page(timezone_id="America/Sao_Paulo")
    sign_in(local, clinic.base_url, ADMIN["email"], ADMIN["password"])
    expect(local.locator(".live-status")).to_have_attribute("data-state", "connected")
    local.goto(f"{clinic.base_url}/appointments")
    expect(local.get_by_role("button", name="New appointment")).to_be_visible()
    expect(local.get_by_test_id("appointments-zone")).to_have_count(0)


def test_time_off_typed_in_a_browser_elsewhere_is_the_businesss_wall_clock(clinic, new_page):
    day = business_day(20)
    page = new_page(timezone_id="Asia/Tokyo")
    sign_in(page, clinic.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{clinic.base_url}/settings/availability")
    expect(page.get_by_test_id("availability-zone")).to_contain_text("America/Sao_Paulo")
    page.get_by_role("button", name="Add time off").click()
    page.get_by_label("Time off 1 starts").fill(f"{day.isoformat()}T10:00")
    page.get_by_label("Time off 1 ends").fill(f"{day.isoformat()}T11:30")
    page.get_by_role("button", name="Save hours").click()
    expect(page.get_by_text("Ana Souza's hours saved.")).to_be_visible()
    ana = [a for a in clinic.api.call("GET", "/api/v1/availability")["items"] if a["staff_id"] == clinic.me["id"]][0]
    assert [(instant(p["start"]), instant(p["end"])) for p in ana["time_off"]] == [(at(day, 10), at(day, 11, 30))]
    page.reload()
    expect(page.get_by_label("Time off 1 starts")).to_have_value(f"{day.isoformat()}T10:00")
    clinic.api.call("PUT", f"/api/v1/availability/{clinic.me['id']}", {"days": ana["days"], "days_off": [], "time_off": []})


def test_the_contact_pane_lists_upcoming_and_past_appointments_with_links(clinic, new_page):
    day = business_day(2)
    upcoming = book(clinic, at(day, 10))
    contact_id = clinic.conversation["contact"]["id"]
    page = new_page(width=390, height=844, timezone_id="Europe/Lisbon")

    # The server cannot make an appointment in the past; a no-show from last week is added to
    # its real answer, as the API would give it, to see how the pane shows one.
    past_start = at(business_day(-7), 11)

    def with_a_past_no_show(route):
        response = route.fetch()
        body = response.json()
        past = dict(body["items"][0], id="01JDQ7Z5M3K8W4X2V9R6T1Y0AB", status="no_show",
                    start=past_start.isoformat(), end=(past_start + datetime.timedelta(hours=1)).isoformat())
        body["items"].append(past)
        route.fulfill(response=response, json=body)

    page.route(f"**/api/v1/contacts/{contact_id}/appointments", with_a_past_no_show)
    sign_in(page, clinic.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{clinic.base_url}/chats/{clinic.conversation['id']}")
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    pane = page.locator("[data-contact-appointments]")
    summary = pane.locator("summary")
    expect(summary).to_contain_text("Appointments")
    # The next visit, in the business's time (Lisbon would say 13:00 or 14:00).
    ahead = sorted(instant(a["start"]) for a in clinic.api.call("GET", f"/api/v1/contacts/{contact_id}/appointments")["items"])
    expect(summary).to_contain_text("next:")
    expect(summary).to_contain_text(ahead[0].astimezone(BUSINESS_ZONE).strftime("%H:%M"))
    summary.focus()
    page.keyboard.press("Enter")                        # opens with the keyboard
    upcoming_rows = pane.locator("[data-group=upcoming] .contact-appointment")
    expect(upcoming_rows).to_have_count(len(ahead))
    row = pane.locator(f".contact-appointment[data-id='{upcoming['id']}']")
    expect(row).to_contain_text("10:00")
    expect(row).to_contain_text(SERVICE)
    expect(row.locator(".appt-status")).to_have_text("Booked")
    past = pane.locator("[data-group=past] .contact-appointment")
    expect(past).to_have_count(1)
    expect(past.locator(".appt-status")).to_have_text("No-show")
    expect(past).to_contain_text("11:00")
    no_horizontal_scroll(page)
    screenshot(page, "chats-contact-appointments-390")

    # A booking made elsewhere arrives live.
    later = book(clinic, at(business_day(3), 11))
    expect(pane.locator(f".contact-appointment[data-id='{later['id']}']")).to_contain_text("11:00")
    expect(upcoming_rows).to_have_count(len(ahead) + 1)

    # Each links to the Appointments page at that appointment: its day, its card picked out.
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/appointments\?appointment={upcoming['id']}$"))
    card = page.locator(f".appt[data-id='{upcoming['id']}']")
    expect(card).to_have_class(re.compile("appt-target"))
    expect(card).to_be_focused()
    expect(page.locator(".appt-list-day h3").first).to_contain_text(str(day.day))
    screenshot(page, "appointments-linked-390")


def test_a_staff_member_makes_copies_and_revokes_their_own_calendar_link(clinic, new_page):
    page = new_page(width=360, height=780, timezone_id="Asia/Tokyo")
    sign_in(page, clinic.base_url, AGENT["email"], AGENT["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{clinic.base_url}/appointments")
    # An Agent cannot read the assistant's settings, yet learns the business's zone.
    expect(page.get_by_test_id("appointments-zone")).to_contain_text("America/Sao_Paulo")
    page.get_by_role("link", name="Calendar feeds").click()
    expect(page.get_by_role("heading", name="Calendar feeds", level=1)).to_be_visible()
    rows = page.locator(".feed-row")
    expect(rows).to_have_count(1)                       # an Agent manages only their own
    expect(rows.first).to_contain_text("Rui Prado (you)")
    expect(rows.first).to_contain_text("No link yet.")

    rows.first.get_by_role("button", name="Create link").click()
    box = page.get_by_test_id("feed-link")
    expect(box).to_be_visible()
    url = page.get_by_test_id("feed-url").inner_text()
    assert re.fullmatch(rf"{re.escape(clinic.base_url)}/calendar/feeds/[A-Za-z0-9_-]+\.ics", url), url
    assert fetch_status(url) == (200, "text/calendar; charset=utf-8")
    expect(box).to_contain_text("Google Calendar")
    expect(box).to_contain_text("New Calendar Subscription")
    box.get_by_role("button", name="Copy").click()
    expect(box.get_by_role("status")).not_to_be_empty()
    expect(rows.first).to_contain_text("Link active since")
    no_horizontal_scroll(page)
    screenshot(page, "calendar-feeds-agent-360")

    # Done hides the link for good (it is never shown again); Revoke stops it.
    box.get_by_role("button", name="Done").click()
    expect(box).to_be_hidden()
    rows.first.get_by_role("button", name="Revoke").click()
    confirm = page.get_by_role("dialog", name="Revoke Rui Prado's link?")
    confirm.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Rui Prado's link was revoked.")).to_be_visible()
    expect(rows.first).to_contain_text("No link yet.")
    expect(rows.first.get_by_role("button", name="Create link")).to_be_focused()
    assert fetch_status(url)[0] == 404


def test_an_admin_manages_anyones_calendar_link(clinic, new_page):
    page = new_page(locale="pt-BR")
    sign_in(page, clinic.base_url, ADMIN["email"], ADMIN["password"], language="pt-BR")
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{clinic.base_url}/appointments/feeds")
    expect(page.get_by_role("heading", name="Links de agenda", level=1)).to_be_visible()
    rui = page.locator(f".feed-row[data-staff='{clinic.agent['id']}']")
    expect(rui).to_contain_text("Rui Prado")
    expect(page.locator(f".feed-row[data-staff='{clinic.me['id']}']")).to_contain_text("Ana Souza (você)")

    rui.get_by_role("button", name="Criar link").click()
    first = page.get_by_test_id("feed-url").inner_text()
    assert fetch_status(first)[0] == 200
    assert [f["staff_id"] for f in clinic.api.call("GET", "/api/v1/calendar-feeds")["items"]] == [clinic.agent["id"]]

    # A new link replaces the old one, after a warning.
    rui.get_by_role("button", name="Novo link").click()
    page.get_by_role("dialog").get_by_role("button", name="Novo link").click()
    expect(page.get_by_test_id("feed-url")).not_to_have_text(first)
    second = page.get_by_test_id("feed-url").inner_text()
    assert fetch_status(first)[0] == 404 and fetch_status(second)[0] == 200
    screenshot(page, "calendar-feeds-admin-pt")
    clinic.api.call("DELETE", f"/api/v1/calendar-feeds/{clinic.agent['id']}")


def test_assistant_hours_holidays_and_burst_cap_on_a_360px_phone(clinic, new_page):
    page = new_page(width=360, height=780)
    sign_in(page, clinic.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{clinic.base_url}/assistant/settings")
    form = page.locator("form.assistant-settings-form")
    expect(form.get_by_label("Monday opens at")).to_be_visible()

    # Tuesday: morning, early and late afternoon; a holiday; the burst cap below the wait is refused.
    form.get_by_label("Tuesday closes at").fill("12:00")
    form.get_by_role("button", name="Add interval on Tuesday").click()
    form.get_by_label("Tuesday, interval 2, opens at").fill("13:00")
    form.get_by_label("Tuesday, interval 2, closes at").fill("15:00")
    form.get_by_role("button", name="Add interval on Tuesday").click()
    form.get_by_label("Tuesday, interval 3, opens at").fill("16:00")
    form.get_by_label("Tuesday, interval 3, closes at").fill("19:00")
    form.get_by_role("button", name="Add holiday").click()
    form.get_by_label("Holiday 1").fill("2027-01-01")
    burst = form.get_by_label("Longest wait while messages keep arriving (seconds)")
    burst.fill("10")
    form.get_by_role("button", name="Save settings").click()
    expect(burst).to_have_attribute("aria-invalid", "true")
    # The server's message under the field, and read out with it (aria-describedby).
    error_id = burst.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_contain_text("burst cap")
    page.locator(".field", has=page.locator(f"#{error_id}")).screenshot(
        path=str(screenshot(page, "assistant-burst-error-360").with_name("assistant-burst-error-360-field.png")))

    burst.fill("600")
    form.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    saved = clinic.api.call("GET", "/api/v1/assistant/settings")
    tuesday = [d for d in saved["hours"]["days"] if d["weekday"] == 3][0]
    assert [(i["start"], i["end"]) for i in tuesday["intervals"]] == [(540, 720), (780, 900), (960, 1140)]
    assert saved["hours"]["holidays"] == ["2027-01-01"] and saved["burst_cap_seconds"] == 600
    no_horizontal_scroll(page)
    screenshot(page, "assistant-hours-360")
    form.locator("fieldset.hours").screenshot(path=str(screenshot(page, "assistant-hours-360").with_name("assistant-hours-360-week.png")))

    # Removing the third interval removes it.
    form.get_by_role("button", name="Remove Tuesday interval 3").click()
    form.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    tuesday = [d for d in clinic.api.call("GET", "/api/v1/assistant/settings")["hours"]["days"] if d["weekday"] == 3][0]
    assert len(tuesday["intervals"]) == 2


def test_the_burst_cap_rule_is_shown_in_portuguese_under_its_field(clinic, new_page):
    page = new_page(width=360, height=780, locale="pt-BR")
    sign_in(page, clinic.base_url, ADMIN["email"], ADMIN["password"], language="pt-BR")
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{clinic.base_url}/assistant/settings")
    burst = page.get_by_label("Espera máxima com mensagens seguidas (segundos)")
    burst.fill("5")
    page.get_by_role("button", name="Salvar configurações").click()
    expect(burst).to_have_attribute("aria-invalid", "true")
    error_id = burst.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_have_text(
        "A espera máxima com mensagens seguidas é no mínimo a espera por uma pessoa e no máximo 7200 segundos.")
    expect(burst).to_be_focused()

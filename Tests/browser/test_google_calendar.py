"""Google Calendar against the real binary: an Admin saves the OAuth client in Settings →
Services and Availability, connects through Google's consent page (fake_google.py on loopback,
which consents at once) and back through /oauth/google/callback, sees the status; a busy time in
Google then removes that slot, a booking becomes an event, a cancellation deletes it, and
Disconnect revokes the grant. The secret and tokens never reach the page."""

import json
import time
import urllib.parse

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, AtendeServer, _free_port, post_json, screenshot, sign_in
from fake_google import CLIENT_ID, CLIENT_SECRET, FakeGoogle, _parse
from fake_graph import FakeGraph, Session, connect_front_desk, inbound_message, webhook

STAFF = {"name": "Dra. Beatriz Lima", "email": "beatriz@example.com", "role": "agent", "password": "a long agent passphrase"}


class Client(Session):
    def call(self, method, path, body=None):
        status, text = super().call(method, path, body)
        assert status < 400, f"{method} {path} answered {status}: {text}"
        return json.loads(text) if text else None


@pytest.fixture(scope="module")
def clinic():
    graph, google = FakeGraph(), FakeGoogle()
    port = _free_port()
    server = AtendeServer("google", port=port, env={
        "ATENDE_WHATSAPP_GRAPH_URL": graph.url, "ATENDE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "ATENDE_GOOGLE_AUTH_URL": google.url, "ATENDE_GOOGLE_OAUTH_URL": google.url,
        "ATENDE_GOOGLE_CALENDAR_URL": f"{google.url}/calendar/v3"})
    try:
        status, _ = post_json(f"{server.base_url}/api/v1/setup", {"token": server.token, **ADMIN})
        assert status == 201
        admin = Client(server.base_url, ADMIN["email"], ADMIN["password"])
        connect_front_desk(Session(server.base_url, ADMIN["email"], ADMIN["password"]))
        staff = admin.call("POST", "/api/v1/staff", STAFF)
        staff = staff.get("staff", staff)
        always = [{"weekday": day, "intervals": [{"start": 0, "end": 1440}]} for day in range(1, 8)]
        admin.call("PUT", f"/api/v1/availability/{staff['id']}", {"days": always})
        service = admin.call("POST", "/api/v1/services", {"name": "Limpeza", "duration_minutes": 60, "staff_ids": [staff["id"]]})
        assert webhook(server, inbound_message("Oi, quero marcar uma limpeza")) == 200
        conversation = admin.call("GET", "/api/v1/conversations")["items"][0]
        yield {"server": server, "admin": admin, "google": google, "staff": staff, "service": service, "conversation": conversation}
    finally:
        server.stop()
        google.stop()
        graph.stop()


def slots(clinic):
    query = urllib.parse.urlencode({"service_id": clinic["service"]["id"], "staff_id": clinic["staff"]["id"], "limit": 50})
    return [s["start"] for s in clinic["admin"].call("GET", f"/api/v1/slots?{query}")["items"]]


def eventually(check, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(what)


def test_an_admin_connects_google_calendar_and_busy_times_and_bookings_sync(clinic, new_page):
    server, google = clinic["server"], clinic["google"]
    page = new_page(width=390, height=844)
    sign_in(page, server.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{server.base_url}/settings/availability")
    card = page.locator(".google-calendar")
    expect(card.locator("[data-status]")).to_have_attribute("data-status", "not_configured")
    expect(card.locator(".google-redirect-uri")).to_have_text(f"{server.base_url}/oauth/google/callback")

    card.get_by_label("OAuth client id").fill(CLIENT_ID)
    card.get_by_label("OAuth client secret").fill(CLIENT_SECRET)
    card.get_by_role("button", name="Save Google settings").click()
    expect(page.get_by_text("Google Calendar settings saved.")).to_be_visible()
    expect(card.locator("[data-status]")).to_have_attribute("data-status", "disconnected")
    expect(card.get_by_label("OAuth client secret")).to_have_value("")
    expect(card.get_by_label(STAFF["name"])).to_have_value("primary")
    assert CLIENT_SECRET not in page.content()

    # Connect: to Google's consent page and back through the callback, in this session.
    card.get_by_role("button", name="Connect Google Calendar").click()
    page.wait_for_url(f"{server.base_url}/settings/availability")
    expect(page.get_by_text("Google Calendar connected.")).to_be_visible()
    card = page.locator(".google-calendar")
    expect(card.locator("[data-status]")).to_have_attribute("data-status", "connected")
    with google.lock:
        refresh = next(iter(google.refresh_tokens))
    assert refresh not in page.content() and "ya29." not in page.content()
    screenshot(page, "google-calendar-390")

    # A busy time in Google removes that slot once busy times are read again.
    free = slots(clinic)
    taken = free[2]
    with google.lock:
        google.busy.append((_parse(taken), _parse(taken) + (_parse(free[3]) - _parse(free[2])) * 2))
    card.get_by_role("button", name="Sync now").click()
    expect(page.get_by_text("Sync started.")).to_be_visible()
    eventually(lambda: taken not in slots(clinic), "the busy time in Google still offers its slot")

    # A booking becomes one event; its cancellation deletes it.
    admin = clinic["admin"]
    start = next(s for s in slots(clinic) if _parse(s) >= _parse(taken) + (_parse(free[3]) - _parse(free[2])) * 8)
    booked = admin.call("POST", "/api/v1/appointments", {"service_id": clinic["service"]["id"], "staff_id": clinic["staff"]["id"],
                                                         "start": start, "conversation_id": clinic["conversation"]["id"]})
    event = google.wait_for(lambda e: e["extendedProperties"]["private"].get("atendeAppointmentId") == booked["id"], "no event inserted")
    assert event["summary"].startswith("Limpeza") and _parse(event["start"]["dateTime"]) == _parse(start)
    eventually(lambda: (admin.call("GET", f"/api/v1/appointments/{booked['id']}").get("google_calendar") or {}).get("event_id") == event["id"],
               "the appointment does not name its event")
    admin.call("POST", f"/api/v1/appointments/{booked['id']}/cancel", {})
    google.wait_for(lambda e: e["id"] == event["id"] and e.get("status") == "cancelled", "the event was not deleted")

    # An event Google refuses for good (403, not a rate limit: no retry) is said on the card.
    with google.lock:
        google.refuse_inserts = (403, "forbidden", "You need to have writer access to this calendar.")
    later = next(s for s in slots(clinic) if _parse(s) > _parse(start))
    refused = admin.call("POST", "/api/v1/appointments", {"service_id": clinic["service"]["id"], "staff_id": clinic["staff"]["id"],
                                                          "start": later, "conversation_id": clinic["conversation"]["id"]})
    eventually(lambda: (admin.call("GET", f"/api/v1/appointments/{refused['id']}").get("google_calendar") or {}).get("error"),
               "the refused event left no error on its appointment")
    with google.lock:
        google.refuse_inserts = None
    page.goto(f"{server.base_url}/appointments/contact/{refused['contact_id']}")
    problem = page.locator(f".appt[data-id='{refused['id']}'] .appt-sync-error")
    expect(problem).to_contain_text("Not in Google Calendar: Google HTTP 403 forbidden: You need to have writer access")
    screenshot(page, "appointment-google-error-390")
    admin.call("POST", f"/api/v1/appointments/{refused['id']}/cancel", {})
    page.goto(f"{server.base_url}/settings/availability")
    card = page.locator(".google-calendar")

    # Disconnect (after a confirmation) revokes the grant.
    card.get_by_role("button", name="Disconnect").click()
    page.locator("dialog").get_by_role("button", name="Disconnect").click()
    expect(page.get_by_text("Google Calendar disconnected.")).to_be_visible()
    expect(card.locator("[data-status]")).to_have_attribute("data-status", "disconnected")
    with google.lock:
        assert refresh in google.revoked

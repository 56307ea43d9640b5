"""Calendar feeds against the real binary, read by the PyPI `icalendar` parser — a calendar
library of someone else's, so what our writer escapes and folds is checked by a reader we did
not write. No browser: a staff member's feed and the confirmation's one-appointment link are
fetched the way Google or Apple Calendar fetch them.

The appointments are made through the JSON API as staff would: a customer writes on WhatsApp (a
signed webhook), an Admin adds a staff member, their hours and a service, and books two slots.
"""

import datetime
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import icalendar
import pytest

from conftest import ADMIN, AtendeServer, _free_port, post_json
from fake_graph import FakeGraph, Session, connect_front_desk, inbound_message, webhook

BUSINESS = "Clínica Sorriso; Centro, São Paulo"
# Long and accented, so the calendar's name is folded across lines mid-word (and mid-character
# if the writer were careless).
STAFF = {"name": "Dra. Ana Beatriz Conceição Gonçalves de Albuquerque Magalhães", "email": "ana.beatriz@example.com",
         "role": "agent", "password": "a long agent passphrase"}
SERVICE = "Limpeza, polimento; flúor"
NOTE = "Alergia: látex\nTraz exames; raio-x, panorâmica \\ fim 😀"


class Client(Session):
    """The JSON API as a signed-in staff member; any refusal fails the test."""

    def call(self, method, path, body=None):
        status, text = super().call(method, path, body)
        assert status < 400, f"{method} {path} answered {status}: {text}"
        return json.loads(text) if text else None


def fetch(url):
    """(status, content type, raw bytes) of a GET, as a calendar app would make it."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type"), error.read()


def assert_wire_form(raw):
    """RFC 5545 §3.1: CRLF line ends, no line over 75 octets, each line valid UTF-8 by itself."""
    assert raw.endswith(b"\r\n")
    for line in raw.split(b"\r\n")[:-1]:
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        line.decode("utf-8")


@pytest.fixture(scope="module")
def clinic():
    graph = FakeGraph()
    port = _free_port()
    server = AtendeServer("calendar", env={"ATENDE_WHATSAPP_GRAPH_URL": graph.url,
                                           "ATENDE_PUBLIC_URL": f"http://127.0.0.1:{port}"}, port=port)
    try:
        status, _ = post_json(f"{server.base_url}/api/v1/setup", {"token": server.token, **ADMIN})
        assert status == 201
        admin = Client(server.base_url, ADMIN["email"], ADMIN["password"])
        connect_front_desk(Session(server.base_url, ADMIN["email"], ADMIN["password"]))
        admin.call("PUT", "/api/v1/assistant/settings", {"business_name": BUSINESS})
        staff = admin.call("POST", "/api/v1/staff", STAFF)
        staff = staff.get("staff", staff)
        always = [{"weekday": day, "intervals": [{"start": 0, "end": 1440}]} for day in range(1, 8)]
        admin.call("PUT", f"/api/v1/availability/{staff['id']}", {"days": always})
        service = admin.call("POST", "/api/v1/services", {"name": SERVICE, "duration_minutes": 45, "staff_ids": [staff["id"]]})
        assert webhook(server, inbound_message("Oi, quero marcar uma limpeza")) == 200
        conversation = admin.call("GET", "/api/v1/conversations")["items"][0]

        query = urllib.parse.urlencode({"service_id": service["id"], "staff_id": staff["id"], "limit": 10})
        slots = admin.call("GET", f"/api/v1/slots?{query}")["items"]
        booked = [admin.call("POST", "/api/v1/appointments", {
            "service_id": service["id"], "staff_id": staff["id"], "start": slot["start"],
            "conversation_id": conversation["id"], "note": NOTE}) for slot in (slots[0], slots[4])]
        admin.call("POST", f"/api/v1/appointments/{booked[1]['id']}/cancel", {})
        yield {"server": server, "admin": admin, "staff": staff, "kept": booked[0], "cancelled": booked[1],
               "conversation": conversation}
    finally:
        server.stop()
        graph.stop()


def test_the_feed_is_valid_icalendar_with_the_staff_members_appointment_as_written(clinic):
    agent = Client(clinic["server"].base_url, STAFF["email"], STAFF["password"])
    feed = agent.call("POST", "/api/v1/calendar-feeds", {})
    assert feed["staff_id"] == clinic["staff"]["id"]
    assert feed["url"] == f"{clinic['server'].base_url}/calendar/feeds/{feed['token']}.ics"

    status, content_type, raw = fetch(feed["url"])
    assert status == 200 and content_type == "text/calendar; charset=utf-8"
    assert_wire_form(raw)
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Atende//Appointments 1.0//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    # An X- property is TEXT by default (RFC 5545 §3.8.8.2), so it is escaped like SUMMARY;
    # icalendar hands X- properties back as written (unfolded, not unescaped).
    assert str(calendar["X-WR-CALNAME"]) == f"{STAFF['name']} — {BUSINESS}".replace(";", "\\;").replace(",", "\\,")

    events = calendar.walk("VEVENT")
    assert len(events) == 1, "the cancelled appointment is left out"
    event, kept = events[0], clinic["kept"]
    assert str(event["UID"]) == f"{kept['id']}@atende"
    start = datetime.datetime.fromisoformat(kept["start"].replace("Z", "+00:00"))
    assert event.decoded("DTSTART") == start and event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(minutes=45)
    assert str(event["SUMMARY"]) == f"{SERVICE} — Lia Costa"
    assert str(event["DESCRIPTION"]) == f"Tel: +5511988887777\n{NOTE}"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert isinstance(event.decoded("DTSTAMP"), datetime.datetime)


def test_the_confirmations_link_opens_one_appointment_and_only_with_its_token(clinic):
    messages = clinic["admin"].call("GET", f"/api/v1/conversations/{clinic['conversation']['id']}/messages")["items"]
    links = [m for message in messages for m in re.findall(r"http://\S+/calendar/appointments/\S+\.ics", message.get("text") or "")]
    kept = next(link for link in links if f"/{clinic['kept']['id']}/" in link)
    cancelled = next(link for link in links if f"/{clinic['cancelled']['id']}/" in link)

    status, content_type, raw = fetch(kept)
    assert status == 200 and content_type == "text/calendar; charset=utf-8"
    assert_wire_form(raw)
    events = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert len(events) == 1 and str(events[0]["UID"]) == f"{clinic['kept']['id']}@atende"
    assert str(events[0]["SUMMARY"]) == f"{SERVICE} — {BUSINESS}"

    status, _, raw = fetch(cancelled)
    assert status == 200
    assert str(icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]["STATUS"]) == "CANCELLED"

    token = kept.rsplit("/", 1)[1][:-len(".ics")]
    other_token = cancelled.rsplit("/", 1)[1][:-len(".ics")]
    assert fetch(kept.replace(token, other_token))[0] == 404
    assert fetch(kept.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B")))[0] == 404


def test_a_new_feed_revokes_the_old_and_a_revoked_feed_is_gone(clinic):
    admin, staff_id = clinic["admin"], clinic["staff"]["id"]
    first = admin.call("POST", "/api/v1/calendar-feeds", {"staff_id": staff_id})
    second = admin.call("POST", "/api/v1/calendar-feeds", {"staff_id": staff_id})
    assert fetch(first["url"])[0] == 404
    assert fetch(second["url"])[0] == 200
    listed = admin.call("GET", "/api/v1/calendar-feeds")["items"]
    assert [feed["staff_id"] for feed in listed] == [staff_id] and "token" not in listed[0]
    admin.call("DELETE", f"/api/v1/calendar-feeds/{staff_id}")
    assert fetch(second["url"])[0] == 404
    log = "".join(clinic["server"].lines)
    for secret in (first["token"], second["token"]):
        assert secret not in log, "a feed token reached the server log"

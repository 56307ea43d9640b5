"""Live updates in the browser: the Home indicator, events arriving without a reload, and a
socket closed by the server when an admin disables the signed-in member."""

import re

from playwright.sync_api import expect

from conftest import sign_in

PASSWORD = "a long live-test passphrase"


def api(page, method, path, body=None):
    """Calls the API from inside the page, with its session cookie, as the dashboard does."""
    return page.evaluate(
        """async ([method, path, body]) => {
            const response = await fetch(path, {method, headers: {'Content-Type': 'application/json', 'X-Atende-CSRF': '1'},
                                                body: body ? JSON.stringify(body) : undefined});
            return {status: response.status, json: response.status === 204 ? null : await response.json()};
        }""",
        [method, path, body])


def test_home_shows_the_live_connection_and_events_arrive_without_a_reload(atende, admin, new_page):
    owner = new_page()
    sign_in(owner, atende.base_url, admin["email"], admin["password"])
    expect(owner.locator(".live-indicator")).to_have_text("Live: connected")
    created = api(owner, "POST", "/api/v1/staff",
                  {"name": "Caio Live", "email": "caio.live@example.com", "role": "operator", "password": PASSWORD})
    assert created["status"] == 201, created
    expect(owner.locator(".live-last")).to_contain_text("staff.created")


def test_disabling_a_signed_in_member_signs_them_out_at_once(atende, admin, new_page):
    owner = new_page()
    sign_in(owner, atende.base_url, admin["email"], admin["password"])
    expect(owner.locator(".live-indicator")).to_have_text("Live: connected")  # signed in
    created = api(owner, "POST", "/api/v1/staff",
                  {"name": "Dora Live", "email": "dora.live@example.com", "role": "agent", "password": PASSWORD})
    assert created["status"] == 201, created

    member = new_page()
    sign_in(member, atende.base_url, "dora.live@example.com", PASSWORD)
    expect(member.locator(".live-indicator")).to_have_text("Live: connected")
    disabled = api(owner, "PATCH", f"/api/v1/staff/{created['json']['id']}", {"disabled": True})
    assert disabled["status"] == 200, disabled
    expect(member).to_have_url(re.compile(r"/login$"))
    expect(member.get_by_role("status")).to_have_text("Your session ended. Please sign in again.")


def test_the_staff_list_follows_changes_made_in_another_session(atende, admin, new_page):
    watcher, actor = new_page(), new_page()
    for page in (watcher, actor):
        sign_in(page, atende.base_url, admin["email"], admin["password"])
        expect(page.locator(".live-indicator")).to_have_text("Live: connected")
    watcher.goto(f"{atende.base_url}/settings/staff")
    expect(watcher.locator("tr", has_text=admin["email"])).to_be_visible()

    created = api(actor, "POST", "/api/v1/staff",
                  {"name": "Edu Live", "email": "edu.live@example.com", "role": "agent", "password": PASSWORD})
    assert created["status"] == 201, created
    row = watcher.locator("tr", has_text="edu.live@example.com")
    expect(row).to_contain_text("Edu Live")  # appeared without a reload
    renamed = api(actor, "PATCH", f"/api/v1/staff/{created['json']['id']}", {"name": "Eduardo Live", "role": "operator"})
    assert renamed["status"] == 200, renamed
    expect(row).to_contain_text("Eduardo Live")
    expect(row.get_by_role("combobox")).to_have_value("operator")

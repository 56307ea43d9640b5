"""Sensitive changes after the re-authentication window: the dashboard asks for the password,
then makes the change; a wrong password is refused in the dialog."""

import time

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, AtendeServer, post_json, sign_in

WINDOW_S = 2


@pytest.fixture
def quick_reauth_atende():
    """A server of its own whose re-authentication window is two seconds."""
    server = AtendeServer("reauth", env={"ATENDE_REAUTH_WINDOW_S": str(WINDOW_S)})
    status, _ = post_json(f"{server.base_url}/api/v1/setup", {"token": server.token, **ADMIN})
    assert status == 201, f"setup answered {status}"
    yield server
    server.stop()


def test_a_role_change_after_the_window_asks_for_the_password_then_happens(quick_reauth_atende, new_page):
    base = quick_reauth_atende.base_url
    page = new_page()
    sign_in(page, base, ADMIN["email"], ADMIN["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {ADMIN['name']}")
    page.goto(f"{base}/settings/staff")
    page.get_by_text("Add a staff member").click()
    page.get_by_label("Name", exact=True).fill("Gil Reauth")
    page.get_by_label("Email").fill("gil@example.com")
    page.get_by_label("Role", exact=True).select_option("agent")
    page.get_by_label("Initial password").fill("a long reauth passphrase")
    page.get_by_role("button", name="Add staff member").click()
    row = page.locator("tr", has_text="gil@example.com")
    expect(row).to_contain_text("Gil Reauth")

    time.sleep(WINDOW_S + 1)
    row.get_by_role("combobox").select_option("operator")
    dialog = page.get_by_role("dialog", name="Confirm it is you")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Your password").fill("not my password")
    dialog.get_by_role("button", name="Confirm").click()
    expect(dialog.get_by_text("That is not your password.")).to_be_visible()
    dialog.get_by_label("Your password").fill(ADMIN["password"])
    dialog.get_by_role("button", name="Confirm").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("status").first).to_contain_text("Gil Reauth")
    expect(row.get_by_role("combobox")).to_have_value("operator")

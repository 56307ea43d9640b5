"""The dashboard in the system Chromium against the real `atende serve` (see conftest.py)."""

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, post_json, screenshot, sign_in

AGENT = {"name": "<b>Bia</b> Lima", "email": "bia@example.com", "password": "another long passphrase"}


def sign_out(page):
    page.locator(".profile-button").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_have_text("You have signed out.")


def nav_names(page):
    """The main navigation's link texts (it is labelled "Main" or "Principal" by language)."""
    return page.locator("nav#main-nav").get_by_role("link").all_inner_texts()


def test_the_setup_link_from_the_log_creates_the_first_admin_and_opens_the_app(fresh_atende, new_page):
    page = new_page()
    page.goto(f"{fresh_atende.base_url}/")
    expect(page).to_have_url(re.compile(r"/setup$"))
    expect(page.get_by_label("Setup code")).to_be_visible()  # no token in the address: asked for

    page.goto(f"{fresh_atende.base_url}/setup?token=not-the-token")
    page.get_by_label("Your name").fill(ADMIN["name"])
    page.get_by_label("Email").fill(ADMIN["email"])
    page.get_by_label("Password", exact=True).fill(ADMIN["password"])
    page.get_by_label("Repeat the password").fill(ADMIN["password"])
    page.get_by_role("button", name="Create Admin account").click()
    expect(page.get_by_role("alert")).to_contain_text("setup link is wrong, expired or already used")

    page.goto(fresh_atende.setup_url)
    expect(page.get_by_label("Setup code")).to_have_count(0)
    page.get_by_label("Your name").fill(ADMIN["name"])
    page.get_by_label("Email").fill(ADMIN["email"])
    page.get_by_label("Password", exact=True).fill(ADMIN["password"])
    page.get_by_label("Repeat the password").fill(ADMIN["password"])
    page.get_by_role("button", name="Create Admin account").click()
    expect(page).to_have_url(f"{fresh_atende.base_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {ADMIN['name']}")

    page.reload()  # the session cookie holds
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {ADMIN['name']}")
    page.goto(fresh_atende.setup_url)  # a used link leads into the app, not to a second setup
    expect(page).to_have_url(f"{fresh_atende.base_url}/")


def test_a_wrong_password_shows_a_clear_message_and_stays_on_login(atende, admin, new_page):
    page = new_page()
    sign_in(page, atende.base_url, admin["email"], "not the password")
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_label("Password")).to_have_value("")


def test_repeated_failures_show_the_lockout_notice_with_the_wait(fresh_atende, new_page):
    # A server of its own: the throttle also counts per IP, and every test comes from 127.0.0.1.
    assert post_json(f"{fresh_atende.base_url}/api/v1/setup", {"token": fresh_atende.token, **ADMIN})[0] == 201
    # The form is filled first, so the click lands inside the (short, first) throttle window
    # even on a slow machine.
    page = new_page()
    page.goto(f"{fresh_atende.base_url}/login")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password", exact=True).fill("wrong password")
    status = None
    for _ in range(40):
        status, headers = post_json(f"{fresh_atende.base_url}/api/v1/session",
                                    {"email": "nobody@example.com", "password": "wrong password"})
        if status == 429:
            break
    assert status == 429, "login was never throttled"
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(
        re.compile(r"^Too many sign-in attempts\. (Try again in \d+ s|Please wait and try again)\.$"))
    expect(page.get_by_role("button", name="Sign in")).to_be_disabled()


def test_an_admin_adds_an_agent_who_then_sees_only_the_pages_of_the_role(atende, admin, new_page):
    page = new_page()
    sign_in(page, atende.base_url, admin["email"], admin["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {admin['name']}")
    assert nav_names(page) == ["Home", "Chats", "Appointments", "Assistant", "Campaigns", "Reports", "Settings"]

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(page).to_have_url(re.compile(r"/settings/staff$"))
    page.get_by_text("Add a staff member").click()
    page.get_by_label("Name", exact=True).fill(AGENT["name"])
    page.get_by_label("Email").fill(AGENT["email"])
    page.get_by_label("Role", exact=True).select_option("agent")
    page.get_by_label("Initial password").fill(AGENT["password"])
    page.get_by_role("button", name="Add staff member").click()
    expect(page.get_by_role("status")).to_have_text(f"{AGENT['name']} was added.")
    row = page.locator("tr", has_text=AGENT["email"])
    expect(row).to_contain_text(AGENT["name"])  # the markup is shown as text...
    expect(page.locator("table b")).to_have_count(0)  # ...and never became an element
    expect(row.get_by_role("combobox")).to_have_value("agent")
    screenshot(page, "staff-1280")
    sign_out(page)

    sign_in(page, atende.base_url, AGENT["email"], AGENT["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {AGENT['name']}")
    assert nav_names(page) == ["Home", "Chats", "Appointments", "Reports"]
    page.goto(f"{atende.base_url}/settings/staff")
    expect(page.get_by_role("heading", level=1)).to_have_text("No access")
    sign_out(page)


def test_a_manager_sees_the_staff_list_read_only(atende, admin, new_page):
    manager = {"name": "Caio Mendes", "email": "caio@example.com", "password": "manager long passphrase"}
    page = new_page()
    sign_in(page, atende.base_url, admin["email"], admin["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {admin['name']}")
    page.goto(f"{atende.base_url}/settings/staff")
    page.get_by_text("Add a staff member").click()
    page.get_by_label("Name", exact=True).fill(manager["name"])
    page.get_by_label("Email").fill(manager["email"])
    page.get_by_label("Role", exact=True).select_option("manager")
    page.get_by_label("Initial password").fill(manager["password"])
    page.get_by_role("button", name="Add staff member").click()
    expect(page.get_by_role("status")).to_have_text(f"{manager['name']} was added.")
    sign_out(page)

    sign_in(page, atende.base_url, manager["email"], manager["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {manager['name']}")
    assert nav_names(page) == ["Home", "Chats", "Appointments", "Assistant", "Campaigns", "Reports", "Settings"]
    page.goto(f"{atende.base_url}/settings")
    expect(page).to_have_url(re.compile(r"/settings/staff$"))
    expect(page.get_by_text("only Admins can change it")).to_be_visible()
    expect(page.locator("tr", has_text=admin["email"])).to_be_visible()
    assert page.get_by_role("navigation", name="Settings sections").get_by_role("link").all_inner_texts() == ["Staff", "Channels", "Templates", "Services", "Availability"]
    expect(page.get_by_text("Add a staff member")).to_have_count(0)
    expect(page.locator("table").get_by_role("combobox")).to_have_count(0)
    expect(page.locator("table").get_by_role("button")).to_have_count(0)
    page.goto(f"{atende.base_url}/settings/tokens")
    expect(page.get_by_role("heading", level=1)).to_have_text("No access")


def test_the_shell_works_at_375_and_1280_px_and_screenshots_are_saved(atende, admin, new_page):
    page = new_page(width=1280, height=800)
    sign_in(page, atende.base_url, admin["email"], admin["password"])
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
    assert screenshot(page, "home-1280").stat().st_size > 0

    for width in (375, 320):
        page.set_viewport_size({"width": width, "height": 740})
        nav = page.get_by_role("navigation", name="Main")
        menu = page.get_by_role("button", name="Menu", exact=True)
        expect(nav).to_be_hidden()
        expect(menu).to_have_attribute("aria-expanded", "false")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"sideways scrolling at {width} px"
        menu.click()
        expect(nav).to_be_visible()
        expect(menu).to_have_attribute("aria-expanded", "true")
        screenshot(page, f"menu-{width}")
        page.keyboard.press("Escape")
        expect(nav).to_be_hidden()
        expect(menu).to_be_focused()
    page.set_viewport_size({"width": 375, "height": 740})
    screenshot(page, "home-375")
    page.goto(f"{atende.base_url}/settings/staff")
    expect(page.locator("tr", has_text=admin["email"])).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert screenshot(page, "staff-375").stat().st_size > 0


def test_the_language_follows_the_browser_and_the_choice_is_remembered(atende, admin, new_page):
    page = new_page(locale="pt-BR")
    page.goto(f"{atende.base_url}/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Entrar")
    expect(page.locator("html")).to_have_attribute("lang", "pt-BR")
    page.get_by_label("Idioma").select_option("en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Language").select_option("pt-BR")
    page.get_by_label("E-mail").fill(admin["email"])
    page.get_by_label("Senha").fill(admin["password"])
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Olá, {admin['name']}")
    assert nav_names(page) == ["Início", "Conversas", "Agenda", "Assistente", "Campanhas", "Relatórios", "Configurações"]


def test_an_api_token_secret_is_shown_once_and_the_token_can_be_revoked(atende, admin, new_page):
    page = new_page()
    sign_in(page, atende.base_url, admin["email"], admin["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {admin['name']}")
    page.goto(f"{atende.base_url}/settings/tokens")
    page.get_by_label("Name").fill("Website form")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator(".secret")
    expect(secret).to_have_text(re.compile(r"^atd_\S{8,}$"))
    prefix = secret.inner_text()[:8]
    row = page.locator("tr", has_text="Website form")
    expect(row).to_contain_text(prefix)
    page.get_by_role("button", name="I have saved it").click()
    expect(secret).to_have_count(0)
    page.reload()
    expect(row).to_be_visible()
    expect(page.locator(".secret")).to_have_count(0)  # never shown again
    row.get_by_role("button", name="Revoke").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_have_text('"Website form" was revoked.')
    page.reload()
    expect(page.locator("tr", has_text="Website form")).to_have_count(0)


def test_the_audit_log_lists_sign_ins_newest_first(atende, admin, new_page):
    page = new_page()
    sign_in(page, atende.base_url, admin["email"], admin["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {admin['name']}")
    page.goto(f"{atende.base_url}/settings/audit")
    first = page.locator("tbody tr").first
    expect(first).to_be_visible()
    expect(page.locator("tbody tr", has_text="Signed in").first).to_contain_text(admin["name"])


def test_sign_in_works_with_the_keyboard_alone(atende, admin, new_page):
    page = new_page()
    page.goto(f"{atende.base_url}/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type(admin["email"])
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(admin["password"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {admin['name']}")


def test_an_address_nobody_answers_shows_page_not_found_with_the_way_home(atende, admin, new_page):
    page = new_page()
    sign_in(page, atende.base_url, admin["email"], admin["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {admin['name']}")
    response = page.goto(f"{atende.base_url}/knowledge")          # a guess, a typo or an old bookmark
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.get_by_role("link", name="Go to Home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {admin['name']}")

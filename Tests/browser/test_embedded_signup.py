"""Settings → Channels → "Connect with Facebook" in the system Chromium, against the real
`atende serve`. Test code plays Meta twice: Playwright's `page.route` serves a small fake of the
Facebook JavaScript SDK (window.FB with init/login; login opens a hidden facebook.com frame that
posts the WA_EMBEDDED_SIGNUP message, then calls back with a code), and the fake Graph API in
fake_graph.py answers the server's exchange, debug_token, phone_numbers, subscribed_apps and
register calls."""

import json
import re

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, owned_server, screenshot, sign_in
from fake_graph import (APP_ID, APP_SECRET, GOOD_TOKEN, LOGIN_CONFIG_ID, PHONE_ID, SIGNUP_CODE, SIGNUP_PIN, WABA_ID,
                        Session, inbound_message, webhook)

SDK_URL = "https://connect.facebook.net/en_US/sdk.js"
FRAME_URL = "https://www.facebook.com/v22.0/dialog/fake-embedded-signup"

# Meta's SDK as far as the dashboard uses it. Before finishing, the page itself posts a forged
# FINISH naming another account: the dashboard must ignore it (it is not from facebook.com).
FAKE_SDK = """
(function () {
  window.__fb = { init: null, login: null };
  window.FB = {
    init: function (options) { window.__fb.init = options; },
    login: function (callback, options) {
      window.__fb.login = options;
      window.postMessage(JSON.stringify({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH',
        data: { phone_number_id: '1', waba_id: '999' } }), '*');
      var frame = document.createElement('iframe');
      frame.src = '%(frame)s';
      frame.hidden = true;
      window.addEventListener('message', function finished(event) {
        if (event.origin !== 'https://www.facebook.com') return;
        window.removeEventListener('message', finished);
        setTimeout(function () { callback({ status: 'connected', authResponse: { code: '%(code)s' } }); }, 50);
      });
      document.body.appendChild(frame);
    },
  };
  setTimeout(function () { if (window.fbAsyncInit) window.fbAsyncInit(); }, 0);
})();
""" % {"frame": FRAME_URL, "code": SIGNUP_CODE}

# The pop-up's last page: it tells the opener which account and number were chosen.
FRAME = """<!doctype html><script>
parent.postMessage(JSON.stringify({ type: 'WA_EMBEDDED_SIGNUP', event: 'FINISH',
  data: { phone_number_id: '%(phone)s', waba_id: '%(waba)s', business_id: '4242' } }), '*');
</script>""" % {"phone": PHONE_ID, "waba": WABA_ID}


@pytest.fixture(scope="module")
def server(graph):
    """Set up for Embedded Signup: the app and login configuration ids, the app secret sealed."""
    atende = owned_server("signup", graph.url,
                          env={"ATENDE_WHATSAPP_APP_ID": APP_ID, "ATENDE_WHATSAPP_LOGIN_CONFIG_ID": LOGIN_CONFIG_ID},
                          secrets={"whatsapp.app_secret": APP_SECRET})
    yield atende
    atende.stop()


def play_meta(page):
    """Serves the fake SDK and the pop-up's frame; nothing leaves the machine."""
    page.route(SDK_URL, lambda route: route.fulfill(status=200, content_type="text/javascript", body=FAKE_SDK))
    page.route(FRAME_URL, lambda route: route.fulfill(status=200, content_type="text/html", body=FRAME))


def open_channels(page, server):
    sign_in(page, server.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {ADMIN['name']}")
    page.goto(f"{server.base_url}/settings/channels")


def test_an_admin_connects_with_facebook_gives_the_pin_and_the_number_works(server, graph, new_page):
    page = new_page()
    play_meta(page)
    open_channels(page, server)
    card = page.locator(".signup-card")
    button = card.get_by_role("button", name="Connect with Facebook")
    expect(button).to_be_enabled()
    # The manual form is still there.
    expect(page.get_by_text("Connect a WhatsApp number")).to_be_visible()
    assert page.evaluate("window.__fb.init") == {"appId": APP_ID, "autoLogAppEvents": True, "xfbml": False, "version": "v22.0"}

    with page.expect_request(lambda r: r.url.endswith("/api/v1/channels/embedded-signup") and r.method == "POST") as posted:
        button.click()
    assert json.loads(posted.value.post_data) == {"code": SIGNUP_CODE, "waba_id": WABA_ID, "phone_number_id": PHONE_ID}
    assert page.evaluate("window.__fb.login") == {"config_id": LOGIN_CONFIG_ID, "response_type": "code",
                                                  "override_default_response_type": True, "extras": {"setup": {}}}

    expect(card).to_contain_text("Clínica Sol is connected.")
    expect(card).to_contain_text("WhatsApp needs a 6-digit PIN to register Clínica Sol")
    # The new number's card is on the page already, waiting for its PIN.
    number = page.locator(".channel-card", has=page.get_by_role("heading", name="Clínica Sol", exact=True))
    expect(number).to_contain_text(PHONE_ID)
    expect(number.locator("[data-registration='pending']")).to_have_text("Waiting for its PIN")
    for secret in ("access_token", "app_secret", "verify_token"):
        expect(number.locator(f"[data-secret='{secret}']")).to_have_text("Set")
    screenshot(page, "signup-pin-1280")

    # A wrong PIN is named at the field; the right one registers the number.
    pin_form = card.get_by_role("form", name="Register Clínica Sol")
    pin_form.get_by_label("6-digit PIN").fill("000000")
    pin_form.get_by_role("button", name="Register number").click()
    expect(pin_form.locator(".field-error")).to_contain_text("not this number's two-step verification PIN")
    pin_form.get_by_label("6-digit PIN").fill(SIGNUP_PIN)
    pin_form.get_by_role("button", name="Register number").click()
    expect(card).to_contain_text("Clínica Sol is registered: it can receive and send messages now.")
    expect(number.locator("[data-registration='pending']")).to_have_count(0)
    expect(number).to_contain_text("Active")

    # What Meta was asked, in order, with the secret only where Meta's API wants it.
    paths = [entry[1].split("?")[0] for entry in graph.requests]
    assert paths[:4] == ["/v22.0/oauth/access_token", "/v22.0/debug_token", f"/v22.0/{WABA_ID}/phone_numbers",
                         f"/v22.0/{WABA_ID}/subscribed_apps"], paths
    assert graph.posts(f"/v22.0/{PHONE_ID}/register")[-1] == {"messaging_product": "whatsapp", "pin": SIGNUP_PIN}
    assert not any("999" in entry[1] for entry in graph.requests), "the forged message was believed"

    # The connected number receives: Meta's webhook, signed with the app's secret, is accepted.
    assert webhook(server, inbound_message("Olá, vocês abrem sábado?")) == 200

    # No secret in the page or in any answer; the audit log says how the number came.
    html = page.content()
    for secret in (GOOD_TOKEN, APP_SECRET):
        assert secret not in html
    api = Session(server.base_url, ADMIN["email"], ADMIN["password"])
    for path in ("/api/v1/channels", "/api/v1/channels/embedded-signup", "/api/v1/audit"):
        status, text = api.call("GET", path)
        assert status == 200
        for secret in (GOOD_TOKEN, APP_SECRET, SIGNUP_CODE):
            assert secret not in text
    status, audit = api.call("GET", "/api/v1/audit")
    actions = [entry["action"] for entry in json.loads(audit)["items"]]
    assert "channel.signed_up" in actions and "channel.registered" in actions
    page.goto(f"{server.base_url}/settings/audit")
    expect(page.get_by_text("Number connected with Facebook").first).to_be_visible()
    for line in server.lines:
        for secret in (GOOD_TOKEN, APP_SECRET, SIGNUP_CODE, SIGNUP_PIN):
            assert secret not in line, "a secret reached the server log"


def test_connecting_again_updates_the_number_and_works_at_320_px(server, graph, new_page):
    page = new_page(width=320, height=740)
    play_meta(page)
    open_channels(page, server)
    button = page.get_by_role("button", name="Connect with Facebook")
    expect(button).to_be_enabled()
    button.click()
    card = page.locator(".signup-card")
    expect(card).to_contain_text("Clínica Sol was connected before: it now uses the new access.")
    expect(page.locator(".channel-card")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "sideways scrolling at 320 px"
    screenshot(page, "signup-320")


def test_without_the_meta_app_the_page_says_how_to_enable_it_and_loads_nothing_from_facebook(graph, new_page):
    plain = owned_server("signup-off", graph.url)
    try:
        page = new_page()
        outside = []
        page.on("request", lambda request: outside.append(request.url) if re.match(r"https://[^/]*facebook\.(com|net)/", request.url) else None)
        open_channels(page, plain)
        off = page.locator(".signup-card")
        expect(off).to_contain_text("Connect with Facebook is off")
        expect(off).to_contain_text("whatsapp_app_id, whatsapp_login_config_id, whatsapp.app_secret")
        expect(page.get_by_role("button", name="Connect with Facebook")).to_have_count(0)
        expect(page.get_by_text("Connect a WhatsApp number")).to_be_visible()
        assert outside == []
        response = page.request.get(f"{plain.base_url}/settings/channels")
        assert "facebook" not in response.headers["content-security-policy"]
    finally:
        plain.stop()

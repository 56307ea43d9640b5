"""Settings → Templates: writing, editing and deleting WhatsApp templates in the system Chromium,
against the real `atende serve` and the fake Graph API (fake_graph.py), which records exactly
what Meta would receive."""

import json
import re

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, owned_server, screenshot, sign_in
from fake_graph import AGENT, WABA_ID, Session, connect_front_desk, template_rejected, webhook

MANAGER = {"name": "Maria Manager", "email": "maria@example.com", "password": "manager long passphrase"}
CREATE_PATH = f"/v22.0/{WABA_ID}/message_templates"
META_REFUSAL = {"error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100, "error_subcode": 2388299,
                          "error_user_msg": "Variables can't be at the start or end of the template.", "fbtrace_id": "x"}}


@pytest.fixture(scope="module")
def server(graph):
    """A server with its first Admin, a connected number, the fake's templates synced, a Manager
    and an Agent."""
    atende = owned_server("templates", graph.url)
    api = Session(atende.base_url, ADMIN["email"], ADMIN["password"])
    connect_front_desk(api, display_phone="+55 11 3333-0100")
    status, answer = api.call("POST", "/api/v1/templates/sync")
    assert status == 200, answer
    assert webhook(atende, template_rejected("9002", "INVALID_FORMAT")) == 200
    for person, role in ((AGENT, "agent"), (MANAGER, "manager")):
        status, answer = api.call("POST", "/api/v1/staff", {**person, "role": role})
        assert status == 201, answer
    yield atende
    atende.stop()


def templates_page(page, server, person=ADMIN):
    sign_in(page, server.base_url, person["email"], person["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {person['name']}")
    page.goto(f"{server.base_url}/settings/templates")
    expect(page.locator("tr[data-name='appointment_reminder']")).to_be_visible()


def field_error(dialog, label):
    return dialog.locator(".field:visible", has=dialog.page.get_by_label(label, exact=True)).locator(".field-error")


def dialog_screenshots(page, name):
    """The open dialog scrolls inside; saves it a screenful at a time (name-1.png, name-2.png, …)."""
    dialog = page.get_by_role("dialog")
    height, step = page.evaluate("() => { const d = document.querySelector('dialog'); return [d.scrollHeight, d.clientHeight]; }")
    for index, top in enumerate(range(0, max(height, 1), max(step - 40, 100)), start=1):
        page.evaluate(f"document.querySelector('dialog').scrollTop = {top}")
        dialog.screenshot(path=str(screenshot(page, f"{name}-{index}")))
    page.evaluate("document.querySelector('dialog').scrollTop = 0")


def template_posts(graph):
    return graph.posts(CREATE_PATH)


def test_an_admin_writes_a_template_sees_problems_before_sending_and_it_is_pending(server, graph, new_page):
    page = new_page()
    templates_page(page, server)
    page.get_by_role("button", name="New template").click()
    dialog = page.get_by_role("dialog")
    form = dialog.get_by_role("form", name="New template")
    expect(form).to_be_visible()

    # A title typed in plain words is not a name; the form offers one.
    form.get_by_label("Name", exact=True).fill("Lembrete de Consulta")
    form.get_by_label("Language", exact=True).select_option("pt_BR")
    form.get_by_label("Utility").check()
    expect(form.get_by_text("About an order, appointment or request the customer made.")).to_be_visible()
    body = form.get_by_label("Text", exact=True)
    body.fill("Olá ")
    form.get_by_role("button", name="Add variable").click()
    body.press("End")
    body.type(", sua consulta é dia ")
    form.get_by_role("button", name="Add variable").click()
    body.press("End")
    body.type(". Até lá!")
    expect(body).to_have_value("Olá {{1}}, sua consulta é dia {{2}}. Até lá!")
    # One example box per variable appeared; only the first is filled.
    expect(form.get_by_label("Example for {{2}}")).to_be_visible()
    form.get_by_label("Example for {{1}}").fill("Ana")
    expect(form.locator(".template-live-preview .tpl-body")).to_have_text("Olá Ana, sua consulta é dia {{2}}. Até lá!")

    requests_before = len(graph.requests)
    form.get_by_role("button", name="Submit for review").click()
    expect(field_error(form, "Name")).to_contain_text("lowercase letters")
    expect(field_error(form, "Example for {{2}}")).to_have_text("Give an example for {{2}}.")
    expect(form.get_by_role("alert").first).to_contain_text("Some fields need a change")
    assert len(graph.requests) == requests_before, "a request left although the form had problems"
    assert not template_posts(graph)

    form.get_by_role("button", name="Use lembrete_de_consulta").click()
    expect(form.get_by_label("Name", exact=True)).to_have_value("lembrete_de_consulta")
    form.get_by_label("Example for {{2}}").fill("12/03")
    form.get_by_label("Header (optional)").fill("Consulta com {{1}}")
    form.get_by_label("Example for the header's {{1}}").fill("Dra. Lia")
    form.get_by_label("Footer (optional)").fill("Clínica Sol")
    expect(form.locator(".field-counter").filter(has_text="11 / 60")).to_be_visible()
    for text in ("Confirmar", "Remarcar"):
        form.get_by_role("button", name="Add button").click()
        form.get_by_label("Button text").last.fill(text)
    preview = form.locator(".template-live-preview")
    expect(preview.locator(".tpl-header")).to_have_text("Consulta com Dra. Lia")
    expect(preview.locator(".tpl-body")).to_have_text("Olá Ana, sua consulta é dia 12/03. Até lá!")
    expect(preview.locator(".tpl-footer")).to_have_text("Clínica Sol")
    expect(preview.locator(".tpl-button")).to_have_text(["Confirmar", "Remarcar"])
    dialog_screenshots(page, "template-form-1280")

    form.get_by_role("button", name="Submit for review").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("lembrete_de_consulta was sent to Meta for review.")).to_be_visible()
    row = page.locator("tr[data-name='lembrete_de_consulta']")
    expect(row.locator(".template-status")).to_have_text("Pending review")
    expect(row).to_contain_text("usually minutes, up to 24 h")
    expect(row).to_contain_text("Front desk")

    assert template_posts(graph) == [{
        "name": "lembrete_de_consulta", "language": "pt_BR", "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Consulta com {{1}}", "example": {"header_text": ["Dra. Lia"]}},
            {"type": "BODY", "text": "Olá {{1}}, sua consulta é dia {{2}}. Até lá!", "example": {"body_text": [["Ana", "12/03"]]}},
            {"type": "FOOTER", "text": "Clínica Sol"},
            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Confirmar"}, {"type": "QUICK_REPLY", "text": "Remarcar"}]},
        ]}]

    page.reload()
    expect(page.locator("tr[data-name='lembrete_de_consulta'] .template-status")).to_have_text("Pending review")
    screenshot(page, "templates-authoring-1280")


def test_meta_refusing_and_a_taken_name_are_shown_where_they_belong(server, graph, new_page):
    page = new_page()
    templates_page(page, server)
    page.get_by_role("button", name="New template").click()
    form = page.get_by_role("dialog").get_by_role("form")
    form.get_by_label("Name", exact=True).fill("promo_de_verao")
    form.get_by_label("Language", exact=True).select_option("other")
    form.get_by_label("Language code").fill("es_MX")
    form.get_by_label("Marketing").check()
    form.get_by_label("Text", exact=True).fill("Hola {{1}}, tenemos ofertas.")
    form.get_by_label("Example for {{1}}").fill("Ana")
    graph.refuse_template = (400, META_REFUSAL)
    form.get_by_role("button", name="Submit for review").click()
    alert = form.get_by_role("alert").first
    expect(alert).to_contain_text("WhatsApp refused to create the template")
    expect(alert).to_contain_text("Variables can't be at the start or end of the template.")   # Meta's words for people
    expect(alert).to_contain_text("(code 100)")
    # Meta's refusal is about the body (2388299): the API names components[0].text, and the
    # error stands under the body's text box rather than over the whole form.
    expect(field_error(form, "Text")).to_contain_text("Variables can't be at the start or end of the template.")
    expect(form.get_by_label("Text", exact=True)).to_have_attribute("aria-invalid", "true")
    sent = template_posts(graph)[-1]
    assert (sent["name"], sent["language"], sent["category"]) == ("promo_de_verao", "es_MX", "MARKETING")
    expect(page.get_by_role("dialog")).to_be_visible()   # nothing lost: fix and send again

    # A name already used on this number (in this language): the server's 409 names the field.
    form.get_by_label("Name", exact=True).fill("appointment_reminder")
    form.get_by_label("Language code").fill("pt_BR")
    form.get_by_role("button", name="Submit for review").click()
    expect(field_error(form, "Name")).to_contain_text("already exists")
    expect(form.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
    assert template_posts(graph)[-1]["name"] == "promo_de_verao", "a taken name reached Meta"
    form.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator("tr[data-name='promo_de_verao']")).to_have_count(0)


def test_an_approved_template_is_edited_and_goes_back_to_review(server, graph, new_page):
    page = new_page()
    templates_page(page, server)
    row = page.locator("tr[data-name='appointment_reminder']")
    expect(row.locator(".template-status")).to_have_text("Approved")
    expect(page.locator("tr[data-name='new_hours']").get_by_role("button", name="Edit")).to_have_count(0)   # pending
    row.get_by_role("button", name="Edit").click()
    form = page.get_by_role("dialog").get_by_role("form", name="Edit appointment_reminder (pt_BR)")
    expect(form.get_by_text("An approved template can be edited once a day.")).to_be_visible()
    for label in ("Name", "Language", "Number"):
        expect(form.get_by_label(label, exact=True)).to_be_disabled()
    expect(form.get_by_label("Name", exact=True)).to_have_value("appointment_reminder")
    expect(form.get_by_label("Utility")).to_be_checked()
    expect(form.get_by_label("Text", exact=True)).to_have_value("Olá {{1}}, sua consulta é {{2}} às {{3}}.")
    expect(form.get_by_label("Button text")).to_have_count(2)

    form.get_by_label("Text", exact=True).fill("Olá {{1}}, sua consulta é {{2}} às {{3}}. Responda para confirmar.")
    form.get_by_label("Example for {{1}}").fill("Ana")
    form.get_by_label("Example for {{2}}").fill("terça")
    form.get_by_label("Example for {{3}}").fill("14h")
    form.get_by_role("button", name="Submit changes for review").click()
    # Meta needs examples for the header's variable and the link's: asked for before sending.
    expect(field_error(form, "Example address")).to_contain_text("https://")
    form.get_by_role("group", name="Button 2").get_by_label("Example address").fill("https://example.com/r/abc123")
    expect(field_error(form, "Example for the header's {{1}}")).to_have_text("Give an example for {{1}}.")
    form.get_by_label("Example for the header's {{1}}").fill("amanhã")
    form.get_by_role("button", name="Submit changes for review").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_text("The changes to appointment_reminder were sent to Meta for review.")).to_be_visible()
    expect(row.locator(".template-status")).to_have_text("Pending review")
    expect(row.get_by_role("button", name="Edit")).to_have_count(0)

    edits = graph.posts("/v22.0/9001")
    assert len(edits) == 1
    assert edits[0] == {"components": [
        {"type": "HEADER", "format": "TEXT", "text": "Consulta {{1}}", "example": {"header_text": ["amanhã"]}},
        {"type": "BODY", "text": "Olá {{1}}, sua consulta é {{2}} às {{3}}. Responda para confirmar.",
         "example": {"body_text": [["Ana", "terça", "14h"]]}},
        {"type": "FOOTER", "text": "Clínica Sol"},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Confirmar"},
                                        {"type": "URL", "text": "Remarcar", "url": "https://example.com/r/{{1}}",
                                         "example": ["https://example.com/r/abc123"]}]}]}


def test_a_rejected_template_shows_why_and_leads_to_the_fix(server, graph, new_page):
    page = new_page()
    templates_page(page, server)
    row = page.locator("tr[data-name='summer_promo']")
    expect(row.locator(".template-rejected")).to_contain_text("Reason: invalid format")
    row.get_by_role("button", name="Edit and resubmit").click()
    form = page.get_by_role("dialog").get_by_role("form", name="Edit summer_promo (en_US)")
    expect(form.get_by_label("Text", exact=True)).to_have_value("Big sale!")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_deleting_asks_first_and_warns_that_an_approved_name_is_kept(server, graph, new_page):
    page = new_page()
    templates_page(page, server)
    row = page.locator("tr[data-name='old_offer']")
    row.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Delete old_offer (en_US)?")
    expect(dialog).to_contain_text("30 days")
    dialog.get_by_role("button", name="Cancel").click()
    expect(row).to_be_visible()
    assert not graph.deletes()
    row.get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_text("old_offer (en_US) was deleted.")).to_be_visible()
    expect(row).to_have_count(0)
    assert graph.deletes() == [{"hsm_id": ["9004"], "name": ["old_offer"]}]

    # A template never approved: no 30-day warning.
    page.locator("tr[data-name='summer_promo']").get_by_role("button", name="Delete").click()
    expect(page.get_by_role("dialog")).not_to_contain_text("30 days")
    page.keyboard.press("Escape")


def test_who_may_change_templates(server, graph, new_page):
    # A Manager (campaigns: full) writes and deletes; an Agent does not even see the page.
    page = new_page()
    templates_page(page, server, MANAGER)
    expect(page.get_by_role("button", name="New template")).to_be_visible()
    expect(page.locator("tr[data-name='legacy_notice']").get_by_role("button", name="Delete")).to_be_visible()

    page = new_page()
    sign_in(page, server.base_url, AGENT["email"], AGENT["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {AGENT['name']}")
    page.goto(f"{server.base_url}/settings/templates")
    expect(page.get_by_role("heading", level=1)).to_have_text("No access")
    expect(page.get_by_role("button", name=re.compile("New template|Edit|Delete"))).to_have_count(0)
    # The API agrees: an Agent may list (for the composer) but not change.
    agent = Session(server.base_url, AGENT["email"], AGENT["password"])
    status, listing = agent.call("GET", "/api/v1/templates")
    assert status == 200
    template = json.loads(listing)["items"][0]
    assert agent.call("DELETE", f"/api/v1/templates/{template['id']}")[0] == 403
    assert agent.call("POST", "/api/v1/templates", {"channel_id": template["channel_id"], "name": "x", "language": "en",
                                                    "category": "UTILITY", "components": []})[0] == 403


def test_the_form_fits_a_320_px_phone(server, graph, new_page):
    page = new_page(width=320, height=740)
    templates_page(page, server)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "sideways scrolling at 320 px"
    screenshot(page, "templates-authoring-320")
    page.get_by_role("button", name="New template").click()
    form = page.get_by_role("dialog").get_by_role("form")
    form.get_by_label("Text", exact=True).fill("Olá {{1}}, chegou seu pedido número {{2}}.")
    form.get_by_label("Example for {{1}}").fill("Ana")
    form.get_by_role("button", name="Add button").click()
    form.get_by_label("Kind").select_option("URL")
    form.get_by_label("Button text").fill("Acompanhar")
    form.get_by_label("Website address").fill("https://example.com/p/{{1}}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "sideways scrolling at 320 px"
    overflow = page.evaluate("""() => { const d = document.querySelector('dialog');
        return [...d.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > d.getBoundingClientRect().right + 1)
          .map((el) => el.tagName + '.' + el.className).slice(0, 5); }""")
    assert not overflow, f"wider than the dialog: {overflow}"
    dialog_screenshots(page, "template-form-320")

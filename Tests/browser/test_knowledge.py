"""Assistant → Knowledge in the system Chromium against the real `atende serve`, at a phone's
width: add an FAQ entry and find it with "Try a question", edit it, upload a file with a progress
bar, and no sideways scrolling at 320 px."""

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, AtendeServer, post_json, screenshot, sign_in


@pytest.fixture(scope="module")
def server():
    atende = AtendeServer("knowledge")
    status, _ = post_json(f"{atende.base_url}/api/v1/setup", {"token": atende.token, **ADMIN})
    assert status == 201, f"setup answered {status}"
    yield atende
    atende.stop()


def knowledge_page(page, server):
    sign_in(page, server.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {ADMIN['name']}")
    page.goto(f"{server.base_url}/assistant")
    expect(page).to_have_url(f"{server.base_url}/assistant/knowledge")
    expect(page.get_by_role("heading", name="Knowledge", level=2)).to_be_visible()


def try_question(page, text):
    try_box = page.locator(".kb-try")
    try_box.get_by_label("A customer's question").fill(text)
    with page.expect_response("**/api/v1/knowledge/search"):
        try_box.get_by_role("button", name="Search").click()
    return try_box.locator(".kb-passage")


def test_an_faq_added_on_a_phone_is_found_by_try_a_question_and_found_by_its_new_words_after_an_edit(new_page, server):
    page = new_page(width=390, height=844)
    knowledge_page(page, server)
    page.locator("#kb-add-faq summary").click()
    add = page.locator("#kb-add-faq")
    add.get_by_label("Question").fill("Vocês atendem aos sábados?")
    add.get_by_label("Answer").fill("Sim, aos sábados das 8h às 12h.")
    add.get_by_label("Section").fill("Horários")
    add.get_by_role("button", name="Add FAQ entry").click()
    expect(page.get_by_text("FAQ entry added.")).to_be_visible()
    row = page.locator("tr", has_text="Vocês atendem aos sábados?")
    expect(row).to_be_visible()
    expect(page.locator(".kb-status")).to_contain_text("1 FAQ entries")

    passages = try_question(page, "abrem sábado?")
    expect(passages.first).to_contain_text("aos sábados das 8h às 12h")
    expect(passages.first.locator(".kb-scores")).to_contain_text("Lead over the others found")
    expect(passages.first).to_contain_text("FAQ")
    screenshot(page, "knowledge-390")

    row.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Question").fill("Tem estacionamento?")
    dialog.get_by_label("Answer").fill("Sim, gratuito na garagem do prédio.")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("tr", has_text="Tem estacionamento?")).to_be_visible()
    passages = try_question(page, "onde estaciono? estacionamento")
    expect(passages.first).to_contain_text("garagem")
    # The old words no longer find it.
    try_question(page, "sábado")
    expect(page.locator(".kb-passage", has_text="sábados")).to_have_count(0)


def test_a_file_uploads_with_a_progress_bar_and_a_bad_file_is_named(new_page, server, tmp_path):
    page = new_page(width=390, height=844)
    knowledge_page(page, server)
    page.locator("#kb-upload summary").click()
    upload = page.locator("#kb-upload")
    # 2 MiB, so the upload takes more than one step; blank lines keep the server's indexing small.
    good = tmp_path / "faq.jsonl"
    good.write_text('{"id":"1","kind":"faq","question":"Aceitam pix?","answer":"Sim, pix e cartão."}\n'
                    '{"id":"2","kind":"doc","title":"Endereço","text":"Estamos na rua das Flores, 200."}\n'
                    + "\n" * (2 << 20))
    # Record every value the progress bar shows, and whether it was shown at all.
    page.evaluate("""() => {
        window.kbProgress = { values: [], shown: false };
        const bar = document.querySelector('.kb-progress');
        new MutationObserver(() => {
            if (!bar.hidden) window.kbProgress.shown = true;
            window.kbProgress.values.push(Number(bar.value));
        }).observe(bar, { attributes: true });
    }""")
    upload.get_by_label("File", exact=True).set_input_files(str(good))
    upload.get_by_role("button", name="Upload and import").click()
    # 2 MiB up and imported on a shared 2-core machine: once took longer than the 5 s default.
    expect(upload.get_by_text("Imported 1 FAQ entries and 1 documents.")).to_be_visible(timeout=20_000)
    progress = page.evaluate("window.kbProgress")
    assert progress["shown"], progress
    assert 100 in progress["values"], progress
    expect(page.locator("tr", has_text="Endereço")).to_be_visible()
    expect(try_question(page, "rua das flores").first).to_contain_text("Estamos na rua das Flores, 200.")

    bad = tmp_path / "bad.csv"
    bad.write_text("question,answer\nTem wifi?,Sim\nSem resposta?,\n")
    upload.get_by_label("File", exact=True).set_input_files(str(bad))
    upload.get_by_role("button", name="Upload and import").click()
    expect(upload.locator(".message-error")).to_contain_text("Row 3")
    expect(page.locator("tr", has_text="Tem wifi?")).to_have_count(0)


def test_the_page_fits_a_320_px_screen_in_portuguese(new_page, server):
    page = new_page(width=320, height=700, locale="pt-BR")
    sign_in(page, server.base_url, ADMIN["email"], ADMIN["password"], language="pt-BR")
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{server.base_url}/assistant/knowledge")
    expect(page.get_by_role("heading", name="Conhecimento", level=2)).to_be_visible()
    for summary in page.locator("details.add-card summary").all():
        summary.click()
    try_box = page.locator(".kb-try")
    try_box.get_by_label("Pergunta de um cliente").fill("pix")
    try_box.get_by_role("button", name="Buscar").click()
    expect(try_box.locator(".kb-passage, .kb-none").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page scrolls sideways: {width} px"
    screenshot(page, "knowledge-320-pt")


def test_an_operator_reads_and_tries_questions_but_cannot_change_the_knowledge(new_page, server):
    from fake_graph import Session
    operator = {"name": "Otto Operator", "email": "otto@example.com", "password": "operator long passphrase"}
    api = Session(server.base_url, ADMIN["email"], ADMIN["password"])
    status, answer = api.call("POST", "/api/v1/staff", {**operator, "role": "operator"})
    assert status == 201, answer
    status, answer = api.call("POST", "/api/v1/knowledge/faqs", {"question": "Fazem entrega?", "answer": "Sim, no bairro todo."})
    assert status == 201, answer

    page = new_page(width=390, height=844)
    sign_in(page, server.base_url, operator["email"], operator["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {operator['name']}")
    page.goto(f"{server.base_url}/assistant/knowledge")
    expect(page.locator("tr", has_text="Fazem entrega?")).to_be_visible()
    expect(page.locator("details.add-card")).to_have_count(0)
    expect(page.get_by_role("button", name="Edit")).to_have_count(0)
    expect(try_question(page, "vocês entregam no bairro?").first).to_contain_text("no bairro todo")

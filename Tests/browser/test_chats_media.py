"""Chats → attach: a file chosen in the composer at phone width (320 px) is shown with its name
and size, a type WhatsApp cannot send is refused in plain words, and a photo with a caption is
uploaded to the fake Graph API (multipart, §2.8) and then sent by the media id it answered."""

import re
import struct
import time
import zlib

import pytest
from playwright.sync_api import expect

from conftest import ADMIN, owned_server, screenshot, sign_in
from fake_graph import PHONE_ID, Session, connect_front_desk, inbound_message, webhook

MESSAGES_PATH = f"/v22.0/{PHONE_ID}/messages"


def _png(width, height, rgb):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = _png(96, 64, (22, 163, 74))


@pytest.fixture(scope="module")
def server(graph):
    atende = owned_server("chats-media", graph.url)
    api = Session(atende.base_url, ADMIN["email"], ADMIN["password"])
    connect_front_desk(api)
    assert webhook(atende, inbound_message("Podem mandar uma foto da sala?")) == 200
    yield atende
    atende.stop()


def wait_for(predicate, what, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no {what}")


def test_a_photo_attached_at_phone_width_is_uploaded_then_sent_by_its_media_id(server, graph, new_page):
    page = new_page(width=320, height=640)
    sign_in(page, server.base_url, ADMIN["email"], ADMIN["password"])
    expect(page.locator(".live-status")).to_have_attribute("data-state", "connected")
    page.goto(f"{server.base_url}/chats")
    page.locator(".chat-list li", has_text="Lia Costa").locator("button").click()
    expect(page).to_have_url(re.compile(r"/chats/[0-9A-Z]{26}$"))
    thread = page.locator(".thread")
    expect(thread.locator(".msg-in .msg-text")).to_have_text("Podem mandar uma foto da sala?")

    attach = page.get_by_label("Attach a file")
    expect(page.locator(".composer-attach")).to_be_visible()
    # A GIF is not a type WhatsApp sends: refused in plain words, nothing reaches Graph.
    attach.set_input_files({"name": "dance.gif", "mimeType": "image/gif", "buffer": b"GIF89a" + b"\x00" * 40})
    expect(page.locator(".composer-file")).to_contain_text("dance.gif")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".composer .message-error")).to_contain_text("WhatsApp cannot send this kind of file")
    assert graph.uploads == []

    attach.set_input_files({"name": "sala.png", "mimeType": "image/png", "buffer": PNG})
    chip = page.locator(".composer-file")
    expect(chip.get_by_test_id("attach-name")).to_have_text("sala.png")
    expect(chip).to_contain_text(f"({round(len(PNG) / 1024)} KB)" if len(PNG) >= 1024 else f"({len(PNG)} B)")
    caption = page.get_by_label("Message", exact=True)
    expect(caption).to_have_attribute("placeholder", "Caption (optional)")
    # Nothing overflows the 320 px screen with a file chosen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "chats-attach-320")
    caption.fill("Nossa sala de atendimento")
    caption.press("Enter")

    upload = wait_for(lambda: graph.uploads[0] if graph.uploads else None, "upload")
    assert upload["messaging_product"] == "whatsapp" and upload["type"] == "image/png"
    assert upload["file"] == {"filename": "sala.png", "content_type": "image/png", "bytes": PNG}
    media_id = str(graph.next_media_id)
    sent = wait_for(lambda: [body for body in graph.posts(MESSAGES_PATH) if body.get("type") == "image"], "image send")[0]
    assert sent == {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "+5511988887777", "type": "image",
                    "image": {"id": media_id, "caption": "Nossa sala de atendimento"}}

    bubble = thread.locator(".msg-out[data-type='image']")
    expect(bubble).to_have_attribute("data-status", "sent")
    expect(bubble.locator("img.msg-image")).to_be_visible()
    expect(bubble.locator(".msg-text")).to_have_text("Nossa sala de atendimento")
    expect(page.locator(".composer-file")).to_be_hidden()
    assert len(graph.uploads) == 1
    screenshot(page, "chats-attach-sent-320")

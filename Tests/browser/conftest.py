"""Fixtures for the dashboard browser tests: the REAL `atende serve` binary on loopback with a
temporary data directory and master key, and the system Chromium driven by Playwright.

Environment:
  ATENDE_BIN   path of the atende binary (default .build/debug/atende)
  CHROMIUM     path of the browser (default /usr/bin/chromium); Playwright's own browsers are
               never downloaded.
"""

import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

from fake_graph import FakeGraph

REPO = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts"
SETUP_TOKEN = re.compile(r"/setup\?token=([A-Za-z0-9._~%-]+)")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup_token(line):
    """The setup token from one log line: JSON lines are searched value by value."""
    try:
        values = [json.dumps(json.loads(line))]
    except ValueError:
        values = [line]
    for text in values:
        match = SETUP_TOKEN.search(text.replace("\\/", "/"))
        if match:
            return match.group(1)
    return None


class AtendeServer:
    """One `atende serve` process; `setup_url` is built from the token it logged."""

    def __init__(self, name, env=None, secrets=None, port=None):
        binary = os.environ.get("ATENDE_BIN", str(REPO / ".build" / "debug" / "atende"))
        if not os.access(binary, os.X_OK):
            pytest.fail(f"atende binary not found at {binary}: build it (swift build --product atende) or set ATENDE_BIN")
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="atende-browser-"))
        key = self.dir / "master.key"
        key.write_bytes(os.urandom(32))
        key.chmod(0o600)
        self.port = port or _free_port()   # chosen beforehand when the server must know its own URL
        self.base_url = f"http://127.0.0.1:{self.port}"
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"atende-{name}.log"
        self.lines = []
        self.token = None
        # Vault secrets, sealed the way an owner does it: `atende secret set` before serving.
        for secret_name, value in (secrets or {}).items():
            subprocess.run([binary, "secret", "set", secret_name, "--data", str(self.dir / "data"), "--master-key", str(key)],
                           input=value, text=True, check=True, capture_output=True, timeout=60)
        self.process = subprocess.Popen(
            [binary, "serve", "--data", str(self.dir / "data"), "--master-key", str(key), "--port", str(self.port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
            env={**os.environ, **(env or {})})
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self._wait_until_ready()

    def _read(self):
        with open(self.log_path, "w") as log:
            for line in self.process.stdout:
                log.write(line)
                log.flush()
                self.lines.append(line)
                if self.token is None:
                    self.token = _setup_token(line)

    def _wait_until_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"atende serve exited with {self.process.returncode}:\n{''.join(self.lines[-30:])}")
            if self.token is not None:
                try:
                    with urllib.request.urlopen(f"{self.base_url}/api/v1/setup", timeout=2) as response:
                        if response.status == 200:
                            return
                except (urllib.error.URLError, ConnectionError, OSError):
                    pass
            time.sleep(0.2)
        pytest.fail(f"atende serve printed no setup link or did not answer within {timeout} s:\n{''.join(self.lines[-30:])}")

    @property
    def setup_url(self):
        return f"{self.base_url}/setup?token={self.token}"

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def graph():
    """A fake Graph API for the module's own server (test_chats keeps a fake of its own)."""
    fake = FakeGraph()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
        yield chromium
        chromium.close()


@pytest.fixture
def fresh_atende():
    """A server of its own, still waiting for its first Admin."""
    server = AtendeServer("fresh")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def atende():
    """A server shared by the tests that do not need a first run."""
    server = AtendeServer("shared")
    yield server
    server.stop()


@pytest.fixture
def new_page(browser):
    """Opens pages in fresh contexts (no shared cookies); fails the test on a page error or a
    Content-Security-Policy violation, so the dashboard stays CSP-clean."""
    contexts, problems = [], []

    def open_page(width=1280, height=800, locale="en-US", timezone_id=None):
        # timezone_id: the browser's own zone (the host's when None), e.g. a front desk laptop
        # set to another zone than the business.
        context = browser.new_context(viewport={"width": width, "height": height}, locale=locale, timezone_id=timezone_id)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda message: problems.append(f"console: {message.text}")
                if "Content Security Policy" in message.text else None)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


def screenshot(page, name):
    """Saves a full-page PNG under artifacts/screenshots/ (git-ignored) and returns its path."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# The shared server's owner and the helpers every scenario signs in with.
ADMIN = {"name": "Ana Souza", "email": "ana@example.com", "password": "a long admin passphrase"}


def post_json(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "X-Atende-CSRF": "1"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def owned_server(name, graph_url, env=None, secrets=None):
    """A server of its own, talking to the fake Graph API at `graph_url`, with its first Admin."""
    server = AtendeServer(name, env={"ATENDE_WHATSAPP_GRAPH_URL": graph_url, **(env or {})}, secrets=secrets)
    status, _ = post_json(f"{server.base_url}/api/v1/setup", {"token": server.token, **ADMIN})
    assert status == 201, f"setup answered {status}"
    return server


@pytest.fixture(scope="session")
def admin(atende):
    """The shared server's first Admin, created through the setup API with the logged token."""
    status, _ = post_json(f"{atende.base_url}/api/v1/setup", {"token": atende.token, **ADMIN})
    assert status == 201, f"setup answered {status}"
    return ADMIN


# The sign-in form's labels in the dashboard's languages (found by label: they must be there).
SIGN_IN_LABELS = {"en": ("Email", "Password", "Sign in"), "pt-BR": ("E-mail", "Senha", "Entrar")}


def sign_in(page, base_url, email, password, language="en"):
    """Signs in through the form, in `language` (the page's locale must show it)."""
    email_label, password_label, button = SIGN_IN_LABELS[language]
    page.goto(f"{base_url}/login")
    page.get_by_label(email_label).fill(email)
    page.get_by_label(password_label, exact=True).fill(password)
    page.get_by_role("button", name=button).click()

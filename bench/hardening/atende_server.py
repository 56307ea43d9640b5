"""A real `atende serve` for the benchmarks: a free loopback port, a temporary data directory,
the owner set up through the one-time link the server logs, stopped on exit.

Used by bench/hardening and bench/ingest. `args` and `env` add flags and ATENDE_* variables;
`restart()` starts the same data directory again (after `kill9()` or `stop()`)."""
import json, os, re, shutil, signal, socket, subprocess, tempfile, time, urllib.error, urllib.request

PASSWORD = "correct horse battery staple"


def request(base, method, path, body=None, headers=None, timeout=120):
    """One JSON request as a browser client sends it: (status, headers, body bytes); network
    errors come back as the exception's name in place of the status."""
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    req.add_header("X-Atende-CSRF", "1")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
    except Exception as e:  # a refused or reset connection is a figure too
        return type(e).__name__, {}, b""


def session_cookie(headers):
    return re.search(r"atende_sid=([^;]+)", headers.get("Set-Cookie", "")).group(1)


class AtendeServer:
    def __init__(self, binary, prefix="atende-bench-", env=None, args=None, keep=False):
        self.binary, self.env, self.args, self.keep = binary, env or {}, list(args or []), keep
        self.work = tempfile.mkdtemp(prefix=prefix)
        s = socket.socket(); s.bind(("127.0.0.1", 0)); self.port = s.getsockname()[1]; s.close()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.work, "server.err"), "w+")
        self.starts = 0
        self._start()

    def _start(self):
        self.starts += 1
        self.log_offset = self.log.seek(0, os.SEEK_END)
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            [self.binary, "serve", "--data", os.path.join(self.work, "data"), "--port", str(self.port),
             "--master-key", os.path.join(self.work, "master.key")] + self.args,
            stdout=self.log, stderr=self.log, env={**os.environ, **self.env})

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        if not self.keep:
            shutil.rmtree(self.work, ignore_errors=True)

    @property
    def pid(self):
        return self.process.pid

    def stop(self):
        """SIGTERM: drains and closes the store cleanly."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)

    def kill9(self):
        """SIGKILL, as a power cut would stop it (the page cache survives; see the ingest README)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def restart(self):
        """Starts the same data directory and key again; returns seconds until /readyz answers 200."""
        self._start()
        return self.wait_ready()

    def wait_ready(self, path="/readyz", timeout=600):
        """Seconds from this start until `path` answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("the server exited; see " + self.log.name)
            status, _, _ = request(self.base, "GET", path, timeout=5)
            if status == 200:
                return time.monotonic() - self.started_at
            time.sleep(0.01)
        raise SystemExit(f"{path} not 200 within {timeout} s")

    def log_text(self):
        self.log.flush(); self.log.seek(0)
        return self.log.read()

    def setup_owner(self):
        """Creates the owner through the setup link and returns the owner's session cookie."""
        for _ in range(300):
            self.log.flush(); self.log.seek(0)
            m = re.search(r"setup\?token=([A-Za-z0-9_-]+)", self.log.read())
            if m:
                status, headers, _ = request(self.base, "POST", "/api/v1/setup", {
                    "token": m.group(1), "name": "Owner", "email": "owner@example.com", "password": PASSWORD})
                assert status == 201, status
                return session_cookie(headers)
            if self.process.poll() is not None:
                raise SystemExit("the server exited; see " + self.log.name)
            time.sleep(0.1)
        raise SystemExit("no setup link in the server log")

    def api_token(self, cookie, name="bench", role="admin"):
        """The secret of a new API token made in the owner's session."""
        status, _, body = request(self.base, "POST", "/api/v1/tokens", {"name": name, "role": role},
                                  {"Cookie": f"atende_sid={cookie}"})
        assert status == 201, (status, body[:300])
        return json.loads(body)["secret"]

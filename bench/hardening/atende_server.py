"""A real `atende serve` for the hardening benchmarks: a free loopback port, a temporary data
directory, the owner set up through the one-time link the server logs, stopped on exit."""
import json, os, re, socket, subprocess, tempfile, time, urllib.error, urllib.request

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
    def __init__(self, binary, prefix="atende-bench-", env=None):
        self.work = tempfile.mkdtemp(prefix=prefix)
        s = socket.socket(); s.bind(("127.0.0.1", 0)); self.port = s.getsockname()[1]; s.close()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.work, "server.err"), "w+")
        self.process = subprocess.Popen(
            [binary, "serve", "--data", os.path.join(self.work, "data"), "--port", str(self.port),
             "--master-key", os.path.join(self.work, "master.key")],
            stdout=self.log, stderr=self.log, env={**os.environ, **(env or {})})

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    @property
    def pid(self):
        return self.process.pid

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

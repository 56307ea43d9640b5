#!/usr/bin/env python3
"""Login flood against a real `atende serve` (issue 8, finding 1): N concurrent wrong sign-ins
from one client address (sent as X-Forwarded-For from loopback, as a reverse proxy would), while
the owner signs in from another address. Prints the answers' statuses, the server's CPU seconds
over the flood, and how long the owner's sign-in took.

Usage: bench/hardening/login_flood.py [ATENDE_BIN] [--requests 100]
Loopback only; bounded in count and time; stops its server at the end."""
import argparse, json, os, re, socket, subprocess, tempfile, threading, time, urllib.request

def request(base, path, body, headers=None):
    req = urllib.request.Request(base + path, method="POST", data=json.dumps(body).encode())
    req.add_header("Content-Type", "application/json"); req.add_header("X-Atende-CSRF", "1")
    for k, v in (headers or {}).items(): req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception as e:
        return type(e).__name__

def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin", nargs="?", default=".build/debug/atende")
    ap.add_argument("--requests", type=int, default=100)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="atende-login-flood-")
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    base = f"http://127.0.0.1:{port}"
    err = open(os.path.join(work, "server.err"), "w+")
    server = subprocess.Popen([a.bin, "serve", "--data", os.path.join(work, "data"), "--port", str(port),
                               "--master-key", os.path.join(work, "master.key")], stdout=err, stderr=err)
    try:
        token = None
        for _ in range(300):
            err.flush(); err.seek(0)
            m = re.search(r"setup\?token=([A-Za-z0-9_-]+)", err.read())
            if m: token = m.group(1); break
            time.sleep(0.1)
        pw = "correct horse battery staple"
        assert request(base, "/api/v1/setup", {"token": token, "name": "Owner", "email": "owner@example.com", "password": pw}) == 201
        q0 = time.monotonic()
        quiet = request(base, "/api/v1/session", {"email": "owner@example.com", "password": pw}, {"X-Forwarded-For": "192.0.2.44"})
        quiet_s = time.monotonic() - q0
        statuses = {}
        lock = threading.Lock()
        def guess(i):
            st = request(base, "/api/v1/session", {"email": f"someone{i % 5}@example.com", "password": f"wrong guess {i}"},
                         {"X-Forwarded-For": "203.0.113.7"})
            with lock: statuses[st] = statuses.get(st, 0) + 1
        cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
        threads = [threading.Thread(target=guess, args=(i,)) for i in range(a.requests)]
        for t in threads: t.start()
        time.sleep(0.05)
        o0 = time.monotonic()
        owner = request(base, "/api/v1/session", {"email": "owner@example.com", "password": pw}, {"X-Forwarded-For": "192.0.2.44"})
        owner_s = time.monotonic() - o0
        for t in threads: t.join()
        wall, cpu = time.monotonic() - t0, cpu_seconds(server.pid) - cpu0
        print(f"flood: {a.requests} concurrent wrong sign-ins from one address -> {dict(sorted(statuses.items(), key=str))}")
        print(f"server CPU {cpu:.2f} s over {wall:.2f} s of wall time")
        print(f"owner's sign-in from another address: {quiet} in {quiet_s:.3f} s alone, {owner} in {owner_s:.3f} s during the flood")
    finally:
        server.terminate(); server.wait(timeout=30)

if __name__ == "__main__":
    main()

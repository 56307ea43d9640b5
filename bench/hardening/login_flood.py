#!/usr/bin/env python3
"""Login flood against a real `atende serve` (issue 8, finding 1): N concurrent wrong sign-ins
from one client address (sent as X-Forwarded-For from loopback, as a reverse proxy would), while
the owner signs in from another address. Prints the answers' statuses, the server's CPU seconds
over the flood, and how long the owner's sign-in took.

Usage: bench/hardening/login_flood.py [ATENDE_BIN] [--requests 100]
Loopback only; bounded in count and time; stops its server at the end."""
import argparse, os, threading, time
from atende_server import PASSWORD, AtendeServer, request

def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def sign_in(base, email, password, address):
    return request(base, "POST", "/api/v1/session", {"email": email, "password": password}, {"X-Forwarded-For": address})[0]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin", nargs="?", default=".build/debug/atende")
    ap.add_argument("--requests", type=int, default=100)
    a = ap.parse_args()
    with AtendeServer(a.bin, prefix="atende-login-flood-") as server:
        server.setup_owner()
        q0 = time.monotonic()
        quiet = sign_in(server.base, "owner@example.com", PASSWORD, "192.0.2.44")
        quiet_s = time.monotonic() - q0
        statuses = {}
        lock = threading.Lock()
        def guess(i):
            st = sign_in(server.base, f"someone{i % 5}@example.com", f"wrong guess {i}", "203.0.113.7")
            with lock: statuses[st] = statuses.get(st, 0) + 1
        cpu0, t0 = cpu_seconds(server.pid), time.monotonic()
        threads = [threading.Thread(target=guess, args=(i,)) for i in range(a.requests)]
        for t in threads: t.start()
        time.sleep(0.05)
        o0 = time.monotonic()
        owner = sign_in(server.base, "owner@example.com", PASSWORD, "192.0.2.44")
        owner_s = time.monotonic() - o0
        for t in threads: t.join()
        wall, cpu = time.monotonic() - t0, cpu_seconds(server.pid) - cpu0
        print(f"flood: {a.requests} concurrent wrong sign-ins from one address -> {dict(sorted(statuses.items(), key=str))}")
        print(f"server CPU {cpu:.2f} s over {wall:.2f} s of wall time")
        print(f"owner's sign-in from another address: {quiet} in {quiet_s:.3f} s alone, {owner} in {owner_s:.3f} s during the flood")

if __name__ == "__main__":
    main()

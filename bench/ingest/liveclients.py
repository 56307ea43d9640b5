"""Many live-event WebSocket clients on one asyncio loop, written on raw sockets (RFC 6455 is
small for a client that only reads): the upgrade with `Authorization: Bearer`, no Origin (not
a browser), unmasked server frames, masked pongs and close.

Each client timestamps (time.monotonic, in `data_received`, before any JSON parsing) every
`message.created` frame and remembers it by the message's provider id, so a delivery latency is
`arrival - the moment the webhook was sent` on the same clock."""
import asyncio, base64, os, re, struct, time

PROVIDER_ID = re.compile(rb'"provider_id":"([^"]+)"')


class LiveClient(asyncio.Protocol):
    def __init__(self, host, token, arrivals):
        self.host, self.token = host, token
        self.arrivals = arrivals          # provider id -> list of arrival times (shared)
        self.buf = bytearray()
        self.upgraded = asyncio.get_running_loop().create_future()
        self.hello = asyncio.get_running_loop().create_future()
        self.status = None
        self.close_code = None
        self.closed = False
        self.frames = 0

    def connection_made(self, transport):
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write((f"GET /api/v1/live HTTP/1.1\r\nHost: {self.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                         f"Authorization: Bearer {self.token}\r\n\r\n").encode())

    def data_received(self, data):
        now = time.monotonic()
        self.buf += data
        if not self.upgraded.done():
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            self.status = int(self.buf[9:12])
            del self.buf[:end + 4]
            self.upgraded.set_result(self.status)
            if self.status != 101:
                self.transport.close()
                return
        while len(self.buf) >= 2:
            b0, b1 = self.buf[0], self.buf[1]
            n, off = b1 & 0x7F, 2
            if n == 126:
                if len(self.buf) < 4: return
                n, off = struct.unpack_from(">H", self.buf, 2)[0], 4
            elif n == 127:
                if len(self.buf) < 10: return
                n, off = struct.unpack_from(">Q", self.buf, 2)[0], 10
            if len(self.buf) < off + n:
                return
            payload = bytes(self.buf[off:off + n])
            del self.buf[:off + n]
            self.frames += 1
            op = b0 & 0x0F
            if op == 1:
                if not self.hello.done():
                    self.hello.set_result(payload)
                elif b'"type":"message.created"' in payload:
                    m = PROVIDER_ID.search(payload)
                    if m:
                        self.arrivals.setdefault(m.group(1).decode(), []).append(now)
            elif op == 9:
                self._send(0xA, payload)
            elif op == 8:
                self.close_code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
                if not self.hello.done():
                    self.hello.set_result(None)
                self._send(0x8, payload[:2])
                self.transport.close()

    def _send(self, op, payload):
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.transport.write(bytes([0x80 | op, 0x80 | len(payload)]) + mask + masked)

    def connection_lost(self, exc):
        self.closed = True
        if not self.upgraded.done():
            self.upgraded.set_result(type(exc).__name__ if exc else "closed")
        if not self.hello.done():
            self.hello.set_result(None)

    def close(self):
        if not self.closed:
            self._send(0x8, struct.pack(">H", 1000))
            self.transport.close()


async def connect_all(port, tokens, per_token, arrivals, parallel=50):
    """Opens `per_token` sockets for each token, `parallel` at a time; returns the clients and a
    count of handshake outcomes."""
    loop = asyncio.get_running_loop()
    host = f"127.0.0.1:{port}"
    clients, outcomes = [], {}
    gate = asyncio.Semaphore(parallel)

    async def one(token):
        async with gate:
            try:
                _, c = await loop.create_connection(lambda: LiveClient(host, token, arrivals), "127.0.0.1", port)
            except OSError as e:
                outcomes[type(e).__name__] = outcomes.get(type(e).__name__, 0) + 1
                return
            status = await asyncio.wait_for(c.upgraded, 30)
            hello = await asyncio.wait_for(c.hello, 30) if status == 101 else None
            key = "hello" if hello and b'"type":"hello"' in hello else f"status {status} close {c.close_code}"
            outcomes[key] = outcomes.get(key, 0) + 1
            clients.append(c)

    await asyncio.gather(*(one(t) for t in tokens for _ in range(per_token)))
    return clients, outcomes

@testable import Web
import Testing

/// The connection caps and eviction order as a pure state machine (no sockets, no clock).
@Suite struct ConnectionTableTests {
    typealias Table = ConnectionTable<Int>
    let a = IPAddress("198.18.0.1")!, b = IPAddress("198.18.0.2")!, proxy = IPAddress("127.0.0.1")!

    func admitted(_ admission: Table.Admission) -> Int?? {
        if case .admitted(let evicted) = admission { return .some(evicted) }
        return nil
    }

    @Test func anAddressAtItsCapIsRefusedButATrustedProxyIsNot() {
        var table = Table(limits: .init(maxConnections: 100, maxPerAddress: 2))
        #expect(admitted(table.admit(1, address: a, exempt: false, handle: 1, now: 0)) != nil)
        #expect(admitted(table.admit(2, address: a, exempt: false, handle: 2, now: 0)) != nil)
        guard case .refused(.perAddress) = table.admit(3, address: a, exempt: false, handle: 3, now: 0) else {
            Issue.record("a third connection from one address was admitted"); return
        }
        #expect(admitted(table.admit(4, address: b, exempt: false, handle: 4, now: 0)) != nil)
        for id in 10..<20 { #expect(admitted(table.admit(UInt64(id), address: proxy, exempt: true, handle: id, now: 0)) != nil) }
        table.remove(1)
        #expect(admitted(table.admit(5, address: a, exempt: false, handle: 5, now: 0)) != nil)
        #expect(table.count(of: a) == 2 && table.count == 13)
    }

    @Test func atTheCapTheLongestIdleConnectionMakesRoomFirst() {
        var table = Table(limits: .init(maxConnections: 3, maxPerAddress: 10))
        _ = table.admit(1, address: a, exempt: false, handle: 1, now: 10)
        _ = table.admit(2, address: a, exempt: false, handle: 2, now: 20)
        _ = table.admit(3, address: b, exempt: false, handle: 3, now: 30)
        table.update(1, to: .receiving(since: 11))              // a slow request, oldest of all
        table.update(2, to: .idle(since: 25))                   // keep-alive, idle
        table.update(3, to: .idle(since: 35))
        #expect(admitted(table.admit(4, address: b, exempt: false, handle: 4, now: 40)) == .some(2))
        #expect(table.count == 3 && table.count(of: a) == 1)
    }

    @Test func withNoIdleConnectionTheOldestArrivingRequestMakesRoom() {
        var table = Table(limits: .init(maxConnections: 3, maxPerAddress: 10))
        for id in 1...3 { _ = table.admit(UInt64(id), address: a, exempt: false, handle: id, now: 0) }
        table.update(1, to: .processing)
        table.update(2, to: .receiving(since: 50))
        table.update(3, to: .receiving(since: 40))
        #expect(admitted(table.admit(4, address: proxy, exempt: true, handle: 4, now: 60)) == .some(3))
    }

    @Test func connectionsBeingAnsweredAreNeverEvictedSoANewOneIsRefused() {
        var table = Table(limits: .init(maxConnections: 2, maxPerAddress: 10))
        for id in 1...2 {
            _ = table.admit(UInt64(id), address: a, exempt: false, handle: id, now: 0)
            table.update(UInt64(id), to: .processing)
        }
        guard case .refused(.full) = table.admit(3, address: proxy, exempt: true, handle: 3, now: 1) else {
            Issue.record("a connection being answered was evicted"); return
        }
        table.update(1, to: .idle(since: 2))
        #expect(admitted(table.admit(3, address: proxy, exempt: true, handle: 3, now: 3)) == .some(1))
    }
}

/// Finding 10: forwarded addresses are parsed and normalised; the trusted proxies are a setting.
@Suite struct TrustedProxiesTests {
    @Test(arguments: [
        ("198.18.0.1", "198.18.0.1"), ("198.018.0.1", nil), ("not-an-ip<script>", nil), ("1.2.3.4:80", nil),
        ("::FFFF:198.18.0.1", "198.18.0.1"), ("2001:DB8:0:0::1", "2001:db8::1"), ("", nil), ("1.2.3", nil),
        ("0x7f.0.0.1", nil), ("fe80::1%eth0", nil),
    ] as [(String, String?)])
    func addressesAreParsedStrictlyAndPrintedCanonically(_ text: String, _ canonical: String?) {
        #expect(IPAddress(text)?.description == canonical)
    }

    @Test func theDefaultTrustsExactlyLoopbacksTwoAddresses() throws {
        let trusted = TrustedProxies.loopback
        #expect(trusted.contains(IPAddress("127.0.0.1")) && trusted.contains(IPAddress("::1")))
        #expect(!trusted.contains(IPAddress("127.0.0.2")) && !trusted.contains(IPAddress("10.0.0.1")))
        let custom = try TrustedProxies(parsing: "10.0.0.0/8, 2001:db8::/32")
        #expect(custom.contains(IPAddress("10.200.3.4")) && !custom.contains(IPAddress("11.0.0.1")))
        #expect(custom.contains(IPAddress("2001:db8:1::5")) && !custom.contains(IPAddress("2001:db9::5")))
        #expect(try TrustedProxies(parsing: "").blocks.isEmpty)
        for bad in ["localhost", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/8/8"] {
            #expect(throws: TrustedProxiesError.self) { try TrustedProxies(parsing: bad) }
        }
    }

    @Test(arguments: [
        (["203.0.113.9"], "203.0.113.9"), (["10.0.0.1, 203.0.113.9"], "203.0.113.9"),
        (["not-an-ip<script>"], nil), (["198.018.0.1"], nil), (["203.0.113.9, "], nil),
        (["1.1.1.1", "203.0.113.7"], "203.0.113.7"),
    ] as [([String], String?)])
    func theForwardedClientIsTheProxysLastEntryWhenItIsAnAddress(_ fields: [String], _ expected: String?) {
        #expect(TransportMiddleware.forwardedClient(fields)?.description == expected)
    }
}

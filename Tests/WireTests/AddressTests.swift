import Testing
@testable import Wire

@Suite("addresses and demultiplexing")
struct AddressTests {
    @Test("parses IPv4 and IPv6 transport addresses", arguments: [
        ("127.0.0.1:3478", "127.0.0.1:3478"),
        ("[::1]:5000", "[::1]:5000"),
        ("[2001:db8::1]:80", "[2001:db8::1]:80"),
    ])
    func parse(input: String, expected: String) throws {
        #expect(try TransportAddress(parsing: input).description == expected)
    }

    @Test("uses the default port for a bare address")
    func defaultPort() throws {
        #expect(try TransportAddress(parsing: "127.0.0.1", defaultPort: 3478).port == 3478)
        #expect(try TransportAddress(parsing: "::1", defaultPort: 3478).description == "[::1]:3478")
    }

    @Test("rejects malformed addresses with a typed error", arguments: [
        "127.0.0.1:99999", "127.0.0.1:", "300.1.1.1:1", "[::1:5", "host.example:1", "127.0.0.1",
    ])
    func rejects(input: String) {
        #expect(throws: WireError.self) { try TransportAddress(parsing: input) }
    }

    @Test("IP address bytes round-trip and loopback is recognised")
    func bytes() {
        let v6 = IPAddress("2001:db8:1234:5678:11:2233:4455:6677")!
        #expect(IPAddress(bytes: v6.bytes) == v6)
        #expect(v6.bytes.count == 16)
        #expect(IPAddress("127.9.9.9")!.isLoopback)
        #expect(IPAddress.loopbackV6.isLoopback)
        #expect(!IPAddress("192.0.2.1")!.isLoopback)
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    }

    @Test("RFC 7983 demultiplexes by first byte", arguments: [
        (UInt8(0), DemuxedProtocol.stun), (3, .stun), (4, .unknown), (16, .zrtp), (19, .zrtp),
        (20, .dtls), (22, .dtls), (63, .dtls), (64, .turnChannel), (79, .turnChannel),
        (80, .unknown), (128, .rtp), (191, .rtp), (192, .unknown), (255, .unknown),
    ])
    func demux(byte: UInt8, expected: DemuxedProtocol) {
        #expect(DemuxedProtocol.classify(firstByte: byte) == expected)
    }

    @Test("an empty datagram is not classified as anything")
    func emptyDemux() {
        #expect(DemuxedProtocol.classify([]) == .unknown)
    }

    @Test("instants add durations and subtract to durations")
    func instants() {
        let start = Instant.milliseconds(500)
        let later = start + .milliseconds(1500)
        #expect(later == .seconds(2))
        #expect((later - start) == .milliseconds(1500))
        #expect(later.description == "t=2000.000ms")
    }

    @Test("a seeded generator is reproducible")
    func seeded() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
    }
}

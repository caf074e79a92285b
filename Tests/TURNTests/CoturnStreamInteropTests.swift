import Foundation
import Testing
import Wire
import STUN
import SocketDriver
import ToolTestSupport

/// Our TURN client against coturn over TCP and over TLS on loopback (RFC 8656 §3.1):
/// the client-to-server leg is a stream, the relay still talks UDP to the peer.
@Suite("TURN over TCP and TLS against coturn on loopback")
struct CoturnStreamInteropTests {
    /// Milliseconds of each step, for the report line.
    struct Timings: CustomStringConvertible {
        var steps: [(String, Duration)] = []
        var description: String { steps.map { "\($0.0) \($0.1.milliseconds)" }.joined(separator: ", ") }
    }

    /// Allocate (401 round), CreatePermission, Send/Data indications, ChannelBind and
    /// ChannelData through the relay to a UDP echo peer, then deallocate.
    static func relayRoundTrip(_ rig: StreamTURNRig, transport: TURNTransport) throws -> Timings {
        var timings = Timings()
        let peerAddress = rig.peer.localAddress
        try rig.call { try $0.allocate(at: $1) }
        timings.steps.append(("allocate", try rig.pump("allocation") { $0.client.state != .expectAllocateResponse }))
        #expect(rig.challenges.count == 1)
        #expect(rig.challenges.first?.0 == .allocate && rig.challenges.first?.1 == .unauthenticated
                && rig.challenges.first?.2 == CoturnStreams.credentials.realm)
        let allocation = try #require(rig.client.allocation, "state \(rig.client.state), events \(rig.events)")
        #expect(allocation.relayedAddress.ip == .loopbackV4)
        // The reflexive address coturn saw is our end of the TCP connection.
        #expect(allocation.mappedAddress == rig.stream.localAddress)
        // Over a stream nothing is retransmitted (RFC 8489 §6.2.2).
        #expect(!rig.events.contains { if case .retransmitted = $0 { return true } else { return false } })

        try rig.call { try $0.createPermission(for: [peerAddress.ip], at: $1) }
        timings.steps.append(("permission", try rig.pump("permission") { rig in
            rig.events.contains { if case .permissionCreated = $0 { return true } else { return false } }
        }))

        try rig.call { try $0.send(Array("via-send".utf8), to: peerAddress, at: $1) }
        timings.steps.append(("send+data echo", try rig.pump("echo through Send/Data indications") { $0.received.count == 1 }))
        #expect(rig.peerReceived.first?.payload == Array("via-send".utf8))
        #expect(rig.peerReceived.first?.source == allocation.relayedAddress)
        let first = try #require(rig.received.first)
        #expect(first.peer == peerAddress && first.data == Array("echo:via-send".utf8) && first.path == .dataIndication)

        let channel = try rig.client.bindChannel(to: peerAddress, at: SystemClock.now())
        try rig.call { _, _ in }
        timings.steps.append(("bind", try rig.pump("channel bind") { $0.client.boundChannel(for: peerAddress) == channel }))
        // 11 bytes of data: 4 + 11 + 1 padding byte on the stream (RFC 8656 §12.5).
        try rig.call { try $0.send(Array("via-channel".utf8), to: peerAddress, at: $1) }
        #expect(rig.written.last?.count == 16 && rig.written.last?.last == 0, "\(rig.written.last ?? [])")
        timings.steps.append(("channel echo", try rig.pump("echo through ChannelData") { $0.received.count == 2 }))
        #expect(rig.peerReceived.last?.payload == Array("via-channel".utf8))
        let second = try #require(rig.received.last)
        // "echo:via-channel" is 16 bytes; a 17-byte answer would have been padded by coturn too.
        #expect(second.peer == peerAddress && second.data == Array("echo:via-channel".utf8) && second.path == .channel(channel))
        try rig.call { try $0.send(Array("odd".utf8), to: peerAddress, at: $1) }
        try rig.pump("padded ChannelData from coturn") { $0.received.count == 3 }
        #expect(rig.received.last?.data == Array("echo:odd".utf8))

        try rig.call { try $0.deallocate(at: $1) }
        timings.steps.append(("deallocate", try rig.pump("deallocation") { $0.client.state != .expectDeallocateResponse }))
        #expect(rig.client.state == .deallocated)
        #expect(rig.failures.isEmpty, "\(rig.failures)")
        print("coturn TURN over \(transport.rawValue.uppercased()): relayed \(allocation.relayedAddress), "
            + "mapped \(allocation.mappedAddress.map(\.description) ?? "-"); ms: \(timings)")
        return timings
    }

    @Test("over TCP: allocate with the 401 round, permission, Send/Data indications and padded ChannelData to a UDP peer")
    func overTCP() throws {
        let coturn = try CoturnStreams.start()
        defer { coturn.stop() }
        let stream = try TCPStream(connectingTo: coturn.address)
        let rig = try StreamTURNRig(stream: stream, server: coturn.address, transport: .tcp)
        _ = try Self.relayRoundTrip(rig, transport: .tcp)
    }

    @Test("over TLS (certificate verified against the throw-away CA): the same round trip")
    func overTLS() throws {
        let coturn = try CoturnStreams.start()
        defer { coturn.stop() }
        let stream = try TLSStream(connectingTo: coturn.tlsAddress, serverName: "127.0.0.1", trusting: coturn.certificatePath)
        #expect(stream.session.verified)
        #expect(stream.session.protocolVersion.hasPrefix("TLSv1."))
        let rig = try StreamTURNRig(stream: stream, server: coturn.tlsAddress, transport: .tls)
        _ = try Self.relayRoundTrip(rig, transport: .tls)
        print("coturn TLS session: \(stream.session.protocolVersion) \(stream.session.cipher)")
    }

    @Test("TLS refuses a server whose certificate is not for the name asked for, and one nobody vouches for")
    func tlsVerification() throws {
        let coturn = try CoturnStreams.start()
        defer { coturn.stop() }
        let otherCA = try Programs.temporaryFile("not a certificate\n", prefix: "not-a-ca", suffix: ".pem")
        defer { try? FileManager.default.removeItem(atPath: otherCA) }
        #expect(throws: SocketError.self) {
            _ = try TLSStream(connectingTo: coturn.tlsAddress, serverName: "127.0.0.1", trusting: otherCA)
        }
        do {
            _ = try TLSStream(connectingTo: coturn.tlsAddress, serverName: "turn.example.org", trusting: coturn.certificatePath)
            Issue.record("a certificate for localhost/127.0.0.1 was accepted for turn.example.org")
        } catch let error as SocketError {
            #expect(error.code == .tls && error.reason.contains("certificate"), "\(error)")
        }
    }

    @Test("a wrong password over TCP ends in wrongCredentials after coturn's second 401, on one connection")
    func wrongPasswordOverTCP() throws {
        let coturn = try CoturnStreams.start()
        defer { coturn.stop() }
        let rig = try StreamTURNRig(stream: try TCPStream(connectingTo: coturn.address), server: coturn.address,
                                    transport: .tcp, password: "not-the-password")
        try rig.call { try $0.allocate(at: $1) }
        try rig.pump("the failure") { $0.client.state != .expectAllocateResponse }
        #expect(rig.failures.map(\.kind) == [.wrongCredentials])
        #expect(rig.client.allocation == nil)
    }

    @Test("allocation time: UDP, TCP and TLS against the same coturn (printed, not asserted: the machine is shared)")
    func allocationTimes() throws {
        let coturn = try CoturnStreams.start()
        defer { coturn.stop() }
        var lines: [String] = []
        for transport in TURNTransport.allCases {
            var samples: [Duration] = []
            for _ in 0..<5 {
                let start = SystemClock.now()
                switch transport {
                case .udp:
                    let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
                    defer { socket.close() }
                    let loop = EventLoop()
                    var client = TURNClient(localAddress: socket.localAddress, server: coturn.address,
                                            username: CoturnStreams.credentials.username,
                                            password: CoturnStreams.credentials.password)
                    try client.allocate(at: loop.clock())
                    let handle = loop.attach(client, sockets: [socket]) { _, _ in }
                    _ = try loop.run(until: loop.clock() + .seconds(5)) { loop.endpoint(handle).state != .expectAllocateResponse }
                    #expect(loop.endpoint(handle).allocation != nil)
                case .tcp, .tls:
                    let stream: any ByteStream = transport == .tcp
                        ? try TCPStream(connectingTo: coturn.address)
                        : try TLSStream(connectingTo: coturn.tlsAddress, serverName: "127.0.0.1", trusting: coturn.certificatePath)
                    let rig = try StreamTURNRig(stream: stream, server: stream.remoteAddress, transport: transport)
                    try rig.call { try $0.allocate(at: $1) }
                    try rig.pump("allocation") { $0.client.state != .expectAllocateResponse }
                    #expect(rig.client.allocation != nil)
                }
                samples.append(SystemClock.now() - start)
            }
            let sorted = samples.sorted()
            lines.append("\(transport.rawValue): median \(sorted[2].milliseconds) ms (min \(sorted[0].milliseconds), max \(sorted[4].milliseconds))")
        }
        print("coturn allocation incl. connect/handshake, 5 runs each: " + lines.joined(separator: "; "))
    }
}

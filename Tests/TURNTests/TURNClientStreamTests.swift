import Testing
import Wire
import STUN

/// `TURNClient` over TCP against our own `TURNServer` behind `TURNStreamServer`,
/// in virtual time and in process: the stream is simulated by re-cutting every
/// write into random chunks, so both framers see arbitrary splits.
@Suite("TURN client over a stream: no retransmissions, padded ChannelData, a broken stream ends the allocation")
struct TURNClientStreamTests {
    static let listener = TransportAddress(.v4(192, 0, 2, 2), 443)
    static let clientAddress = TransportAddress(.v4(203, 0, 113, 10), 50_000)
    static let peer = TransportAddress(.v4(198, 51, 100, 7), 7000)
    static let relayIP = IPAddress.v4(192, 0, 2, 2)

    struct Rig {
        var server: TURNStreamServer
        var client: TURNClient
        var now = Instant.zero
        var random = SplitMix64(seed: 11)
        var clientEvents: [TURNClientEvent] = []
        var serverEvents: [TURNServerEvent] = []
        var toPeers: [Datagram] = []
        /// Every chunk the client wrote (one transmit each).
        var clientWrites: [[UInt8]] = []
        /// Every transmit the server made to the client (one per message).
        var serverWrites: [[UInt8]] = []
        /// While false, the server's bytes are not delivered (a silent server).
        var serverAnswers = true

        init(password: String = "secret") {
            let configuration = TURNServer.Configuration(realm: "webrtc-lab", users: ["lab": "secret"],
                                                         relayIP: TURNClientStreamTests.relayIP, relayPorts: 49_152...49_153)
            server = TURNStreamServer(TURNServer(configuration: configuration, random: SplitMix64(seed: 3)),
                                      streamListeners: [TURNClientStreamTests.listener])
            client = TURNClient(localAddress: TURNClientStreamTests.clientAddress, server: TURNClientStreamTests.listener,
                                username: "lab", password: password, transport: .tcp, random: SplitMix64(seed: 4))
        }

        /// Cuts `bytes` in random chunks of 1-13 bytes, as TCP may.
        mutating func chunks(_ bytes: [UInt8]) -> [[UInt8]] {
            var pieces: [[UInt8]] = []
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + 1 + Int(random.next() % 13))
                pieces.append(Array(bytes[offset..<end]))
                offset = end
            }
            return pieces
        }

        mutating func act(_ body: (inout TURNClient, Instant) throws -> Void) throws {
            try body(&client, now)
            pump()
        }

        mutating func pump() {
            var progressed = true
            while progressed {
                progressed = false
                while let output = client.poll() {
                    progressed = true
                    switch output {
                    case let .event(event): clientEvents.append(event)
                    case let .transmit(datagram):
                        clientWrites.append(datagram.payload)
                        for piece in chunks(datagram.payload) {
                            server.handle(.datagram(Datagram(from: datagram.source, to: datagram.destination, payload: piece), at: now))
                        }
                    }
                }
                while let output = server.poll() {
                    progressed = true
                    switch output {
                    case let .event(event): serverEvents.append(event)
                    case let .transmit(datagram) where datagram.destination == client.localAddress:
                        serverWrites.append(datagram.payload)
                        guard serverAnswers else { continue }
                        for piece in chunks(datagram.payload) {
                            client.handle(.datagram(Datagram(from: datagram.source, to: datagram.destination, payload: piece), at: now))
                        }
                    case let .transmit(datagram):
                        toPeers.append(datagram)
                    }
                }
            }
        }

        mutating func advance(to time: Instant) {
            while let due = [client.nextTimeout, server.nextTimeout].compactMap({ $0 }).min(), due <= time {
                now = due
                client.handle(.timeout(now))
                server.handle(.timeout(now))
                pump()
            }
            now = time
        }

        var failures: [TURNFailure] {
            clientEvents.compactMap { if case let .failed(failure) = $0 { return failure } else { return nil } }
        }
    }

    static func allocated() throws -> Rig {
        var rig = Rig()
        try rig.act { try $0.allocate(at: $1) }
        #expect(rig.client.state == .allocated, "\(rig.clientEvents)")
        try rig.act { try $0.createPermission(for: [peer.ip], at: $1) }
        return rig
    }

    @Test("allocate with the 401 round over a chopped-up stream; the relayed address is UDP on the server")
    func allocate() throws {
        let rig = try Self.allocated()
        #expect(rig.client.transport == .tcp)
        let allocation = try #require(rig.client.allocation)
        #expect(allocation.relayedAddress.ip == Self.relayIP)
        #expect(allocation.mappedAddress == Self.clientAddress)
        #expect(rig.clientEvents.contains { if case .challenged(.allocate, .unauthenticated, "webrtc-lab", _) = $0 { return true } else { return false } })
        #expect(rig.client.permittedPeers == [Self.peer.ip])
        #expect(rig.server.streamConnectionCount == 1)
    }

    @Test("a silent server: the request is sent once, and fails after Ti = 39.5 s (RFC 8489 §6.2.2), not after UDP's 7 sends")
    func noRetransmissions() throws {
        var rig = Rig()
        rig.serverAnswers = false
        try rig.act { try $0.allocate(at: $1) }
        rig.advance(to: .milliseconds(39_499))
        #expect(rig.clientWrites.count == 1)
        #expect(rig.failures.isEmpty)
        rig.advance(to: .milliseconds(39_500))
        #expect(rig.clientWrites.count == 1)
        #expect(rig.failures.map(\.kind) == [.timedOut])
        #expect(!rig.clientEvents.contains { if case .retransmitted = $0 { return true } else { return false } })
    }

    @Test("ChannelData is padded to 4 both ways on the stream, and data still arrives whole")
    func paddedChannelData() throws {
        var rig = try Self.allocated()
        let channel = try rig.client.bindChannel(to: Self.peer, at: rig.now)
        rig.pump()
        #expect(rig.client.boundChannel(for: Self.peer) == channel)
        for size in [0, 1, 2, 3, 4, 5] {
            try rig.act { try $0.send([UInt8](repeating: 0xAB, count: size), to: Self.peer, at: $1) }
            let written = try #require(rig.clientWrites.last)
            #expect(written.count % 4 == 0 && written.count == 4 + (size + 3) / 4 * 4, "size \(size): \(written)")
            #expect(rig.toPeers.last?.payload.count == size)  // the relay strips the padding: UDP to the peer
        }
        let relayed = try #require(rig.client.allocation?.relayedAddress)
        for size in [1, 6, 8] {
            let payload = [UInt8](repeating: 0x5A, count: size)
            rig.server.handle(.datagram(Datagram(from: Self.peer, to: relayed, payload: payload), at: rig.now))
            rig.pump()
            #expect(rig.serverWrites.last?.count == 4 + (size + 3) / 4 * 4)
            guard case let .dataReceived(from, data, path, _)? = rig.clientEvents.last else {
                Issue.record("no data for size \(size): \(rig.clientEvents.suffix(2))")
                continue
            }
            #expect(from == Self.peer && data == payload && path == .channel(channel))
        }
    }

    @Test("garbage from the server ends the connection and the allocation (connectionLost); later bytes are ignored")
    func garbageFromServer() throws {
        var rig = try Self.allocated()
        rig.client.handle(.datagram(Datagram(from: Self.listener, to: Self.clientAddress, payload: Array("SSH-2.0-OpenSSH_9.6\r\n".utf8)), at: rig.now))
        rig.pump()
        #expect(rig.failures.map(\.kind) == [.connectionLost])
        #expect(rig.failures.first?.reason.contains("unknownFrame") == true)
        // "HTTP" would not do: 'H' (0x48) opens a ChannelData frame on channel 0x4854, legal and simply incomplete.
        guard case .failed = rig.client.state else { Issue.record("state \(rig.client.state)"); return }
        #expect(throws: STUNError.self) { try rig.client.send([1], to: Self.peer, at: rig.now) }
        let before = rig.clientEvents.count
        rig.client.handle(.datagram(Datagram(from: Self.listener, to: Self.clientAddress, payload: [0, 1, 0, 0]), at: rig.now))
        rig.pump()
        #expect(rig.clientEvents.count == before)
    }

    @Test("the server closing mid-frame is a truncation; a clean close still loses the allocation")
    func streamClosed() throws {
        var rig = try Self.allocated()
        rig.client.handle(.datagram(Datagram(from: Self.listener, to: Self.clientAddress, payload: [0x01, 0x01, 0x00]), at: rig.now))
        rig.client.streamClosed(at: rig.now)
        rig.pump()
        #expect(rig.failures.map(\.kind) == [.connectionLost])
        #expect(rig.failures.first?.reason.contains("truncated") == true)
        var clean = try Self.allocated()
        clean.client.streamClosed(at: clean.now)
        clean.pump()
        #expect(clean.failures.map(\.kind) == [.connectionLost])
        #expect(clean.failures.first?.operation == .refresh(lifetime: 600))
    }

    @Test("the server drops a client whose bytes cannot be framed, and keeps serving others")
    func serverDropsGarbage() throws {
        var rig = try Self.allocated()
        let intruder = TransportAddress(.v4(203, 0, 113, 66), 40_000)
        rig.server.handle(.datagram(Datagram(from: intruder, to: Self.listener, payload: Array("POST / HTTP/1.1\r\n".utf8)), at: rig.now))
        rig.pump()
        #expect(rig.serverEvents.contains { if case let .dropped(from, _, reason) = $0 { return from == intruder && reason.contains("TCP connection dropped") } else { return false } })
        #expect(rig.server.streamConnectionCount == 1)
        try rig.act { try $0.send([9, 9], to: Self.peer, at: $1) }
        #expect(rig.toPeers.last?.payload == [9, 9])
    }
}

import Foundation
import Testing
import Wire
import STUN
import SocketDriver
import PacketCapture
import ToolTestSupport

/// Our TURN client against a real coturn on loopback, driven by the real UDP event loop.
@Suite("TURN client against coturn on loopback")
struct CoturnInteropTests {
    /// coturn's one user, in its realm (the 401 challenge must name it).
    static let credentials = Coturn.Credentials(username: "lab", password: "secret", realm: "webrtc-lab")
    static let fastPolicy = STUNRetransmissionPolicy(initialRTO: .milliseconds(100), maxTransmissions: 7, finalWaitMultiplier: 8)

    /// Runs the loop until `condition` holds (or 5 s pass) and returns the elapsed time.
    @discardableResult
    static func run(_ loop: EventLoop, _ what: String, until condition: () -> Bool) throws -> Duration {
        let start = loop.clock()
        _ = try loop.run(until: start + .seconds(5), stopWhen: condition)
        #expect(condition(), "timed out waiting for \(what)")
        return loop.clock() - start
    }

    @Test("allocate with the 401 dance, permission, Send indication and ChannelData both ways, deallocate; tshark decodes it all")
    func relayRoundTrip() throws {
        let coturn = try Coturn.start(credentials: Self.credentials)
        defer { coturn.stop() }
        let loop = EventLoop()
        let clientSocket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        let peerSocket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { clientSocket.close(); peerSocket.close() }
        let peerAddress = peerSocket.localAddress

        let events = Recorder<TURNClientEvent>()
        let peerReceived = Recorder<Datagram>()
        let client = TURNClient(localAddress: clientSocket.localAddress, server: coturn.address,
                                username: Self.credentials.username, password: Self.credentials.password, software: "webrtc-lab TURN test",
                                policy: Self.fastPolicy)
        // Capture the client's side of the conversation for tshark.
        let pcapPath = FileManager.default.temporaryDirectory.appendingPathComponent("turn-\(UUID().uuidString).pcap").path
        let pcap = try PcapFile(path: pcapPath, unixNanosecondsAtInstantZero: SystemClock.unixOffsetOfMonotonicZero())
        defer { try? FileManager.default.removeItem(atPath: pcapPath) }
        let clientAddress = clientSocket.localAddress
        loop.tap = { tapped in
            if tapped.datagram.source == clientAddress || tapped.datagram.destination == clientAddress {
                try? pcap.write(tapped.datagram, at: tapped.at)
            }
        }
        let turn = loop.attach(client, sockets: [clientSocket]) { events.record($0, $1) }
        loop.attach(EchoPeer(localAddress: peerAddress), sockets: [peerSocket]) { peerReceived.record($0, $1) }

        // 1. Allocate: unsigned, 401 with REALM/NONCE, signed retry, success.
        try loop.withEndpoint(turn) { try $0.allocate(at: loop.clock()) }
        let allocateTime = try Self.run(loop, "allocation") { loop.endpoint(turn).state != .expectAllocateResponse }
        let challenge = events.items.compactMap { item -> (TURNOperation, STUNErrorCode, String)? in
            if case let .challenged(operation, code, realm, _) = item.event { return (operation, code, realm) } else { return nil }
        }
        #expect(challenge.count == 1)
        #expect(challenge.first?.0 == .allocate && challenge.first?.1 == .unauthenticated && challenge.first?.2 == Self.credentials.realm)
        let allocation = try #require(loop.endpoint(turn).allocation, "state: \(loop.endpoint(turn).state), log:\n\(coturn.stop().suffix(2000))")
        #expect(allocation.relayedAddress.ip == .loopbackV4)
        #expect(allocation.relayedAddress.port != 0 && allocation.relayedAddress.port != coturn.port)
        #expect(allocation.mappedAddress == clientSocket.localAddress)
        #expect(allocation.lifetime == .seconds(600))
        #expect(loop.endpoint(turn).allocationRefreshDeadline == allocation.grantedAt + .seconds(540))

        // 2. Permission for the peer's IP.
        try loop.withEndpoint(turn) { try $0.createPermission(for: [peerAddress.ip], at: loop.clock()) }
        let permissionTime = try Self.run(loop, "permission") {
            events.items.contains { if case .permissionCreated = $0.event { return true } else { return false } }
        }

        // 3. Send indication out, Data indication back.
        try loop.withEndpoint(turn) { try $0.send(Array("via-send".utf8), to: peerAddress, at: loop.clock()) }
        let sendTime = try Self.run(loop, "echo through Send/Data indications") { Self.received(events).count == 1 }
        #expect(peerReceived.items.first?.event.payload == Array("via-send".utf8))
        #expect(peerReceived.items.first?.event.source == allocation.relayedAddress)
        let first = try #require(Self.received(events).first)
        #expect(first.peer == peerAddress && first.data == Array("echo:via-send".utf8) && first.path == .dataIndication)

        // 4. ChannelBind, then ChannelData out and back.
        let channel = try loop.withEndpoint(turn) { try $0.bindChannel(to: peerAddress, at: loop.clock()) }
        let bindTime = try Self.run(loop, "channel bind") { loop.endpoint(turn).boundChannel(for: peerAddress) == channel }
        try loop.withEndpoint(turn) { try $0.send(Array("via-channel".utf8), to: peerAddress, at: loop.clock()) }
        let channelTime = try Self.run(loop, "echo through ChannelData") { Self.received(events).count == 2 }
        #expect(peerReceived.items.last?.event.payload == Array("via-channel".utf8))
        #expect(peerReceived.items.last?.event.source == allocation.relayedAddress)
        let second = try #require(Self.received(events).last)
        #expect(second.peer == peerAddress && second.data == Array("echo:via-channel".utf8) && second.path == .channel(channel))

        // 5. Deallocate.
        try loop.withEndpoint(turn) { try $0.deallocate(at: loop.clock()) }
        let deallocateTime = try Self.run(loop, "deallocation") { loop.endpoint(turn).state != .expectDeallocateResponse }
        #expect(loop.endpoint(turn).state == .deallocated)
        let failures = events.items.filter { if case .failed = $0.event { return true } else { return false } }
        #expect(failures.isEmpty, "\(failures)")
        pcap.close()
        try TsharkTURN.check(pcapPath, serverPort: coturn.port, channel: channel)
        print("coturn TURN: relayed \(allocation.relayedAddress), mapped \(allocation.mappedAddress.map(\.description) ?? "-"), "
            + "channel 0x\(String(channel, radix: 16)); ms: allocate \(allocateTime.milliseconds), permission \(permissionTime.milliseconds), "
            + "send+data echo \(sendTime.milliseconds), bind \(bindTime.milliseconds), channel echo \(channelTime.milliseconds), "
            + "deallocate \(deallocateTime.milliseconds)")
    }

    @Test("a wrong password ends in a wrongCredentials failure carrying coturn's 401")
    func wrongPassword() throws {
        let coturn = try Coturn.start(credentials: Self.credentials)
        defer { coturn.stop() }
        let loop = EventLoop()
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { socket.close() }
        let events = Recorder<TURNClientEvent>()
        let client = TURNClient(localAddress: socket.localAddress, server: coturn.address,
                                username: Self.credentials.username, password: "not-the-password", policy: Self.fastPolicy)
        let turn = loop.attach(client, sockets: [socket]) { events.record($0, $1) }
        try loop.withEndpoint(turn) { try $0.allocate(at: loop.clock()) }
        let elapsed = try Self.run(loop, "the failure") { loop.endpoint(turn).state != .expectAllocateResponse }
        let failures = events.items.compactMap { item -> TURNFailure? in
            if case let .failed(failure) = item.event { return failure } else { return nil }
        }
        #expect(failures.count == 1)
        #expect(failures.first?.kind == .wrongCredentials)
        #expect(failures.first?.code == .unauthenticated)
        #expect(loop.endpoint(turn).allocation == nil)
        print("coturn wrong password: \(failures.first.map(\.description) ?? "-") after \(elapsed.milliseconds) ms")
    }

    static func received(_ events: Recorder<TURNClientEvent>) -> [(peer: TransportAddress, data: [UInt8], path: TURNDataPath)] {
        events.items.compactMap { item in
            if case let .dataReceived(peer, data, path, _) = item.event { return (peer, data, path) } else { return nil }
        }
    }
}

import Testing
import Wire
@testable import STUN

@Suite("TURN client in virtual time against a scripted server")
struct TURNClientTests {
    static let peer = TransportAddress(.v4(127, 0, 0, 1), 40_000)

    /// A harness whose client holds an allocation at t=0.
    static func allocated(lifetime: UInt32? = nil) throws -> TURNHarness {
        var harness = TURNHarness(lifetime: lifetime)
        try harness.act { try $0.allocate(at: $1) }
        #expect(harness.client.state == .allocated)
        return harness
    }

    @Test("Allocate goes out unsigned, answers the 401 with USERNAME/REALM/NONCE/MESSAGE-INTEGRITY, and reports the relayed address")
    func allocateDance() throws {
        let harness = try Self.allocated()
        let allocates = harness.server.requests.filter { $0.method == .allocate }
        #expect(allocates.count == 2)
        #expect(!allocates[0].signed && !allocates[0].message.contains(.username))
        #expect(try allocates[0].message.attribute(RequestedTransport.self) == .udp)
        let retry = allocates[1].message
        #expect(allocates[1].signed)
        #expect(try retry.attribute(Username.self)?.value == "lab")
        #expect(try retry.attribute(Realm.self)?.value == "webrtc-lab")
        #expect(try retry.attribute(Nonce.self)?.value == "nonce-1")
        #expect(retry.transactionID != allocates[0].message.transactionID)
        guard harness.eventList.count == 2,
              case let .challenged(operation, code, realm, _) = harness.eventList[0],
              case let .allocated(allocation) = harness.eventList[1] else {
            Issue.record("expected challenged then allocated, got \(harness.eventList)")
            return
        }
        #expect(operation == .allocate && code == .unauthenticated && realm == "webrtc-lab")
        #expect(allocation.relayedAddress == TURNFakeServer.relayed)
        #expect(allocation.mappedAddress == harness.client.localAddress)
        #expect(allocation.lifetime == .seconds(600))
        #expect(harness.client.realm == "webrtc-lab")
    }

    @Test("a wrong password ends in a wrongCredentials failure with code 401 after exactly two Allocates")
    func wrongPassword() throws {
        var harness = TURNHarness(password: "wrong")
        try harness.act { try $0.allocate(at: $1) }
        #expect(harness.server.requests.count == 2)
        #expect(harness.failures.count == 1)
        #expect(harness.failures.first?.kind == .wrongCredentials)
        #expect(harness.failures.first?.code == .unauthenticated)
        guard case .failed = harness.client.state else { Issue.record("state \(harness.client.state)"); return }
        #expect(harness.client.nextTimeout == nil)
    }

    @Test("Allocate errors 486, 508 and 441 become typed failures")
    func allocateErrors() throws {
        let cases: [(STUNErrorCode, TURNFailure.Kind)] = [
            (.allocationQuotaReached, .quotaReached), (.insufficientCapacity, .insufficientCapacity),
            (.wrongCredentials, .wrongCredentials), (.forbidden, .forbidden), (.serverError, .errorResponse),
        ]
        for (code, kind) in cases {
            var harness = TURNHarness()
            harness.server.errors[.allocate] = [code]
            try harness.act { try $0.allocate(at: $1) }
            #expect(harness.failures.map(\.kind) == [kind], "code \(code)")
            #expect(harness.failures.first?.code == code)
            #expect(harness.client.state == .failed(harness.failures[0]))
        }
    }

    @Test("the allocation is refreshed one minute before expiry: 540 s, then 1080 s, with the granted lifetime")
    func refreshInstants() throws {
        var harness = try Self.allocated()
        #expect(harness.client.allocationRefreshDeadline == .seconds(540))
        harness.advance(to: .seconds(1100))
        #expect(harness.requestTimes(.refresh) == [.seconds(540), .seconds(1080)])
        let lifetimes = harness.server.requests.filter { $0.method == .refresh }.map { try? $0.message.attribute(Lifetime.self)?.seconds }
        #expect(lifetimes == [600, 600])
        #expect(harness.eventList.filter { if case .refreshed = $0 { return true } else { return false } }.count == 2)
        #expect(harness.client.allocationRefreshDeadline == .seconds(1620))
    }

    @Test("a short lifetime is refreshed at half of it")
    func shortLifetime() throws {
        var harness = try Self.allocated(lifetime: 100)
        harness.advance(to: .seconds(120))
        #expect(harness.requestTimes(.refresh) == [.seconds(50), .seconds(100)])
    }

    @Test("a 438 Stale Nonce on Refresh is retried at once with the new nonce")
    func staleNonce() throws {
        var harness = try Self.allocated()
        harness.server.nonce = "nonce-2"
        harness.advance(to: .seconds(541))
        let refreshes = harness.server.requests.filter { $0.method == .refresh }
        #expect(refreshes.map(\.at) == [.seconds(540), .seconds(540)])
        #expect(refreshes.map { try? $0.message.attribute(Nonce.self)?.value } == ["nonce-1", "nonce-2"])
        #expect(harness.eventList.contains { if case .challenged(.refresh, .staleNonce, _, _) = $0 { return true } else { return false } })
        #expect(harness.client.state == .allocated)
        #expect(harness.failures.isEmpty)
    }

    @Test("a server that changes its nonce on every request makes a challengeLoop failure, not a loop")
    func challengeLoop() throws {
        var harness = TURNHarness()
        try harness.client.allocate(at: .zero)
        // Serve by hand: every answer is a 438 with a fresh nonce.
        var count = 0
        while let output = harness.client.poll() {
            guard case let .transmit(datagram) = output else {
                if case let .event(event) = output { harness.events.append((.zero, event)) }
                continue
            }
            count += 1
            harness.server.nonce = "nonce-\(count + 1)"
            if let answer = harness.server.receive(datagram, at: .zero) {
                harness.client.handle(.datagram(Datagram(from: TURNFakeServer.address, to: datagram.source, payload: answer), at: .zero))
            }
        }
        #expect(count == 1 + TURNClient.maximumChallenges)
        #expect(harness.failures.map(\.kind) == [.challengeLoop])
    }

    @Test("a 437 on Refresh ends the allocation as allocationMismatch and stops every timer")
    func allocationMismatch() throws {
        var harness = try Self.allocated()
        try harness.act { try $0.createPermission(for: [Self.peer.ip], at: $1) }
        harness.server.errors[.refresh] = [.allocationMismatch]
        harness.advance(to: .seconds(600))
        #expect(harness.failures.last?.kind == .allocationMismatch)
        guard case .failed = harness.client.state else { Issue.record("state \(harness.client.state)"); return }
        #expect(harness.client.nextTimeout == nil)
        #expect(throws: STUNError.self) { try harness.client.send([1], to: Self.peer, at: harness.now) }
    }

    @Test("permissions are refreshed every 240 s and one CreatePermission carries every due peer")
    func permissionRefresh() throws {
        var harness = try Self.allocated()
        let other = TransportAddress(.v4(127, 0, 0, 2), 1)
        try harness.act { try $0.createPermission(for: [Self.peer.ip, other.ip], at: $1) }
        #expect(harness.client.permissionRefreshDeadline(for: Self.peer.ip) == .seconds(240))
        harness.advance(to: .seconds(500))
        #expect(harness.requestTimes(.createPermission) == [.zero, .seconds(240), .seconds(480)])
        let last = try #require(harness.server.requests.last { $0.method == .createPermission })
        #expect(last.message.attributes.filter { $0.type == .xorPeerAddress }.count == 2)
        #expect(harness.client.permissionRefreshDeadline(for: other.ip) == .seconds(720))
    }

    @Test("ChannelBind is refreshed at 540 s and keeps its peer's permission alive at 240 s")
    func channelRefresh() throws {
        var harness = try Self.allocated()
        let channel = try harness.client.bindChannel(to: Self.peer, at: harness.now)
        harness.pump()
        #expect(channel == 0x4000)
        #expect(harness.client.boundChannel(for: Self.peer) == 0x4000)
        #expect(harness.client.channelRefreshDeadline(for: channel) == .seconds(540))
        harness.advance(to: .seconds(600))
        #expect(harness.requestTimes(.channelBind) == [.zero, .seconds(540)])
        #expect(harness.requestTimes(.createPermission) == [.seconds(240), .seconds(480)])
        let binds = harness.server.requests.filter { $0.method == .channelBind }
        #expect(binds.allSatisfy { (try? $0.message.attribute(ChannelNumber.self))?.number == 0x4000 })
        #expect(binds.allSatisfy { (try? $0.message.attribute(XORPeerAddress.self))?.address == Self.peer })
    }

    @Test("data to a peer goes as a Send indication until the channel is bound, then as ChannelData")
    func sendPaths() throws {
        var harness = try Self.allocated()
        try harness.act { try $0.createPermission(for: [Self.peer.ip], at: $1) }
        try harness.act { try $0.send(Array("hello".utf8), to: Self.peer, at: $1) }
        #expect(harness.server.sends.count == 1)
        #expect(harness.server.sends.first?.peer == Self.peer)
        #expect(harness.server.sends.first?.data == Array("hello".utf8))
        try harness.act { _ = try $0.bindChannel(to: Self.peer, at: $1) }
        try harness.act { try $0.send([1, 2, 3, 4, 5], to: Self.peer, at: $1) }
        #expect(harness.server.sends.count == 1)
        #expect(harness.server.channelData == [try ChannelData(channelNumber: 0x4000, data: [1, 2, 3, 4, 5])])
    }

    @Test("Data indications and ChannelData from the server become dataReceived events")
    func receivePaths() throws {
        var harness = try Self.allocated()
        try harness.act { _ = try $0.bindChannel(to: Self.peer, at: $1) }
        harness.deliver(try TURNFakeServer.dataIndication(from: Self.peer, [9, 8, 7]))
        harness.deliver(try ChannelData(channelNumber: 0x4000, data: [6, 5]).encoded(padded: true))
        #expect(harness.received.count == 2)
        #expect(harness.received[0] == (Self.peer, [9, 8, 7], .dataIndication))
        #expect(harness.received[1] == (Self.peer, [6, 5], .channel(0x4000)))
    }

    @Test("garbage, strangers, unbound channels and incomplete Data indications are dropped with reasons")
    func drops() throws {
        var harness = try Self.allocated()
        let before = harness.client.state
        harness.deliver([0x17, 0xFE, 0xFD, 0, 0])
        harness.deliver([0x40, 0x01, 0x00, 0x08, 1, 2])
        harness.deliver(try ChannelData(channelNumber: 0x4123, data: [1]).encoded())
        harness.deliver(try TURNFakeServer.dataIndication(from: Self.peer, [1]), from: TransportAddress(.v4(127, 0, 0, 9), 3478))
        var noData = STUNMessage(type: STUNMessageType(method: .data, messageClass: .indication), transactionID: try TransactionID(bytes: [UInt8](repeating: 1, count: 12)))
        noData.append(XORPeerAddress(Self.peer))
        harness.deliver(try noData.encode())
        harness.deliver(try STUNMessage(type: .bindingRequest, transactionID: noData.transactionID).encode())
        harness.deliver([])
        let drops = harness.drops
        #expect(drops.count == 7, "\(drops)")
        #expect(drops[0].contains("dtls"))
        #expect(drops[1].contains("truncated"))
        #expect(drops[2].contains("unbound channel 0x4123"))
        #expect(drops[3].contains("not from the TURN server"))
        #expect(drops[4].contains("without DATA"))
        #expect(drops[5].contains("unexpected Binding Request"))
        #expect(drops[6].contains("empty datagram"))
        #expect(harness.client.state == before)
        #expect(harness.received.isEmpty)
    }

    @Test("retransmissions of Allocate follow STUN's RFC 8489 schedule: 0, 500, 1500 ms")
    func retransmissions() throws {
        var harness = TURNHarness()
        harness.server.silences[.allocate] = 2
        try harness.act { try $0.allocate(at: $1) }
        harness.advance(to: .seconds(10))
        let schedule = STUNRetransmissionPolicy.rfc8489.schedule.sends
        #expect(harness.requestTimes(.allocate) == [Instant.zero + schedule[0], .zero + schedule[1], .zero + schedule[2], .zero + schedule[2]])
        let retransmitted = harness.eventList.compactMap { if case let .retransmitted(op, n, _) = $0 { return "\(op) #\(n)" } else { return nil } }
        #expect(retransmitted == ["Allocate #2", "Allocate #3"])
        #expect(harness.client.state == .allocated)
    }

    @Test("an unanswered Allocate times out after STUN's 39.5 s")
    func timeout() throws {
        var harness = TURNHarness()
        harness.server.silences[.allocate] = 100
        try harness.act { try $0.allocate(at: $1) }
        harness.advance(to: .seconds(60))
        #expect(harness.failures.map(\.kind) == [.timedOut])
        #expect(harness.failures.first?.at == .milliseconds(39_500))
    }

    @Test("deallocate sends Refresh LIFETIME 0, reports deallocated and arms no timer")
    func deallocate() throws {
        var harness = try Self.allocated()
        try harness.act { try $0.createPermission(for: [Self.peer.ip], at: $1) }
        harness.advance(to: .seconds(10))
        try harness.act { try $0.deallocate(at: $1) }
        let last = try #require(harness.server.requests.last)
        let lifetime = try last.message.attribute(Lifetime.self)
        #expect(last.method == .refresh && lifetime?.seconds == 0)
        #expect(harness.client.state == .deallocated)
        #expect(harness.client.nextTimeout == nil)
        guard case .deallocated(at: .seconds(10)) = harness.eventList.last else { Issue.record("\(harness.eventList)"); return }
    }

    @Test("a 437 answer to the deallocating Refresh still counts as deallocated")
    func deallocateMismatch() throws {
        var harness = try Self.allocated()
        harness.server.errors[.refresh] = [.allocationMismatch]
        try harness.act { try $0.deallocate(at: $1) }
        #expect(harness.client.state == .deallocated)
        #expect(harness.failures.isEmpty)
    }

    @Test("API misuse throws invalidArgument: send before allocation, allocate twice, binding one peer twice")
    func misuse() throws {
        var client = TURNHarness().client
        #expect(throws: STUNError.self) { try client.send([1], to: Self.peer, at: .zero) }
        var harness = try Self.allocated()
        #expect(throws: STUNError.self) { try harness.client.allocate(at: .zero) }
        try harness.act { _ = try $0.bindChannel(to: Self.peer, at: $1) }
        do {
            _ = try harness.client.bindChannel(to: Self.peer, at: .zero)
            Issue.record("second bind to one peer must throw")
        } catch let error as STUNError {
            #expect(error.origin == .caller)
        }
    }

    @Test("a failed ChannelBind only drops that channel; data keeps flowing by Send indication")
    func channelFailure() throws {
        var harness = try Self.allocated()
        harness.server.errors[.channelBind] = [.badRequest]
        try harness.act { _ = try $0.bindChannel(to: Self.peer, at: $1) }
        #expect(harness.failures.map(\.kind) == [.errorResponse])
        #expect(harness.client.state == .allocated)
        #expect(harness.client.boundChannel(for: Self.peer) == nil)
        try harness.act { try $0.send([1], to: Self.peer, at: $1) }
        #expect(harness.server.sends.count == 1)
    }

    @Test("2000 seeded random datagrams from the server are each dropped once and change nothing")
    func hostileInput() throws {
        var harness = try Self.allocated()
        var random = SplitMix64(seed: 7983)
        let deadline = harness.client.nextTimeout
        let before = harness.events.count
        for index in 0..<2000 {
            var bytes = (0..<Int(random.next() % 48)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if !bytes.isEmpty { bytes[0] = index % 2 == 0 ? bytes[0] & 0x01 : 0x40 | (bytes[0] & 0x0F) }
            if bytes.count >= 8, index % 4 == 0 { bytes[4...7] = [0x21, 0x12, 0xA4, 0x42] }
            harness.deliver(bytes)
        }
        #expect(harness.events.count - before == 2000)
        #expect(harness.drops.count == 2000)
        #expect(harness.client.state == .allocated && harness.client.nextTimeout == deadline)
    }
}

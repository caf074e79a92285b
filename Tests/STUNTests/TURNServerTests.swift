import Testing
import Wire
@testable import STUN

/// The simulated TURN server's allocation side (RFC 8656 §7, §8): credentials,
/// Allocate, Refresh, lifetimes and expiry, and silence towards garbage.
@Suite("TURN server: allocations")
struct TURNServerTests {
    typealias Rig = TURNServerRig
    static let key = STUNKey.longTerm(username: "lab", realm: TURNServerRig.realm, password: "secret")

    @Test("the real client allocates after the 401 dance and gets relay, mapped address and 600 s")
    func allocateWithChallenge() throws {
        var rig = Rig()
        try rig.act { try $0.allocate(at: $1) }
        #expect(rig.client.state == .allocated)
        let allocation = try #require(rig.client.allocation)
        #expect(allocation.relayedAddress == TransportAddress(Rig.relayIP, 49_152))
        #expect(allocation.mappedAddress == Rig.clientAddress)
        #expect(allocation.lifetime == .seconds(600))
        #expect(rig.answers.map { $0.errorCode } == [.unauthenticated, nil])
        #expect(rig.answers.last?.username == "lab")
        #expect(rig.clientEvents.contains { if case .challenged(.allocate, .unauthenticated, "webrtc-lab", _) = $0 { return true } else { return false } })
        #expect(rig.server.relayedAddresses == [allocation.relayedAddress])
        let created = rig.serverEvents.compactMap { if case let .allocationCreated(a, _) = $0 { return a } else { return nil } }
        #expect(created.map(\.relayedAddress) == [allocation.relayedAddress])
        #expect(created.first?.expiresAt == .seconds(600))
        #expect(rig.server.nextTimeout == .seconds(600))
    }

    @Test("a wrong password gets 401 again and the client fails with wrongCredentials; nothing is allocated")
    func wrongPassword() throws {
        var rig = Rig(password: "guess")
        try rig.act { try $0.allocate(at: $1) }
        #expect(rig.failures.map(\.kind) == [.wrongCredentials])
        #expect(rig.answers.map(\.errorCode) == [.unauthenticated, .unauthenticated])
        #expect(rig.server.allocations.isEmpty)
        #expect(rig.server.nextTimeout == nil)
    }

    @Test("an unknown user gets 401, a stale nonce 438 with a fresh one")
    func unknownUserAndStaleNonce() throws {
        var rig = Rig()
        let nonce = try rig.freshNonce()
        let stranger = try Rig.signed(.allocate, id: 1, nonce: nonce, user: "mallory", password: "x") { $0.append(RequestedTransport.udp) }
        #expect(try rig.exchange(stranger)?.errorCode?.code == .unauthenticated)
        rig.now = .seconds(600)  // the nonce lived 600 s
        let late = try Rig.signed(.allocate, id: 2, nonce: nonce) { $0.append(RequestedTransport.udp) }
        let answer = try #require(try rig.exchange(late))
        #expect(answer.errorCode?.code == .staleNonce)
        #expect(try answer.attribute(Nonce.self)?.value != nonce)
        #expect(rig.server.allocations.isEmpty)
    }

    @Test("a second Allocate on the same 5-tuple gets 437; a retransmission of the first gets the same relay")
    func allocationMismatch() throws {
        var rig = try Rig.allocated()
        let nonce = try rig.freshNonce()
        let first = try Rig.signed(.allocate, id: 3, nonce: nonce) { $0.append(RequestedTransport.udp) }
        let other = try #require(try rig.exchange(first))
        #expect(other.errorCode?.code == .allocationMismatch)
        // Errors after authentication are signed with the user's key (re-encoding keeps the received bytes).
        #expect(STUNMessage.verifyIntegrity(of: try other.encode(), key: Self.key).isValid)

        // Another 5-tuple: a fresh allocation; then its retransmission answers the same relay.
        let elsewhere = TransportAddress(.v4(127, 0, 0, 1), 50001)
        let request = try Rig.signed(.allocate, id: 4, nonce: nonce) { $0.append(RequestedTransport.udp) }
        let granted = try #require(try rig.exchange(request, from: elsewhere))
        let again = try #require(try rig.exchange(request, from: elsewhere))
        let relay = try granted.attribute(XORRelayedAddress.self)?.address
        #expect(relay == TransportAddress(Rig.relayIP, 49_153))
        #expect(try again.attribute(XORRelayedAddress.self)?.address == relay)
        #expect(again.messageType == STUNMessageType(method: .allocate, messageClass: .successResponse))
        #expect(rig.server.allocations.count == 2)
    }

    @Test("REQUESTED-TRANSPORT other than UDP gets 442, none gets 400, DONT-FRAGMENT gets 420")
    func transportChecks() throws {
        var rig = Rig()
        let nonce = try rig.freshNonce()
        let tcp = try Rig.signed(.allocate, id: 5, nonce: nonce) { $0.append(RequestedTransport(protocolNumber: 6)) }
        let answer = try #require(try rig.exchange(tcp))
        #expect(answer.errorCode?.code == .unsupportedTransportProtocol)
        #expect(STUNMessage.verifyIntegrity(of: try answer.encode(), key: Self.key).isValid)
        let none = try Rig.signed(.allocate, id: 6, nonce: nonce)
        #expect(try rig.exchange(none)?.errorCode?.code == .badRequest)
        let fragment = try Rig.signed(.allocate, id: 7, nonce: nonce) {
            $0.append(RequestedTransport.udp)
            $0.append(DontFragment())
        }
        let unknown = try #require(try rig.exchange(fragment))
        #expect(unknown.errorCode?.code == .unknownAttribute)
        #expect(try unknown.attribute(UnknownAttributes.self)?.types == [.dontFragment])
        #expect(rig.server.allocations.isEmpty)
    }

    @Test("lifetimes: asked 60 s gives the 600 s default, 100000 s is capped at 3600 s")
    func lifetimes() throws {
        let short = try Rig.allocated(requestedLifetime: 60)
        #expect(short.client.allocation?.lifetime == .seconds(600))
        let long = try Rig.allocated(requestedLifetime: 100_000)
        #expect(long.client.allocation?.lifetime == .seconds(3600))
        #expect(long.server.nextTimeout == .seconds(3600))
    }

    @Test("the client's Refresh at 540 s moves expiry to 1140 s; Refresh 0 deletes and frees the port")
    func refreshAndDelete() throws {
        var rig = try Rig.allocated()
        rig.advance(to: .seconds(541))
        #expect(rig.server.allocations.first?.expiresAt == .seconds(1140))
        #expect(rig.serverEvents.contains { if case .allocationRefreshed(_, .seconds(540)) = $0 { return true } else { return false } })
        try rig.act { try $0.deallocate(at: $1) }
        #expect(rig.client.state == .deallocated)
        #expect(rig.server.allocations.isEmpty)
        #expect(rig.server.nextTimeout == nil)
        #expect(rig.serverEvents.contains {
            if case .allocationDeleted(TransportAddress(Rig.relayIP, 49_152), .refreshedToZero, .seconds(541)) = $0 { return true }
            return false
        })
        // Refresh without an allocation is a mismatch.
        let nonce = try rig.freshNonce()
        let refresh = try Rig.signed(.refresh, id: 8, nonce: nonce) { $0.append(Lifetime(seconds: 600)) }
        #expect(try rig.exchange(refresh)?.errorCode?.code == .allocationMismatch)
    }

    @Test("another user cannot act on the allocation: 441")
    func otherUser() throws {
        var rig = try Rig.allocated()
        let nonce = try rig.freshNonce()
        let refresh = try Rig.signed(.refresh, id: 9, nonce: nonce, user: "eve", password: "hunter2") { $0.append(Lifetime(seconds: 0)) }
        #expect(try rig.exchange(refresh)?.errorCode?.code == .wrongCredentials)
        #expect(rig.server.allocations.count == 1)
    }

    @Test("an unrefreshed allocation lives until exactly 600 s: alive 1 ns before, deleted at the instant")
    func expiryInstant() throws {
        var rig = try Rig.allocated()
        rig.server.handle(.timeout(.seconds(600) - .nanoseconds(1)))
        rig.drainServer()
        #expect(rig.server.allocations.count == 1)
        rig.server.handle(.timeout(.seconds(600)))
        rig.drainServer()
        #expect(rig.server.allocations.isEmpty)
        #expect(rig.server.nextTimeout == nil)
        #expect(rig.serverEvents.contains {
            if case .allocationDeleted(_, .expired, .seconds(600)) = $0 { return true } else { return false }
        })
        // A peer's datagram to the old relay is now dropped, not relayed.
        rig.now = .seconds(600)
        rig.peerSends([1, 2, 3], to: TransportAddress(Rig.relayIP, 49_152))
        #expect(rig.dropReasons.last == "no allocation at relayed address 127.0.0.2:49152")
        #expect(rig.toClient.count == 2)  // only the 401 and the Allocate success ever went to the client
    }

    @Test("with the pool exhausted, Allocate gets 508")
    func poolExhausted() throws {
        var rig = Rig(ports: 49_152...49_152)
        try rig.act { try $0.allocate(at: $1) }
        let nonce = try rig.freshNonce()
        let second = try Rig.signed(.allocate, id: 10, nonce: nonce) { $0.append(RequestedTransport.udp) }
        let answer = try rig.exchange(second, from: TransportAddress(.v4(127, 0, 0, 1), 50002))
        #expect(answer?.errorCode?.code == .insufficientCapacity)
    }

    @Test("garbage, responses, stray indications and classic STUN are never answered: one drop each")
    func garbage() throws {
        var rig = try Rig.allocated()
        let before = rig.toClient.count + rig.toPeers.count
        var response = STUNMessage(type: STUNMessageType(method: .allocate, messageClass: .successResponse),
                                   transactionID: try TransactionID(bytes: [UInt8](repeating: 1, count: 12)))
        response.append(Lifetime(seconds: 1))
        let data = STUNMessage(type: STUNMessageType(method: .data, messageClass: .indication),
                               transactionID: try TransactionID(bytes: [UInt8](repeating: 2, count: 12)))
        let classic = try STUNMessage(type: .bindingRequest, classicTransactionID: [UInt8](repeating: 3, count: 16))
        let payloads: [[UInt8]] = [
            [], [0x00], [0x80, 0x60, 0, 1], [0x16, 0xFE, 0xFD], Array("hello".utf8),
            try response.encode(), try data.encode(), try classic.encode(),
            [0x40, 0x00, 0x00, 0x04, 1, 2],     // truncated ChannelData
            [0x40, 0x05, 0x00, 0x01, 9],        // ChannelData on an unbound channel
        ]
        var random = SplitMix64(seed: 99)
        var fuzz: [[UInt8]] = []
        for _ in 0..<300 {
            let count = Int(random.next() % 64)
            fuzz.append((0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        let drops = rig.dropReasons.count
        for payload in payloads + fuzz {
            rig.deliverToServer(Datagram(from: Rig.clientAddress, to: Rig.serverAddress, payload: payload))
        }
        #expect(rig.toClient.count + rig.toPeers.count == before)
        #expect(rig.dropReasons.count - drops == payloads.count + fuzz.count)
    }

    @Test("a Binding request is answered open, with the client's reflexive address")
    func binding() throws {
        var rig = Rig()
        let request = STUNMessage.bindingRequest(transactionID: try TransactionID(bytes: [UInt8](repeating: 4, count: 12)))
        let answer = try #require(try rig.exchange(try request.encode()))
        #expect(answer.messageType == .bindingSuccess)
        #expect(answer.mappedAddress == Rig.clientAddress)
    }
}

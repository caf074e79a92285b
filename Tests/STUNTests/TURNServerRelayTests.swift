import Testing
import Wire
@testable import STUN

/// The simulated TURN server's relay side (RFC 8656 §9-§12): permissions,
/// Send/Data indications, channels and ChannelData, and their expiry.
@Suite("TURN server: permissions and relaying")
struct TURNServerRelayTests {
    typealias Rig = TURNServerRig
    static let relayed = TransportAddress(TURNServerRig.relayIP, 49_152)

    @Test("without a permission both directions are dropped; with one, data flows as Send and Data indications")
    func permissionEnforcement() throws {
        var rig = try Rig.allocated()
        rig.peerSends([1], to: Self.relayed)
        try rig.act { try $0.send([2], to: Rig.peer, at: $1) }
        #expect(rig.toPeers.isEmpty)
        #expect(rig.received.isEmpty)
        #expect(rig.dropReasons == ["no permission for 127.0.0.3 on relay 127.0.0.2:49152",
                                    "no permission for 127.0.0.3 on relay 127.0.0.2:49152"])

        try rig.act { try $0.createPermission(for: [Rig.peer.ip], at: $1) }
        #expect(rig.server.allocations.first?.permissions == [Rig.peer.ip: .seconds(300)])
        try rig.act { try $0.send([3, 4], to: Rig.peer, at: $1) }
        #expect(rig.toPeers == [Datagram(from: Self.relayed, to: Rig.peer, payload: [3, 4])])
        // Any port of a permitted IP may send (permissions are per IP, §9).
        let samePeerOtherPort = TransportAddress(Rig.peer.ip, 7001)
        rig.peerSends([5, 6, 7], from: samePeerOtherPort, to: Self.relayed)
        #expect(rig.received.map(\.data) == [[5, 6, 7]])
        #expect(rig.received.first?.path == .dataIndication)
        #expect(rig.clientEvents.contains { if case .dataReceived(samePeerOtherPort, _, _, _) = $0 { return true } else { return false } })
        // Another IP is still dropped.
        let stranger = TransportAddress(.v4(127, 0, 0, 9), 7000)
        rig.peerSends([8], from: stranger, to: Self.relayed)
        #expect(rig.received.count == 1)
        #expect(rig.dropReasons.last == "no permission for 127.0.0.9 on relay 127.0.0.2:49152")
    }

    @Test("a permission installed at 10 s relays until 310 s minus 1 ns, and not at 310 s")
    func permissionExpiry() throws {
        var rig = try Rig.allocated()
        rig.now = .seconds(10)
        try rig.act { try $0.createPermission(for: [Rig.peer.ip], at: $1) }
        rig.now = .seconds(310) - .nanoseconds(1)
        rig.peerSends([1], to: Self.relayed)
        #expect(rig.received.count == 1)
        #expect(rig.server.nextTimeout == .seconds(310))
        rig.now = .seconds(310)
        rig.peerSends([2], to: Self.relayed)
        #expect(rig.received.count == 1)
        #expect(rig.serverEvents.contains {
            if case .permissionExpired(Self.relayed, Rig.peer.ip, .seconds(310)) = $0 { return true } else { return false }
        })
        #expect(rig.server.nextTimeout == .seconds(600))
    }

    @Test("ChannelBind installs channel and permission; ChannelData flows both ways")
    func channelBothWays() throws {
        var rig = try Rig.allocated()
        var channel: UInt16 = 0
        try rig.act { channel = try $0.bindChannel(to: Rig.peer, at: $1) }
        #expect(channel == 0x4000)
        #expect(rig.client.boundChannel(for: Rig.peer) == 0x4000)
        let allocation = try #require(rig.server.allocations.first)
        #expect(allocation.channels == [0x4000: TURNServerChannel(peer: Rig.peer, expiresAt: .seconds(600))])
        #expect(allocation.permissions == [Rig.peer.ip: .seconds(300)])

        try rig.act { try $0.send([9, 9, 9], to: Rig.peer, at: $1) }
        #expect(rig.toPeers == [Datagram(from: Self.relayed, to: Rig.peer, payload: [9, 9, 9])])
        #expect(rig.serverEvents.contains {
            if case .relayedToPeer(Self.relayed, Rig.peer, 3, .channel(0x4000)) = $0 { return true } else { return false }
        })
        rig.peerSends([7, 7], to: Self.relayed)
        #expect(rig.received.map(\.data) == [[7, 7]])
        #expect(rig.received.first?.path == .channel(0x4000))
        #expect(rig.toClient.last?.payload == [0x40, 0x00, 0x00, 0x02, 7, 7])
        // The same IP from another port is permitted but not bound: a Data indication.
        rig.peerSends([6], from: TransportAddress(Rig.peer.ip, 7001), to: Self.relayed)
        #expect(rig.received.last?.path == .dataIndication)
    }

    @Test("§12.2: a number bound to another peer, or a peer bound to another number, gets 400; a re-bind refreshes")
    func channelRules() throws {
        var rig = try Rig.allocated()
        try rig.act { try $0.bindChannel(to: Rig.peer, at: $1) }
        let nonce = try rig.freshNonce()
        let other = TransportAddress(.v4(127, 0, 0, 4), 7000)
        func bind(_ number: UInt16, _ peer: TransportAddress, id: UInt8) throws -> STUNErrorCode? {
            let request = try Rig.signed(.channelBind, id: id, nonce: nonce) {
                $0.append(ChannelNumber(number))
                $0.append(XORPeerAddress(peer))
            }
            let answer = try #require(try rig.exchange(request))
            return answer.errorCode?.code
        }
        #expect(try bind(0x4000, other, id: 20) == .badRequest)
        #expect(try bind(0x4001, Rig.peer, id: 21) == .badRequest)
        #expect(try bind(0x3FFF, other, id: 22) == .badRequest)
        #expect(try bind(0x5000, other, id: 23) == .badRequest)
        rig.now = .seconds(100)
        #expect(try bind(0x4000, Rig.peer, id: 24) == nil)
        #expect(rig.server.allocations.first?.channels[0x4000]?.expiresAt == .seconds(700))
        #expect(try bind(0x4001, other, id: 25) == nil)
        let v6 = TransportAddress(.loopbackV6, 7000)
        #expect(try bind(0x4002, v6, id: 26) == .peerAddressFamilyMismatch)
    }

    @Test("a channel expires at exactly 600 s, then cools off 300 s before its number can go elsewhere")
    func channelExpiryAndCoolOff() throws {
        var rig = try Rig.allocated(requestedLifetime: 3600)
        try rig.act { try $0.bindChannel(to: Rig.peer, at: $1) }
        // Keep the peer's permission alive past 600 s by hand (the rig fires no client timers).
        rig.now = .seconds(590)
        let permit = try Rig.signed(.createPermission, id: 30, nonce: try rig.freshNonce()) { $0.append(XORPeerAddress(Rig.peer)) }
        #expect(try rig.exchange(permit)?.errorCode == nil)
        rig.now = .seconds(600) - .nanoseconds(1)
        rig.peerSends([1], to: Self.relayed)
        #expect(rig.received.last?.path == .channel(0x4000))
        rig.server.handle(.timeout(.seconds(600)))
        rig.drainServer()
        #expect(rig.serverEvents.contains {
            if case .channelExpired(Self.relayed, 0x4000, .seconds(600)) = $0 { return true } else { return false }
        })
        #expect(rig.server.allocations.first?.channels.isEmpty == true)
        rig.now = .seconds(600)
        rig.peerSends([2], to: Self.relayed)
        #expect(rig.received.last?.path == .dataIndication)
        // Cool-off: the number cannot go to another peer until 900 s.
        let other = TransportAddress(.v4(127, 0, 0, 4), 7000)
        let nonce2 = try rig.freshNonce()
        let early = try Rig.signed(.channelBind, id: 31, nonce: nonce2) {
            $0.append(ChannelNumber(0x4000))
            $0.append(XORPeerAddress(other))
        }
        #expect(try rig.exchange(early)?.errorCode?.code == .badRequest)
        #expect(rig.server.nextTimeout == .seconds(890))  // the permission; the cool-off ends at 900 s
        rig.server.handle(.timeout(.seconds(900)))
        rig.drainServer()
        rig.now = .seconds(900)
        let late = try Rig.signed(.channelBind, id: 32, nonce: try rig.freshNonce()) {
            $0.append(ChannelNumber(0x4000))
            $0.append(XORPeerAddress(other))
        }
        #expect(try rig.exchange(late)?.errorCode == nil)
    }

    @Test("CreatePermission: no peer is 400, an IPv6 peer on an IPv4 relay is 443 and installs nothing")
    func permissionErrors() throws {
        var rig = try Rig.allocated()
        let nonce = try rig.freshNonce()
        let empty = try Rig.signed(.createPermission, id: 40, nonce: nonce)
        #expect(try rig.exchange(empty)?.errorCode?.code == .badRequest)
        let mixed = try Rig.signed(.createPermission, id: 41, nonce: nonce) {
            $0.append(XORPeerAddress(Rig.peer))
            $0.append(XORPeerAddress(TransportAddress(.loopbackV6, 1)))
        }
        #expect(try rig.exchange(mixed)?.errorCode?.code == .peerAddressFamilyMismatch)
        #expect(rig.server.allocations.first?.permissions.isEmpty == true)
    }

    @Test("Send indications and ChannelData from a 5-tuple without an allocation are dropped")
    func noAllocation() throws {
        var rig = Rig()
        var send = STUNMessage(type: STUNMessageType(method: .send, messageClass: .indication),
                               transactionID: try TransactionID(bytes: [UInt8](repeating: 5, count: 12)))
        send.append(XORPeerAddress(Rig.peer))
        send.append(DataAttribute([1]))
        rig.deliverToServer(Datagram(from: Rig.clientAddress, to: Rig.serverAddress, payload: try send.encode()))
        rig.deliverToServer(Datagram(from: Rig.clientAddress, to: Rig.serverAddress,
                                     payload: try ChannelData(channelNumber: 0x4000, data: [1]).encoded()))
        #expect(rig.toPeers.isEmpty && rig.toClient.isEmpty)
        #expect(rig.dropReasons.count == 2)
    }
}

import Wire

extension TURNServer {
    // MARK: - CreatePermission and ChannelBind

    /// RFC 8656 §10.2: every XOR-PEER-ADDRESS must be acceptable before any is
    /// installed (the request succeeds or fails as a whole); ports are ignored.
    mutating func createPermission(_ request: STUNMessage, tuple: TURNFiveTuple, at now: Instant) -> Reply {
        var peers: [IPAddress] = []
        for raw in request.attributes where raw.type == .xorPeerAddress {
            guard let peer = try? raw.decode(as: XORPeerAddress.self, transactionID: request.transactionID) else {
                return Reply(error: .badRequest, reason: "malformed XOR-PEER-ADDRESS")
            }
            guard peer.address.ip.isIPv4 == configuration.relayIP.isIPv4 else {
                return Reply(error: .peerAddressFamilyMismatch, reason: "peer \(peer.address.ip) is not of the relay's family")
            }
            if !peers.contains(peer.address.ip) { peers.append(peer.address.ip) }
        }
        guard !peers.isEmpty, var allocation = allocationsByTuple[tuple] else {
            return Reply(error: .badRequest, reason: "CreatePermission without XOR-PEER-ADDRESS")
        }
        let expiresAt = now + Self.permissionLifetime
        for peer in peers {
            allocation.permissions[peer] = expiresAt
            outputs.emit(.permissionInstalled(relayedAddress: allocation.relayed, peer: peer, expiresAt: expiresAt))
        }
        allocationsByTuple[tuple] = allocation
        return Reply(error: nil, reason: "permission for \(peers.map(\.description).joined(separator: ", "))")
    }

    /// RFC 8656 §12.2: a number in 0x4000-0x4FFF, not bound (or cooling off) to another
    /// peer, and a peer not bound to another number; success binds for 10 minutes and
    /// installs or refreshes the peer's permission.
    mutating func channelBind(_ request: STUNMessage, tuple: TURNFiveTuple, at now: Instant) -> Reply {
        let number: ChannelNumber?
        let peerAttribute: XORPeerAddress?
        do {
            number = try request.attribute(ChannelNumber.self)
            peerAttribute = try request.attribute(XORPeerAddress.self)
        } catch {
            return Reply(error: .badRequest, reason: "malformed CHANNEL-NUMBER or XOR-PEER-ADDRESS")
        }
        guard let number, number.isInValidRange else {
            return Reply(error: .badRequest, reason: number.map {
                "channel 0x\(STUNFormat.hex($0.number, digits: 4)) is outside 0x4000-0x4FFF"
            } ?? "ChannelBind without CHANNEL-NUMBER")
        }
        guard let peer = peerAttribute?.address else {
            return Reply(error: .badRequest, reason: "ChannelBind without XOR-PEER-ADDRESS")
        }
        guard peer.ip.isIPv4 == configuration.relayIP.isIPv4 else {
            return Reply(error: .peerAddressFamilyMismatch, reason: "peer \(peer.ip) is not of the relay's family")
        }
        guard var allocation = allocationsByTuple[tuple] else {
            return Reply(error: .allocationMismatch, reason: "no allocation for \(tuple)")
        }
        let channel = number.number
        let hex = "0x\(STUNFormat.hex(channel, digits: 4))"
        if let bound = allocation.channels[channel], bound.peer != peer {
            return Reply(error: .badRequest, reason: "channel \(hex) is bound to \(bound.peer)")
        }
        if let other = allocation.channels.first(where: { $0.key != channel && $0.value.peer == peer }) {
            return Reply(error: .badRequest, reason: "\(peer) is bound to channel 0x\(STUNFormat.hex(other.key, digits: 4))")
        }
        let expiresAt = now + Self.channelLifetime
        allocation.channels[channel] = TURNServerChannel(peer: peer, expiresAt: expiresAt)
        allocation.coolingChannels.remove(channel)
        allocation.permissions[peer.ip] = now + Self.permissionLifetime
        allocationsByTuple[tuple] = allocation
        outputs.emit(.channelBound(relayedAddress: allocation.relayed, channel: channel, peer: peer, expiresAt: expiresAt))
        outputs.emit(.permissionInstalled(relayedAddress: allocation.relayed, peer: peer.ip,
                                          expiresAt: now + Self.permissionLifetime))
        return Reply(error: nil, reason: "channel \(hex) bound to \(peer)")
    }

    // MARK: - Data from the client

    /// RFC 8656 §11.2: relay DATA to XOR-PEER-ADDRESS if a permission exists; never answered.
    mutating func receiveSend(_ indication: STUNMessage, _ datagram: Datagram, tuple: TURNFiveTuple, at now: Instant) {
        guard let allocation = allocationsByTuple[tuple] else {
            return drop(datagram, "Send indication without an allocation for \(tuple)")
        }
        let unknown = indication.unknownComprehensionRequired(understood: Self.understood)
        guard unknown.isEmpty else {
            return drop(datagram, "Send indication with unknown comprehension-required attribute(s)")
        }
        guard let peer = try? indication.attribute(XORPeerAddress.self),
              let data = try? indication.attribute(DataAttribute.self) else {
            return drop(datagram, "Send indication without a well-formed XOR-PEER-ADDRESS and DATA")
        }
        forward(data.bytes, to: peer.address, from: allocation, path: .dataIndication, datagram: datagram)
    }

    /// RFC 8656 §12.5: relay ChannelData on an active channel; never answered.
    mutating func receiveChannelData(_ datagram: Datagram, tuple: TURNFiveTuple, at now: Instant) {
        let message: ChannelData
        do { message = try ChannelData(parsing: datagram.payload) } catch {
            return drop(datagram, "malformed ChannelData: \(error)")
        }
        guard let allocation = allocationsByTuple[tuple] else {
            return drop(datagram, "ChannelData without an allocation for \(tuple)")
        }
        guard let channel = allocation.activeChannels(at: now)[message.channelNumber] else {
            return drop(datagram, "ChannelData on unbound channel 0x\(STUNFormat.hex(message.channelNumber, digits: 4))")
        }
        forward(message.data, to: channel.peer, from: allocation, path: .channel(message.channelNumber), datagram: datagram)
    }

    private mutating func forward(_ data: [UInt8], to peer: TransportAddress, from allocation: Allocation,
                                  path: TURNDataPath, datagram: Datagram) {
        guard allocation.permissions[peer.ip] != nil else {
            return drop(datagram, "no permission for \(peer.ip) on relay \(allocation.relayed)")
        }
        outputs.transmit(Datagram(from: allocation.relayed, to: peer, payload: data))
        outputs.emit(.relayedToPeer(relayedAddress: allocation.relayed, peer: peer, bytes: data.count, path: path))
    }

    // MARK: - Data from peers

    /// RFC 8656 §11.3, §12.6: a permitted peer's datagram goes to the client as
    /// ChannelData when a channel is bound to the peer's address, else in a Data indication.
    mutating func receiveFromPeer(_ datagram: Datagram, tuple: TURNFiveTuple, at now: Instant) {
        guard let allocation = allocationsByTuple[tuple] else {
            return drop(datagram, "no allocation at relayed address \(datagram.destination)")
        }
        let peer = datagram.source
        guard allocation.permissions[peer.ip] != nil else {
            return drop(datagram, "no permission for \(peer.ip) on relay \(allocation.relayed)")
        }
        let payload: [UInt8]
        let path: TURNDataPath
        if let channel = allocation.activeChannels(at: now).first(where: { $0.value.peer == peer })?.key,
           let message = try? ChannelData(channelNumber: channel, data: datagram.payload) {
            payload = message.encoded()
            path = .channel(channel)
        } else {
            var indication = STUNMessage(type: STUNMessageType(method: .data, messageClass: .indication),
                                         transactionID: TransactionID(using: &random))
            indication.append(XORPeerAddress(peer))
            indication.append(DataAttribute(datagram.payload))
            guard let bytes = try? indication.encode() else {
                return drop(datagram, "\(datagram.payload.count) bytes do not fit a Data indication")
            }
            payload = bytes
            path = .dataIndication
        }
        outputs.transmit(Datagram(from: tuple.server, to: tuple.client, payload: payload))
        outputs.emit(.relayedToClient(relayedAddress: allocation.relayed, peer: peer, bytes: datagram.payload.count, path: path))
    }
}

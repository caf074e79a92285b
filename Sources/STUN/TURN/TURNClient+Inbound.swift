import Wire

extension TURNClient {
    // MARK: - Receiving

    mutating func drop(_ datagram: Datagram, _ reason: String) {
        outputs.emit(.dropped(from: datagram.source, reason: reason))
    }

    /// Demultiplexes by RFC 7983's first byte: ChannelData (64-79) and STUN (0-3)
    /// are ours, anything else is dropped. Only the server may talk to us.
    mutating func receive(_ datagram: Datagram, at now: Instant) {
        guard datagram.source == server else {
            return drop(datagram, "not from the TURN server \(server)")
        }
        if framer != nil { return receiveStream(datagram.payload, at: now) }
        receiveFrame(datagram, at: now)
    }

    /// Over TCP/TLS the "datagram" is whatever the socket read: frame it, then
    /// handle each whole message as UDP would. Bytes that cannot be framed end
    /// the connection and with it the allocation (the server deletes an
    /// allocation whose connection is gone, RFC 8656 §3.1).
    private mutating func receiveStream(_ bytes: [UInt8], at now: Instant) {
        guard var framer, framer.failure == nil, !streamEnded else { return }
        var frames: [[UInt8]] = []
        var broken: TURNStreamError?
        do {
            try framer.append(bytes)
            while let frame = try framer.nextFrame() { frames.append(frame) }
        } catch let error as TURNStreamError {
            broken = error
        } catch {
            broken = TURNStreamError(kind: .unknownFrame, streamOffset: framer.consumed, detail: "\(error)")
        }
        self.framer = framer
        for frame in frames { receiveFrame(Datagram(from: server, to: localAddress, payload: frame), at: now) }
        if let broken { connectionLost("cannot frame the stream: \(broken)", at: now) }
    }

    /// The driver saw the TCP/TLS connection close (or fail): the allocation is gone.
    /// Leftover bytes of a half frame are reported as truncation. No effect over UDP.
    public mutating func streamClosed(at now: Instant) {
        guard var framer, framer.failure == nil, !streamEnded else { return }
        let reason: String
        do {
            try framer.finish()
            reason = "the server closed the connection"
        } catch {
            reason = "the server closed the connection mid-frame: \(error)"
        }
        self.framer = framer
        connectionLost(reason, at: now)
    }

    private mutating func connectionLost(_ reason: String, at now: Instant) {
        // Later bytes cannot belong to this connection: a new one would be a new client.
        streamEnded = true
        switch state {
        case .deallocated, .failed: return
        case .expectAllocateCall, .expectAllocateResponse:
            fail(.allocate, .connectionLost, code: nil, reason: reason, at: now)
        case .allocated, .expectDeallocateResponse:
            fail(.refresh(lifetime: refreshLifetime), .connectionLost, code: nil, reason: reason, at: now)
        }
        pending.removeAll()
    }

    private mutating func receiveFrame(_ datagram: Datagram, at now: Instant) {
        switch DemuxedProtocol.classify(datagram.payload) {
        case .turnChannel:
            receiveChannelData(datagram, at: now)
        case .stun:
            receiveSTUN(datagram, at: now)
        case let other:
            let first = datagram.payload.first.map { "first byte 0x\(STUNFormat.hex($0, digits: 2))" } ?? "empty datagram"
            drop(datagram, "neither STUN nor ChannelData (\(first): \(other.rawValue), RFC 7983)")
        }
    }

    private var receivesData: Bool { state == .allocated || state == .expectDeallocateResponse }

    private mutating func receiveChannelData(_ datagram: Datagram, at now: Instant) {
        let message: ChannelData
        do { message = try ChannelData(parsing: datagram.payload) } catch {
            return drop(datagram, "malformed ChannelData: \(error)")
        }
        guard receivesData else { return drop(datagram, "ChannelData while \(state)") }
        // A bind still in flight counts: the server may use the channel before its success response arrives.
        guard let channel = channels[message.channelNumber] else {
            return drop(datagram, "ChannelData on unbound channel 0x\(STUNFormat.hex(message.channelNumber, digits: 4))")
        }
        outputs.emit(.dataReceived(from: channel.peer, data: message.data, path: .channel(message.channelNumber), at: now))
    }

    private mutating func receiveSTUN(_ datagram: Datagram, at now: Instant) {
        let message: STUNMessage
        do { message = try STUNMessage(parsing: datagram.payload) } catch {
            return drop(datagram, "malformed STUN: \(error)")
        }
        switch message.messageType.messageClass {
        case .successResponse, .errorResponse:
            // The inner STUN client matches, checks integrity and fingerprint, and de-duplicates.
            stun.handle(.datagram(datagram, at: now))
            drainSTUN(at: now)
        case .indication where message.messageType.method == .data:
            receiveDataIndication(message, datagram, at: now)
        default:
            drop(datagram, "unexpected \(message.messageType) (a TURN client only takes responses and Data indications)")
        }
    }

    private mutating func receiveDataIndication(_ message: STUNMessage, _ datagram: Datagram, at now: Instant) {
        guard receivesData else { return drop(datagram, "Data indication while \(state)") }
        let peer: XORPeerAddress?
        let data: DataAttribute?
        do {
            peer = try message.attribute(XORPeerAddress.self)
            data = try message.attribute(DataAttribute.self)
        } catch {
            return drop(datagram, "Data indication with a malformed attribute: \(error)")
        }
        // RFC 8656 §11.6: both attributes are required; a Data indication without them is discarded.
        guard let peer, let data else {
            return drop(datagram, "Data indication without \(peer == nil ? "XOR-PEER-ADDRESS" : "DATA")")
        }
        outputs.emit(.dataReceived(from: peer.address, data: data.bytes, path: .dataIndication, at: now))
    }

    // MARK: - Transaction outcomes

    /// Moves the inner STUN client's outputs into ours, translating its events.
    mutating func drainSTUN(at now: Instant) {
        while let output = stun.poll() {
            switch output {
            case let .transmit(datagram):
                outputs.transmit(datagram)
            case let .event(event):
                handleSTUNEvent(event, at: now)
            }
        }
    }

    private mutating func handleSTUNEvent(_ event: STUNClientEvent, at now: Instant) {
        switch event {
        case let .responseReceived(response):
            guard let request = pending.removeValue(forKey: response.transactionID) else { return }
            succeed(request.operation, response.message, at: now)
        case let .errorResponseReceived(response):
            guard let request = pending.removeValue(forKey: response.transactionID) else { return }
            answerError(request, response.message, at: now)
        case let .retransmitted(id, transmission, at):
            if let request = pending[id] { outputs.emit(.retransmitted(request.operation, transmission: transmission, at: at)) }
        case let .timedOut(id, transmissions, at):
            guard let request = pending.removeValue(forKey: id) else { return }
            fail(request.operation, .timedOut, code: nil, reason: "no response after \(transmissions) transmission(s)", at: at)
        case let .failed(id, reason):
            guard let request = pending.removeValue(forKey: id) else { return }
            fail(request.operation, .malformedResponse, code: nil, reason: reason, at: now)
        case .challenged:
            break // only Binding requests are answered inside STUNClient; ours never are
        case let .dropped(from, reason):
            outputs.emit(.dropped(from: from, reason: reason))
        }
    }

    private mutating func succeed(_ operation: TURNOperation, _ message: STUNMessage, at now: Instant) {
        switch operation {
        case .allocate:
            guard state == .expectAllocateResponse else { return }
            let relayed: XORRelayedAddress?
            let lifetime: Lifetime?
            do {
                relayed = try message.attribute(XORRelayedAddress.self)
                lifetime = try message.attribute(Lifetime.self)
            } catch {
                return fail(operation, .malformedResponse, code: nil, reason: "\(error)", at: now)
            }
            guard let relayed, let lifetime else {
                return fail(operation, .malformedResponse, code: nil,
                            reason: "Allocate success without \(relayed == nil ? "XOR-RELAYED-ADDRESS" : "LIFETIME")", at: now)
            }
            let granted = TURNAllocation(relayedAddress: relayed.address,
                                         mappedAddress: (try? message.attribute(XORMappedAddress.self))?.address,
                                         lifetime: lifetime.duration, grantedAt: now)
            allocation = granted
            state = .allocated
            allocationRefreshAt = now + Self.refreshDelay(for: granted.lifetime)
            outputs.emit(.allocated(granted))
        case let .refresh(requested):
            if requested == 0 {
                return finishDeallocation(at: now)
            }
            guard state == .allocated, var current = allocation else { return }
            // A server may omit LIFETIME in a Refresh success; then what was asked for stands.
            let lifetime = (try? message.attribute(Lifetime.self))?.duration ?? .seconds(Int64(requested))
            current.lifetime = lifetime
            current.grantedAt = now
            allocation = current
            allocationRefreshAt = now + Self.refreshDelay(for: lifetime)
            outputs.emit(.refreshed(current))
        case let .createPermission(peers):
            guard state == .allocated else { return }
            let kept = peers.filter { permissions[$0] != nil }
            for peer in kept { permissions[peer] = now + Self.permissionRefreshInterval }
            outputs.emit(.permissionCreated(peers, at: now))
        case let .channelBind(channel, peer):
            guard state == .allocated, channels[channel]?.peer == peer else { return }
            channels[channel] = Channel(peer: peer, isBound: true, refreshAt: now + Self.channelRefreshInterval)
            // The binding installed a permission for the peer's IP too (§12.2); keep it alive.
            if permissions[peer.ip] == nil || permissions[peer.ip]! != nil {
                permissions[peer.ip] = now + Self.permissionRefreshInterval
            }
            outputs.emit(.channelBound(channel: channel, peer: peer, at: now))
        }
    }

    /// Allocation refresh a minute before expiry (RFC 8656 §8's suggestion), or at
    /// half the lifetime when that is shorter than two minutes.
    static func refreshDelay(for lifetime: Duration) -> Duration {
        lifetime > .seconds(120) ? lifetime - .seconds(60) : lifetime / 2
    }

    private mutating func finishDeallocation(at now: Instant) {
        guard state == .expectDeallocateResponse else { return }
        state = .deallocated
        outputs.emit(.deallocated(at: now))
    }

    /// 401 and 438 carry a NONCE (and REALM): retry signed, a bounded number of
    /// times. A 401 to a request that was already signed means wrong credentials.
    private mutating func answerError(_ request: PendingRequest, _ message: STUNMessage, at now: Instant) {
        let error = message.errorCode
        let code = error?.code
        if let code, code == .unauthenticated || code == .staleNonce,
           !(code == .unauthenticated && request.signed),
           let nonce = try? message.attribute(Nonce.self) {
            guard request.challenges < Self.maximumChallenges else {
                return fail(request.operation, .challengeLoop, code: code,
                            reason: "\(request.challenges) challenges in a row, the server keeps asking", at: now)
            }
            let realm = (try? message.attribute(Realm.self))?.value ?? self.realm
            guard let realm else {
                return fail(request.operation, .errorResponse, code: code, reason: "challenge without REALM", at: now)
            }
            self.realm = realm
            self.nonce = nonce.value
            outputs.emit(.challenged(request.operation, code: code, realm: realm, at: now))
            do {
                try startRequest(request.operation, at: now, challenges: request.challenges + 1)
            } catch {
                fail(request.operation, .errorResponse, code: code, reason: "retry does not encode: \(error)", at: now)
            }
            return
        }
        if request.operation == .refresh(lifetime: 0), code == .allocationMismatch {
            // Deleting an allocation the server no longer has: the goal is reached (§8).
            return finishDeallocation(at: now)
        }
        let kind = code.map { TURNFailure.kind(for: $0, wasSigned: request.signed) } ?? .malformedResponse
        let reason = error.map { $0.reason.isEmpty ? "\($0.code)" : $0.reason } ?? "error response without a valid ERROR-CODE"
        fail(request.operation, kind, code: code, reason: reason, at: now)
    }

    /// Reports a failure and applies its consequence: Allocate and Refresh
    /// failures end the allocation; permission and channel failures drop only those.
    mutating func fail(_ operation: TURNOperation, _ kind: TURNFailure.Kind, code: STUNErrorCode?, reason: String, at now: Instant) {
        let failure = TURNFailure(operation: operation, kind: kind, code: code, reason: reason, at: now)
        switch operation {
        case .allocate, .refresh:
            state = .failed(failure)
            allocationRefreshAt = nil
            permissions.removeAll()
            channels.removeAll()
        case let .createPermission(peers):
            for peer in peers { permissions[peer] = nil }
        case let .channelBind(channel, peer):
            if channels[channel]?.peer == peer { channels[channel] = nil }
        }
        outputs.emit(.failed(failure))
    }
}

import Wire

extension TURNServer {
    typealias Reply = STUNServer.Reply

    /// A lifetime to grant, or the error to answer instead.
    enum LifetimeDecision {
        case success(Duration)
        case failure(Reply)
    }

    // MARK: - Client traffic

    mutating func receiveFromClient(_ datagram: Datagram, at now: Instant) {
        let tuple = TURNFiveTuple(client: datagram.source, server: datagram.destination)
        if DemuxedProtocol.classify(datagram.payload) == .turnChannel {
            return receiveChannelData(datagram, tuple: tuple, at: now)
        }
        let message: STUNMessage
        switch STUNInbound.parse(datagram.payload) {
        case let .success(parsed): message = parsed
        case let .failure(reason): return drop(datagram, reason.text)
        }
        if case let .invalid(expected, received) = STUNMessage.verifyFingerprint(of: datagram.payload) {
            return drop(datagram, "bad FINGERPRINT 0x\(STUNFormat.hex(received, digits: 8)) (expected 0x\(STUNFormat.hex(expected, digits: 8)))")
        }
        switch message.messageType.messageClass {
        case .request:
            receiveRequest(message, datagram, tuple: tuple, at: now)
        case .indication where message.messageType.method == .send:
            receiveSend(message, datagram, tuple: tuple, at: now)
        case .indication:
            drop(datagram, "\(message.messageType): a TURN server only takes Send indications")
        case .successResponse, .errorResponse:
            drop(datagram, "\(message.messageType): a server does not answer responses")
        }
    }

    private mutating func receiveRequest(_ request: STUNMessage, _ datagram: Datagram, tuple: TURNFiveTuple, at now: Instant) {
        if request.messageType.method == .binding {
            // The plain STUN service (RFC 8656 §2.1): open, like a public STUN server.
            let reply = Reply(error: nil, reason: "reflexive address reported",
                              extra: [STUNAttribute(XORMappedAddress(tuple.client), transactionID: request.transactionID)],
                              mapped: tuple.client)
            return respond(reply, to: request, datagram: datagram)
        }
        let reply: Reply
        switch authenticator.authenticate(request, bytes: datagram.payload, at: now) {
        case let .reject(rejection):
            reply = rejection
        case let .accept(key, algorithm, username):
            var decided = process(request, tuple: tuple, key: key ?? STUNKey(bytes: []), username: username ?? "", at: now)
            decided.key = key
            decided.algorithm = algorithm
            decided.username = username
            reply = decided
        }
        respond(reply, to: request, datagram: datagram)
    }

    /// The answer to an authenticated request (RFC 8656 §7.2, §7.5, §10.2, §12.2).
    private mutating func process(_ request: STUNMessage, tuple: TURNFiveTuple, key: STUNKey,
                                  username: String, at now: Instant) -> Reply {
        let unknown = request.unknownComprehensionRequired(understood: Self.understood)
        if !unknown.isEmpty {
            let list = unknown.map { "0x\(STUNFormat.hex($0.rawValue, digits: 4))" }.joined(separator: ", ")
            return Reply(error: .unknownAttribute, reason: "unsupported comprehension-required attribute(s) \(list)",
                         extra: [STUNAttribute(UnknownAttributes(unknown), transactionID: request.transactionID)])
        }
        let method = request.messageType.method
        if method == .allocate { return allocate(request, tuple: tuple, key: key, username: username, at: now) }
        guard method == .refresh || method == .createPermission || method == .channelBind else {
            return Reply(error: .badRequest, reason: "method \(method) is not supported")
        }
        guard let allocation = allocationsByTuple[tuple] else {
            return Reply(error: .allocationMismatch, reason: "no allocation for \(tuple)")
        }
        // RFC 8656 §7.5, §10.2, §12.2: only the user who allocated may act on the allocation.
        guard allocation.username == username else {
            return Reply(error: .wrongCredentials, reason: "the allocation belongs to another user")
        }
        switch method {
        case .refresh: return refresh(request, tuple: tuple, at: now)
        case .createPermission: return createPermission(request, tuple: tuple, at: now)
        default: return channelBind(request, tuple: tuple, at: now)
        }
    }

    // MARK: - Allocate and Refresh

    private mutating func allocate(_ request: STUNMessage, tuple: TURNFiveTuple, key: STUNKey,
                                   username: String, at now: Instant) -> Reply {
        if let existing = allocationsByTuple[tuple] {
            // A retransmitted Allocate gets the same success again; any other one is a mismatch.
            guard existing.transactionID == request.transactionID else {
                return Reply(error: .allocationMismatch, reason: "\(tuple) already has the allocation \(existing.relayed)")
            }
            return allocationSuccess(existing, request: request, reason: "retransmitted Allocate answered again", at: now)
        }
        let transport: RequestedTransport?
        do { transport = try request.attribute(RequestedTransport.self) } catch {
            return Reply(error: .badRequest, reason: "malformed REQUESTED-TRANSPORT")
        }
        guard let transport else { return Reply(error: .badRequest, reason: "Allocate without REQUESTED-TRANSPORT") }
        guard transport == .udp else {
            return Reply(error: .unsupportedTransportProtocol,
                         reason: "REQUESTED-TRANSPORT \(transport.protocolNumber): only UDP (17) is relayed")
        }
        if let family = try? request.attribute(RequestedAddressFamily.self),
           family.family != STUNAddressFamily(of: configuration.relayIP) {
            return Reply(error: STUNErrorCode(rawValue: 440), reason: "relayed addresses are \(STUNAddressFamily(of: configuration.relayIP)) only")
        }
        let lifetime: Duration
        switch requestedLifetime(request) {
        case let .success(value): lifetime = value
        case let .failure(reply): return reply
        }
        guard let port = freePort() else {
            return Reply(error: .insufficientCapacity, reason: "no relay port left in \(configuration.relayPorts)")
        }
        let relayed = TransportAddress(configuration.relayIP, port)
        let allocation = Allocation(fiveTuple: tuple, relayed: relayed, username: username, key: key,
                                    transactionID: request.transactionID, expiresAt: now + lifetime)
        allocationsByTuple[tuple] = allocation
        tupleByRelay[relayed] = tuple
        nextPort = port == configuration.relayPorts.upperBound ? configuration.relayPorts.lowerBound : port + 1
        outputs.emit(.allocationCreated(allocation.snapshot, at: now))
        return allocationSuccess(allocation, request: request, reason: "allocated \(relayed)", at: now)
    }

    private func allocationSuccess(_ allocation: Allocation, request: STUNMessage, reason: String, at now: Instant) -> Reply {
        let id = request.transactionID
        let seconds = UInt32(clamping: (allocation.expiresAt - now).components.seconds)
        return Reply(error: nil, reason: reason,
                     extra: [STUNAttribute(XORRelayedAddress(allocation.relayed), transactionID: id),
                             STUNAttribute(Lifetime(seconds: seconds), transactionID: id),
                             STUNAttribute(XORMappedAddress(allocation.fiveTuple.client), transactionID: id)],
                     mapped: allocation.fiveTuple.client)
    }

    private mutating func refresh(_ request: STUNMessage, tuple: TURNFiveTuple, at now: Instant) -> Reply {
        let lifetime: Duration
        switch requestedLifetime(request) {
        case let .success(value): lifetime = value
        case let .failure(reply): return reply
        }
        if lifetime == .zero {
            delete(tuple, reason: .refreshedToZero, at: now)
            return Reply(error: nil, reason: "allocation deleted",
                         extra: [STUNAttribute(Lifetime(seconds: 0), transactionID: request.transactionID)])
        }
        allocationsByTuple[tuple]?.expiresAt = now + lifetime
        if let snapshot = allocationsByTuple[tuple]?.snapshot { outputs.emit(.allocationRefreshed(snapshot, at: now)) }
        let seconds = UInt32(clamping: lifetime.components.seconds)
        return Reply(error: nil, reason: "lifetime set to \(seconds) s",
                     extra: [STUNAttribute(Lifetime(seconds: seconds), transactionID: request.transactionID)])
    }

    /// RFC 8656 §7.2/§7.5: min(asked, maximum), raised to the default when below it;
    /// no LIFETIME means the default; 0 (Refresh only) means delete.
    private func requestedLifetime(_ request: STUNMessage) -> LifetimeDecision {
        let asked: Lifetime?
        do { asked = try request.attribute(Lifetime.self) } catch {
            return .failure(Reply(error: .badRequest, reason: "malformed LIFETIME"))
        }
        guard let asked else { return .success(configuration.defaultLifetime) }
        if asked.seconds == 0, request.messageType.method == .refresh { return .success(.zero) }
        let capped = min(asked.duration, configuration.maximumLifetime)
        return .success(max(capped, configuration.defaultLifetime))
    }

    /// The first free port at or after `nextPort`, wrapping around the pool.
    private func freePort() -> UInt16? {
        let pool = configuration.relayPorts
        let used = Set(tupleByRelay.keys.filter { $0.ip == configuration.relayIP }.map(\.port))
        guard used.count < pool.count else { return nil }
        let start = pool.contains(nextPort) ? nextPort : pool.lowerBound
        var port = start
        while used.contains(port) { port = port == pool.upperBound ? pool.lowerBound : port + 1 }
        return port
    }

    // MARK: - Responses

    mutating func respond(_ reply: Reply, to request: STUNMessage, datagram: Datagram) {
        let type = reply.error == nil ? request.messageType.successResponse : request.messageType.errorResponse
        var response = STUNMessage(type: type, transactionID: request.transactionID)
        if let error = reply.error, let attribute = try? ErrorCodeAttribute(error, reason: reply.reason) { response.append(attribute) }
        response.attributes += reply.extra
        if let software = configuration.software, let attribute = try? Software(software) { response.append(attribute) }
        guard let bytes = try? response.encode(integrityKey: reply.key, algorithms: [reply.algorithm], fingerprint: true) else {
            return drop(datagram, "could not encode the response (attributes too large)")
        }
        outputs.transmit(Datagram(from: datagram.destination, to: datagram.source, payload: bytes))
        let answer = STUNServerAnswer(client: datagram.source, transactionID: request.transactionID,
                                      request: request.messageType, response: type, errorCode: reply.error,
                                      mappedAddress: reply.mapped, username: reply.username, reason: reply.reason)
        outputs.emit(.answered(answer))
    }
}

import Wire
@testable import STUN

/// A scripted TURN server for virtual-time tests: long-term credentials with a
/// changeable nonce, canned successes, and per-method error or silence scripts.
/// It records every request, Send indication and ChannelData it receives.
struct TURNFakeServer {
    static let address = TransportAddress(.v4(127, 0, 0, 1), 3478)
    static let relayed = TransportAddress(.v4(127, 0, 0, 1), 49_152)
    static let realm = "webrtc-lab"

    struct Received {
        var method: STUNMethod
        var message: STUNMessage
        var at: Instant
        var signed: Bool
    }

    var username = "lab"
    var password = "secret"
    var nonce = "nonce-1"
    var grantedLifetime: UInt32 = 600
    /// Error codes to answer, per method, consumed one per request (after authentication).
    var errors: [STUNMethod: [STUNErrorCode]] = [:]
    /// Requests of a method to ignore (to exercise retransmissions), consumed one per request.
    var silences: [STUNMethod: Int] = [:]
    var requests: [Received] = []
    var sends: [(peer: TransportAddress, data: [UInt8])] = []
    var channelData: [ChannelData] = []

    var key: STUNKey { .longTerm(username: username, realm: Self.realm, password: password) }

    /// Handles one datagram from the client; returns the answer, if any.
    mutating func receive(_ datagram: Datagram, at now: Instant) -> [UInt8]? {
        if DemuxedProtocol.classify(datagram.payload) == .turnChannel {
            if let message = try? ChannelData(parsing: datagram.payload) { channelData.append(message) }
            return nil
        }
        guard let message = try? STUNMessage(parsing: datagram.payload) else { return nil }
        if message.messageType == STUNMessageType(method: .send, messageClass: .indication) {
            if let peer = try? message.attribute(XORPeerAddress.self), let data = try? message.attribute(DataAttribute.self) {
                sends.append((peer.address, data.bytes))
            }
            return nil
        }
        guard message.messageType.messageClass == .request else { return nil }
        let method = message.messageType.method
        let signed = message.contains(.messageIntegrity)
        requests.append(Received(method: method, message: message, at: now, signed: signed))
        if let left = silences[method], left > 0 {
            silences[method] = left - 1
            return nil
        }
        guard signed else { return error(message, .unauthenticated, withNonce: true) }
        let sentNonce = (try? message.attribute(Nonce.self))?.value
        guard STUNMessage.verifyIntegrity(of: datagram.payload, key: key).isValid else {
            return error(message, .unauthenticated, withNonce: true)
        }
        guard sentNonce == nonce else { return error(message, .staleNonce, withNonce: true) }
        if var queue = errors[method], !queue.isEmpty {
            let code = queue.removeFirst()
            errors[method] = queue
            return error(message, code, withNonce: false)
        }
        var response = STUNMessage(type: message.messageType.successResponse, transactionID: message.transactionID)
        switch method {
        case .allocate:
            response.append(XORRelayedAddress(Self.relayed))
            response.append(XORMappedAddress(datagram.source))
            response.append(Lifetime(seconds: (try? message.attribute(Lifetime.self))?.seconds ?? grantedLifetime))
        case .refresh:
            response.append(Lifetime(seconds: (try? message.attribute(Lifetime.self))?.seconds ?? grantedLifetime))
        default:
            break
        }
        return try? response.encode(integrityKey: key, fingerprint: true)
    }

    private func error(_ request: STUNMessage, _ code: STUNErrorCode, withNonce: Bool) -> [UInt8]? {
        var response = STUNMessage(type: request.messageType.errorResponse, transactionID: request.transactionID)
        if let attribute = try? ErrorCodeAttribute(code) { response.append(attribute) }
        if withNonce {
            if let realm = try? Realm(Self.realm) { response.append(realm) }
            if let nonce = try? Nonce(nonce) { response.append(nonce) }
        }
        return try? response.encode(fingerprint: true)
    }

    /// A Data indication carrying `data` from `peer`.
    static func dataIndication(from peer: TransportAddress, _ data: [UInt8]) throws -> [UInt8] {
        var random = SplitMix64(seed: 99)
        var message = STUNMessage(type: STUNMessageType(method: .data, messageClass: .indication),
                                  transactionID: TransactionID(using: &random))
        message.append(XORPeerAddress(peer))
        message.append(DataAttribute(data))
        return try message.encode()
    }
}

/// Client and fake server wired back to back with no delay, stepping virtual time.
struct TURNHarness {
    var client: TURNClient
    var server = TURNFakeServer()
    var now = Instant.zero
    var events: [(at: Instant, event: TURNClientEvent)] = []

    init(password: String = "secret", lifetime: UInt32? = nil, seed: UInt64 = 1) {
        client = TURNClient(localAddress: TransportAddress(.v4(127, 0, 0, 1), 50_000), server: TURNFakeServer.address,
                            username: "lab", password: password, requestedLifetime: lifetime,
                            random: SplitMix64(seed: seed))
    }

    /// Drains the client, delivering its datagrams to the server and answers back, until quiet.
    mutating func pump() {
        while let output = client.poll() {
            switch output {
            case let .event(event):
                events.append((now, event))
            case let .transmit(datagram):
                if let answer = server.receive(datagram, at: now) {
                    client.handle(.datagram(Datagram(from: TURNFakeServer.address, to: datagram.source, payload: answer), at: now))
                }
            }
        }
    }

    /// Calls into the client at the current instant, then pumps.
    mutating func act(_ body: (inout TURNClient, Instant) throws -> Void) rethrows {
        try body(&client, now)
        pump()
    }

    /// Fires every timer up to `deadline`, in order, then sets the clock to it.
    mutating func advance(to deadline: Instant) {
        while let next = client.nextTimeout, next <= deadline {
            now = max(now, next)
            client.handle(.timeout(now))
            pump()
        }
        now = deadline
    }

    /// Delivers bytes from `source` (the server by default) to the client.
    mutating func deliver(_ payload: [UInt8], from source: TransportAddress = TURNFakeServer.address) {
        client.handle(.datagram(Datagram(from: source, to: client.localAddress, payload: payload), at: now))
        pump()
    }

    /// Events since the harness started, without their instants.
    var eventList: [TURNClientEvent] { events.map(\.event) }

    /// Instants at which the server saw requests of `method`.
    func requestTimes(_ method: STUNMethod) -> [Instant] {
        server.requests.filter { $0.method == method }.map(\.at)
    }

    var failures: [TURNFailure] {
        eventList.compactMap { if case let .failed(failure) = $0 { return failure } else { return nil } }
    }

    var received: [(TransportAddress, [UInt8], TURNDataPath)] {
        eventList.compactMap { if case let .dataReceived(peer, data, path, _) = $0 { return (peer, data, path) } else { return nil } }
    }

    var drops: [String] {
        eventList.compactMap { if case let .dropped(_, reason) = $0 { return reason } else { return nil } }
    }
}

import Wire

/// A STUN client endpoint: many concurrent transactions behind Wire's
/// sans-IO `DatagramEndpoint` contract (RFC 8489 §6.2, §6.3.3, §9).
///
/// Start a transaction with `sendBindingRequest(to:at:)` (or `send(_:to:at:)`),
/// then drain `poll()`; feed received datagrams and `.timeout(now)` when
/// `nextTimeout` passes. Responses are matched by transaction id. Hostile or
/// stray datagrams never change state: non-STUN bytes, malformed messages,
/// requests, responses with an unknown id, duplicates of an answered
/// transaction, answers from an address the request did not go to, and
/// responses failing FINGERPRINT or MESSAGE-INTEGRITY are reported as
/// `.dropped(from:reason:)` and otherwise ignored (a forged response must not
/// end a transaction the real server may still answer).
public struct STUNClient: DatagramEndpoint {
    /// The events this endpoint reports.
    public typealias Event = STUNClientEvent

    private struct Pending: Sendable {
        var transaction: STUNClientTransaction
        var request: STUNMessage
        var bytes: [UInt8]
        var server: TransportAddress
        var key: STUNKey?
        /// Automatic long-term retries so far (bounded, so a hostile server cannot loop us).
        var challenges: Int
    }

    /// The address requests are sent from.
    public let localAddress: TransportAddress
    /// Retransmission parameters for new transactions.
    public var policy: STUNRetransmissionPolicy
    /// Credentials for new Binding requests, or nil for unauthenticated requests.
    public var credentials: STUNClientCredentials?
    /// SOFTWARE to put in requests, or nil for none.
    public var software: String?
    /// Whether requests carry FINGERPRINT.
    public var addsFingerprint: Bool

    private var random: any RandomNumberGenerator & Sendable
    private var pending: [TransactionID: Pending] = [:]
    private var finished: [TransactionID] = []
    private var finishedSet: Set<TransactionID> = []
    private var realms: [TransportAddress: (realm: String, nonce: String)] = [:]
    private var outputs = OutputQueue<Event>()

    /// How many finished transaction ids are remembered to recognise duplicates.
    public static let rememberedTransactions = 256
    /// Automatic long-term credential retries per Binding request.
    public static let maximumChallenges = 2

    /// Creates a client. `random` draws transaction ids: inject a seeded
    /// generator in tests, keep the system one in production.
    public init(localAddress: TransportAddress,
                policy: STUNRetransmissionPolicy = .rfc8489,
                credentials: STUNClientCredentials? = nil,
                software: String? = nil,
                addsFingerprint: Bool = true,
                random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.localAddress = localAddress
        self.policy = policy
        self.credentials = credentials
        self.software = software
        self.addsFingerprint = addsFingerprint
        self.random = random
    }

    /// Transactions still waiting for a response.
    public var pendingCount: Int { pending.count }

    /// True while `transactionID` waits for a response.
    public func isPending(_ transactionID: TransactionID) -> Bool { pending[transactionID] != nil }

    /// Starts a Binding request to `server` at `now` and queues its first send.
    /// Signs it according to `credentials`. Returns the new transaction id.
    @discardableResult
    public mutating func sendBindingRequest(to server: TransportAddress, at now: Instant) -> TransactionID {
        let transactionID = TransactionID(using: &random)
        let (request, key) = bindingRequest(transactionID: transactionID, server: server)
        start(request, key: key, to: server, at: now, challenges: 0)
        return transactionID
    }

    /// Starts a transaction for any request (ICE checks, TURN later), signed with
    /// `integrityKey` when given. Throws `.invalidArgument` if it is not a request,
    /// its id is already pending, or it does not encode.
    @discardableResult
    public mutating func send(_ request: STUNMessage, to server: TransportAddress, at now: Instant,
                              integrityKey: STUNKey? = nil) throws -> TransactionID {
        guard request.messageType.messageClass == .request else {
            throw STUNError(.invalidArgument, "only requests start transactions, not \(request.messageType)")
        }
        guard pending[request.transactionID] == nil else {
            throw STUNError(.invalidArgument, "transaction \(request.transactionID) is already pending")
        }
        _ = try request.encode(integrityKey: integrityKey, fingerprint: addsFingerprint)
        start(request, key: integrityKey, to: server, at: now, challenges: 0)
        return request.transactionID
    }

    // MARK: - DatagramEndpoint

    /// Feeds a received datagram or the news that time has passed (`DatagramEndpoint`).
    public mutating func handle(_ input: EndpointInput) {
        switch input {
        case let .datagram(datagram, now): receive(datagram, at: now)
        case let .timeout(now): advance(to: now)
        }
    }

    /// The next datagram to send or event to report; nil when drained (`DatagramEndpoint`).
    public mutating func poll() -> EndpointOutput<Event>? {
        outputs.pop()
    }

    /// The earliest retransmission or give-up deadline of all pending transactions.
    public var nextTimeout: Instant? {
        pending.values.compactMap { $0.transaction.deadline }.min()
    }

    // MARK: - Sending

    private mutating func bindingRequest(transactionID: TransactionID, server: TransportAddress) -> (STUNMessage, STUNKey?) {
        var request = STUNMessage.bindingRequest(transactionID: transactionID)
        if let software, let value = try? Software(software) { request.append(value) }
        switch credentials {
        case nil:
            return (request, nil)
        case let .shortTerm(username, password):
            if let name = try? Username(username) { request.append(name) }
            return (request, .shortTerm(password: password))
        case let .longTerm(username, password):
            guard let known = realms[server],
                  let name = try? Username(username), let realm = try? Realm(known.realm), let nonce = try? Nonce(known.nonce)
            else { return (request, nil) }
            request.append(name)
            request.append(realm)
            request.append(nonce)
            return (request, .longTerm(username: username, realm: known.realm, password: password))
        }
    }

    private mutating func start(_ request: STUNMessage, key: STUNKey?, to server: TransportAddress, at now: Instant, challenges: Int) {
        guard let bytes = try? request.encode(integrityKey: key, fingerprint: addsFingerprint) else { return }
        let transaction = STUNClientTransaction(transactionID: request.transactionID, policy: policy, startingAt: now)
        pending[request.transactionID] = Pending(transaction: transaction, request: request, bytes: bytes,
                                                 server: server, key: key, challenges: challenges)
        outputs.append(.transmit(Datagram(from: localAddress, to: server, payload: bytes)))
    }

    private mutating func advance(to now: Instant) {
        // Sorted so that output order never depends on dictionary order.
        let due = pending.filter { ($0.value.transaction.deadline ?? now) <= now }
            .sorted { ($0.value.transaction.deadline!, $0.value.transaction.startedAt.nanoseconds, $0.key.description)
                    < ($1.value.transaction.deadline!, $1.value.transaction.startedAt.nanoseconds, $1.key.description) }
        for (id, _) in due {
            guard var entry = pending[id] else { continue }
            let action = entry.transaction.handleTimeout(at: now)
            switch action {
            case .none:
                pending[id] = entry
            case let .retransmit(transmission):
                pending[id] = entry
                outputs.append(.transmit(Datagram(from: localAddress, to: entry.server, payload: entry.bytes)))
                outputs.append(.event(.retransmitted(id, transmission: transmission, at: now)))
            case let .timedOut(transmissions):
                finish(id)
                outputs.append(.event(.timedOut(id, transmissions: transmissions, at: now)))
            }
        }
    }

    private mutating func finish(_ id: TransactionID) {
        pending[id] = nil
        finished.append(id)
        finishedSet.insert(id)
        if finished.count > Self.rememberedTransactions {
            finishedSet.remove(finished.removeFirst())
        }
    }

    // MARK: - Receiving

    private mutating func drop(_ datagram: Datagram, _ reason: String) {
        outputs.append(.event(.dropped(from: datagram.source, reason: reason)))
    }

    private mutating func receive(_ datagram: Datagram, at now: Instant) {
        let bytes = datagram.payload
        let message: STUNMessage
        switch STUNInbound.parse(bytes) {
        case let .success(parsed): message = parsed
        case let .failure(reason): return drop(datagram, reason.text)
        }
        guard message.messageType.messageClass.isResponse else {
            return drop(datagram, "not a response (\(message.messageType)); this endpoint is a client")
        }
        let id = message.transactionID
        guard var entry = pending[id] else {
            return drop(datagram, finishedSet.contains(id)
                ? "duplicate response for finished transaction \(id)"
                : "response for unknown transaction \(id)")
        }
        guard datagram.source == entry.server else {
            return drop(datagram, "response for \(id) came from \(datagram.source), the request went to \(entry.server)")
        }
        if case let .invalid(expected, received) = STUNMessage.verifyFingerprint(of: bytes) {
            return drop(datagram, "bad FINGERPRINT 0x\(STUNFormat.hex(received, digits: 8)) (expected 0x\(STUNFormat.hex(expected, digits: 8)))")
        }
        var integrity = STUNIntegrityVerdict.absent
        if let key = entry.key {
            integrity = STUNMessage.verifyIntegrity(of: bytes, key: key)
            switch integrity {
            case .valid:
                break
            case .absent where message.messageType.messageClass == .errorResponse:
                break // 400/401 answers cannot be signed (RFC 8489 §9.1.3, §9.2.4)
            default:
                // RFC 8489 §9.1.4/§9.2.5: discard as if never received; the transaction goes on.
                return drop(datagram, "response for \(id) fails MESSAGE-INTEGRITY (\(integrity))")
            }
        }
        let transmissions = entry.transaction.transmissions
        guard let rtt = entry.transaction.handleResponse(at: now) else { return }
        pending[id] = entry
        finish(id)
        let response = STUNClientResponse(transactionID: id, server: datagram.source, message: message, bytes: bytes,
                                          rtt: rtt, transmissions: transmissions, receivedAt: now, integrity: integrity)
        if message.messageType.messageClass == .successResponse {
            let unknown = message.unknownComprehensionRequired(understood: STUNAttributeType.registered)
            if !unknown.isEmpty {
                let list = unknown.map { "0x\(STUNFormat.hex($0.rawValue, digits: 4))" }.joined(separator: ", ")
                outputs.append(.event(.failed(id, reason: "success response holds unknown comprehension-required attribute(s) \(list)")))
                return
            }
            outputs.append(.event(.responseReceived(response)))
        } else if !answerChallenge(response, entry: entry, at: now) {
            outputs.append(.event(.errorResponseReceived(response)))
        }
    }

    /// Long-term credentials: answers 401 (REALM + NONCE) and 438 (fresh NONCE)
    /// by re-sending the request signed; returns false when not applicable.
    private mutating func answerChallenge(_ response: STUNClientResponse, entry: Pending, at now: Instant) -> Bool {
        guard case let .longTerm(username, password) = credentials,
              entry.request.messageType == .bindingRequest,
              entry.challenges < Self.maximumChallenges,
              let code = response.errorCode?.code, code == .unauthenticated || code == .staleNonce,
              let nonce = try? response.message.attribute(Nonce.self),
              let realm = (try? response.message.attribute(Realm.self))?.value ?? realms[entry.server]?.realm
        else { return false }
        // A 401 to a request that was already signed means wrong credentials: report it.
        if code == .unauthenticated, entry.key != nil { return false }
        realms[entry.server] = (realm, nonce.value)
        let retryID = TransactionID(using: &random)
        var (request, key) = bindingRequest(transactionID: retryID, server: entry.server)
        if key == nil { key = .longTerm(username: username, realm: realm, password: password) }
        start(request, key: key, to: entry.server, at: now, challenges: entry.challenges + 1)
        outputs.append(.event(.challenged(response.transactionID, retry: retryID, code: code, realm: realm)))
        return true
    }
}

import Wire

/// A STUN server endpoint answering Binding requests (RFC 8489 §6.3, §7.3),
/// sans-IO behind Wire's `DatagramEndpoint` contract.
///
/// For each datagram, in order: RFC 7983 demultiplexing (only first bytes
/// 0-3 can be STUN); parsing (§5); FINGERPRINT, when present, must match
/// (§7.3); only requests are answered (indications and responses are
/// dropped); credentials are checked when configured (§9.1.3, §9.2.4);
/// unknown comprehension-required attributes get 420 with UNKNOWN-ATTRIBUTES
/// (§6.3.1); methods other than Binding get 400. A Binding request is
/// answered with XOR-MAPPED-ADDRESS (the request's source), SOFTWARE,
/// MESSAGE-INTEGRITY when the request was authenticated, and FINGERPRINT.
///
/// RFC 3489 clients (no magic cookie, e.g. Debian's `stun`) get classic
/// answers when `answersClassicClients` allows it: see `STUNServer+Classic.swift`.
///
/// Nothing is answered that is not a parseable request: answering garbage
/// would make the server a reflector for spoofed traffic. Every datagram
/// produces exactly one event (`.answered` or `.dropped`) so tools can log it.
/// The server keeps no per-client state; it never needs a timer.
public struct STUNServer: DatagramEndpoint {
    /// The events this endpoint reports.
    public typealias Event = STUNServerEvent

    /// Server settings.
    public struct Configuration: Sendable {
        /// SOFTWARE in every response, or nil for none.
        public var software: String?
        /// How requests are authenticated.
        public var authentication: STUNServerAuthentication
        /// Whether responses carry FINGERPRINT.
        public var addsFingerprint: Bool
        /// Comprehension-required attribute types the server accepts in requests;
        /// any other one (below 0x8000) gets 420 Unknown Attribute.
        public var understoodAttributes: Set<STUNAttributeType>
        /// Larger datagrams are dropped unparsed.
        public var maximumMessageSize: Int
        /// Whether RFC 3489 Binding requests (no magic cookie) get classic answers
        /// (RFC 8489 §11.2; §12 asks stand-alone servers to do so). Default true, but
        /// it only takes effect with `.none` authentication: a classic client cannot
        /// authenticate the RFC 8489 way, and answering it anyway would bypass the
        /// credentials. So in effect it is on for open servers and off for servers
        /// requiring credentials (ICE agents, whose port also carries other protocols,
        /// where RFC 8489 §11.2 advises against classic support). Set false to drop
        /// classic requests on an open server too.
        public var answersClassicClients: Bool

        /// The default set of understood attributes: what a Binding server reads,
        /// plus ICE's PRIORITY and USE-CANDIDATE (harmless to accept and ignore).
        public static let defaultUnderstoodAttributes: Set<STUNAttributeType> = [
            .mappedAddress, .xorMappedAddress, .username, .messageIntegrity, .messageIntegritySHA256,
            .errorCode, .unknownAttributes, .realm, .nonce, .priority, .useCandidate,
        ]

        /// Creates a configuration.
        public init(software: String? = "webrtc-lab STUN server",
                    authentication: STUNServerAuthentication = .none,
                    addsFingerprint: Bool = true,
                    understoodAttributes: Set<STUNAttributeType> = Configuration.defaultUnderstoodAttributes,
                    maximumMessageSize: Int = STUNMessage.defaultMaximumSize,
                    answersClassicClients: Bool = true) {
            self.software = software
            self.authentication = authentication
            self.addsFingerprint = addsFingerprint
            self.understoodAttributes = understoodAttributes
            self.maximumMessageSize = maximumMessageSize
            self.answersClassicClients = answersClassicClients
        }

        /// True when classic requests are answered: `answersClassicClients` and no authentication.
        public var classicClientsAnswered: Bool {
            guard answersClassicClients, case .none = authentication else { return false }
            return true
        }
    }

    /// The settings in use.
    public let configuration: Configuration
    let nonces: STUNNonceIssuer
    var outputs = OutputQueue<Event>()

    /// Creates a server; the long-term nonce secret is drawn from `random`.
    public init(configuration: Configuration = Configuration(), random: inout some RandomNumberGenerator) {
        self.configuration = configuration
        var secret: [UInt8] = []
        for _ in 0..<2 {
            let word = random.next() as UInt64
            for shift in stride(from: 56, through: 0, by: -8) { secret.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        var lifetime = Duration.seconds(600)
        if case let .longTerm(_, _, configured) = configuration.authentication { lifetime = configured }
        self.nonces = STUNNonceIssuer(secret: secret, lifetime: lifetime)
    }

    /// Creates a server drawing its nonce secret from the system generator.
    public init(configuration: Configuration = Configuration()) {
        var system = SystemRandomNumberGenerator()
        self.init(configuration: configuration, random: &system)
    }

    // MARK: - DatagramEndpoint

    /// Feeds a received datagram or the news that time has passed (`DatagramEndpoint`).
    public mutating func handle(_ input: EndpointInput) {
        // A server has no timers: timeouts change nothing.
        guard case let .datagram(datagram, now) = input else { return }
        receive(datagram, at: now)
    }

    /// The next datagram to send or event to report; nil when drained (`DatagramEndpoint`).
    public mutating func poll() -> EndpointOutput<Event>? {
        outputs.pop()
    }

    /// Always nil: the server keeps no timers.
    public var nextTimeout: Instant? { nil }

    // MARK: - Processing

    mutating func drop(_ datagram: Datagram, _ reason: String) {
        outputs.append(.event(.dropped(from: datagram.source, reason: reason)))
    }

    private mutating func receive(_ datagram: Datagram, at now: Instant) {
        let bytes = datagram.payload
        let request: STUNMessage
        // Classic messages always parse, so that the drop reason can say what they are.
        switch STUNInbound.parse(bytes, maximumSize: configuration.maximumMessageSize, acceptingClassic: true) {
        case let .success(message): request = message
        case let .failure(reason): return drop(datagram, reason.text)
        }
        if request.format.isClassic { return receiveClassic(request, datagram: datagram) }
        if case let .invalid(expected, received) = STUNMessage.verifyFingerprint(of: bytes) {
            return drop(datagram, "bad FINGERPRINT 0x\(STUNFormat.hex(received, digits: 8)) (expected 0x\(STUNFormat.hex(expected, digits: 8)))")
        }
        switch request.messageType.messageClass {
        case .request:
            break
        case .indication:
            return drop(datagram, "\(request.messageType): indications are never answered")
        case .successResponse, .errorResponse:
            return drop(datagram, "\(request.messageType): a server does not answer responses")
        }
        let auth = authenticate(request, bytes: bytes, at: now)
        let reply: Reply
        switch auth {
        case let .reject(rejection):
            reply = rejection
        case let .accept(key, algorithm, username):
            reply = process(request, from: datagram.source, key: key, algorithm: algorithm, username: username)
        }
        send(reply, to: request, datagram: datagram)
    }

    /// The answer to an acceptable (authenticated or open) request.
    private func process(_ request: STUNMessage, from client: TransportAddress,
                         key: STUNKey?, algorithm: STUNIntegrityAlgorithm, username: String?) -> Reply {
        let unknown = request.unknownComprehensionRequired(understood: configuration.understoodAttributes)
        if !unknown.isEmpty {
            let list = unknown.map { "0x\(STUNFormat.hex($0.rawValue, digits: 4))" }.joined(separator: ", ")
            return Reply(error: .unknownAttribute, reason: "unknown comprehension-required attribute(s) \(list)",
                         extra: [STUNAttribute(UnknownAttributes(unknown), transactionID: request.transactionID)],
                         key: key, algorithm: algorithm, username: username)
        }
        guard request.messageType.method == .binding else {
            return Reply(error: .badRequest, reason: "method \(request.messageType.method) is not supported",
                         key: key, algorithm: algorithm, username: username)
        }
        return Reply(error: nil, reason: "reflexive address reported",
                     extra: [STUNAttribute(XORMappedAddress(client), transactionID: request.transactionID)],
                     key: key, algorithm: algorithm, username: username, mapped: client)
    }

    /// A decided answer, before encoding.
    struct Reply {
        var error: STUNErrorCode?
        var reason: String
        var extra: [STUNAttribute] = []
        var key: STUNKey?
        var algorithm: STUNIntegrityAlgorithm = .hmacSHA1
        var username: String?
        var mapped: TransportAddress?
    }

    private mutating func send(_ reply: Reply, to request: STUNMessage, datagram: Datagram) {
        let type = reply.error == nil ? request.messageType.successResponse : request.messageType.errorResponse
        var response = STUNMessage(type: type, transactionID: request.transactionID)
        if let error = reply.error, let attribute = try? ErrorCodeAttribute(error) { response.append(attribute) }
        response.attributes += reply.extra
        if let software = configuration.software, let attribute = try? Software(software) { response.append(attribute) }
        guard let bytes = try? response.encode(integrityKey: reply.key, algorithms: [reply.algorithm],
                                               fingerprint: configuration.addsFingerprint) else {
            return drop(datagram, "could not encode the response (attributes too large)")
        }
        outputs.append(.transmit(Datagram(from: datagram.destination, to: datagram.source, payload: bytes)))
        let answer = STUNServerAnswer(client: datagram.source, transactionID: request.transactionID,
                                      request: request.messageType, response: type, errorCode: reply.error,
                                      mappedAddress: reply.mapped, username: reply.username, reason: reply.reason)
        outputs.append(.event(.answered(answer)))
    }
}

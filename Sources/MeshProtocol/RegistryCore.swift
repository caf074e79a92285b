/// The signaling registry's rules, sans-IO: which connection is which peer, who
/// is registered, what a frame is answered with and where it is relayed. The
/// server (MeshRegistry) owns the sockets and the clock; it tells the core what
/// happened (`connectionOpened`, `textFrame`, `binaryFrame`, `connectionClosed`,
/// each with the time when it matters) and carries out the actions returned, in
/// order. Tests drive the same core with made-up connections and instants.
///
/// chatixia-mesh's rules, matched exactly:
/// - `register` is answered with `{"type":"peer_list","peer_id":"registry",
///   "payload":{"peers":[...]}}`: the other registered peers, sorted;
/// - `offer`, `answer` and `ice_candidate` go to `target_id` as the very text
///   that arrived (nothing is re-encoded, so nothing is lost or reordered);
/// - `heartbeat` gets no reply;
/// - a frame whose `peer_id` is not the peer the token names is refused.
///
/// Beyond chatixia (which drops every one of these silently):
/// - presence: `peer_joined` / `peer_left` `{"peer_id":X}` to every other
///   registered peer when X registers / when X's connection goes;
/// - every refused frame gets an error frame `{"type":"error","peer_id":"registry",
///   "payload":{"code","message","ref_type"}}` and the connection stays up:
///   malformed JSON, an unknown type, a missing or unknown target, a relay before
///   `register`, a frame over the size limit, a frame over the rate limit;
/// - a sustained flood closes the connection (1008, policy violation);
/// - a second connection under a peer id replaces the first: the old one gets an
///   error frame (`replaced`) and is closed with 4000 "replaced". The peer stays
///   registered through the swap, so the others see no `peer_left`/`peer_joined`
///   churn: the peer's DataChannels do not depend on its signaling connection,
///   and a reconnecting sidecar should not make its peers tear down a working mesh.
///
/// Only registered peers appear in peer lists, receive presence, and can be
/// relayed to; a connection that never sends `register` is invisible.
public struct RegistryCore: Sendable {
    /// One open connection.
    struct Connection: Sendable {
        /// The peer its token names.
        let peerID: String
        /// Whether it (or the connection it replaced) sent `register`.
        var registered: Bool
        /// Its rate limit.
        var limiter: RegistryRateLimiter
    }

    /// The limits every connection gets.
    public let limits: RegistryLimits
    private var connections: [RegistryConnectionID: Connection] = [:]
    /// The current connection of each peer id (the newest one).
    private var current: [String: RegistryConnectionID] = [:]

    /// An empty registry.
    public init(limits: RegistryLimits = .standard) {
        self.limits = limits
    }

    /// The registered peers, sorted.
    public var registeredPeers: [String] {
        current.compactMap { peer, id in connections[id]?.registered == true ? peer : nil }.sorted()
    }

    /// The connections open now, sorted.
    public var openConnections: [RegistryConnectionID] { connections.keys.sorted() }

    /// The peer a connection belongs to, while it is open.
    public func peerID(of id: RegistryConnectionID) -> String? { connections[id]?.peerID }

    // MARK: - Inputs

    /// A WebSocket connection authenticated as `peerID` (the token's `sub`) opened.
    /// An older connection of the same peer is replaced.
    public mutating func connectionOpened(_ id: RegistryConnectionID, peerID: String,
                                          now: ContinuousClock.Instant) -> [RegistryAction] {
        var actions: [RegistryAction] = []
        if connections[id] != nil { actions += connectionClosed(id) }
        var registered = false
        if let old = current[peerID], let previous = connections.removeValue(forKey: old) {
            registered = previous.registered
            actions.append(.send(Self.errorFrame(code: RegistryErrorCode.replaced, message:
                "a newer connection signed in as '\(peerID)'; this one is closed", refType: nil), to: old))
            actions.append(.close(old, code: RegistryCloseCode.replaced, reason: RegistryCloseCode.replacedReason))
        }
        connections[id] = Connection(peerID: peerID, registered: registered,
                                     limiter: RegistryRateLimiter(limits: limits, now: now))
        current[peerID] = id
        return actions
    }

    /// A connection ended (closed by either side, or failed). Its peer leaves the
    /// registry unless a newer connection replaced it.
    public mutating func connectionClosed(_ id: RegistryConnectionID) -> [RegistryAction] {
        guard let connection = connections.removeValue(forKey: id) else { return [] }
        guard current[connection.peerID] == id else { return [] }
        current[connection.peerID] = nil
        guard connection.registered else { return [] }
        return presence(SignalingMessage.Kind.peerLeft, about: connection.peerID)
    }

    /// A binary frame arrived: refused (signaling is JSON text), counted against the rate.
    public mutating func binaryFrame(_ id: RegistryConnectionID, now: ContinuousClock.Instant) -> [RegistryAction] {
        guard connections[id] != nil else { return [] }
        if let refusal = admit(id, now: now) { return refusal }
        return [refuse(id, RegistryErrorCode.binaryFrame, "binary frames are not signaling; send JSON text", refType: nil)]
    }

    /// A text frame arrived on a connection.
    public mutating func textFrame(_ id: RegistryConnectionID, _ text: String,
                                   now: ContinuousClock.Instant) -> [RegistryAction] {
        guard let connection = connections[id] else { return [] }
        if let refusal = admit(id, now: now) { return refusal }
        let size = text.utf8.count
        guard size <= limits.maxFrameBytes else {
            return [refuse(id, RegistryErrorCode.tooLarge,
                           "frame of \(size) bytes is over the \(limits.maxFrameBytes)-byte limit", refType: nil)]
        }
        let frame: SignalingMessage
        do {
            frame = try SignalingMessage.parse(text, maxBytes: limits.maxFrameBytes)
        } catch {
            let code: String
            switch error {
            case .malformedJSON, .tooDeep: code = RegistryErrorCode.malformed
            case .tooLarge: code = RegistryErrorCode.tooLarge
            case .invalidField: code = RegistryErrorCode.invalidFrame
            }
            let refType = (try? JSONValue.parse(text))?["type"]?.stringValue
            return [refuse(id, code, error.description, refType: refType)]
        }
        let type = frame.kind.name
        guard frame.peerID == connection.peerID else {
            return [refuse(id, RegistryErrorCode.peerIDMismatch, "peer_id '\(frame.peerID)' is not yours: "
                + "this connection's token is for '\(connection.peerID)'", refType: type)]
        }
        switch frame.kind {
        case .register:
            return register(id, peerID: connection.peerID)
        case .heartbeat:
            return []
        case .offer, .answer, .iceCandidate:
            return relay(text, frame: frame, from: id, registered: connection.registered)
        case .peerList, .peerJoined, .peerLeft, .error:
            return [refuse(id, RegistryErrorCode.unknownType, "'\(type)' is sent by the registry, not to it", refType: type)]
        case .other:
            return [refuse(id, RegistryErrorCode.unknownType,
                           "unknown type '\(type)' (register, offer, answer, ice_candidate, heartbeat)", refType: type)]
        }
    }

    // MARK: - Rules

    /// The rate limit: nil when the frame may pass, else the refusal (or the close).
    private mutating func admit(_ id: RegistryConnectionID, now: ContinuousClock.Instant) -> [RegistryAction]? {
        guard var connection = connections[id] else { return [] }
        let verdict = connection.limiter.admit(at: now)
        connections[id] = connection
        switch verdict {
        case .allowed:
            return nil
        case .refused:
            return [refuse(id, RegistryErrorCode.rateLimited, "over the rate limit of "
                + "\(Self.format(limits.framesPerSecond)) frames/s (burst \(Self.format(limits.burst))); frame dropped",
                refType: nil)]
        case .flood:
            var actions = connectionClosed(id)
            actions.insert(.close(id, code: RegistryCloseCode.policyViolation, reason: "rate limit exceeded"), at: 0)
            return actions
        }
    }

    /// `register`: the peer becomes visible; it gets the others, they get `peer_joined`.
    private mutating func register(_ id: RegistryConnectionID, peerID: String) -> [RegistryAction] {
        let others = registeredPeers.filter { $0 != peerID }
        var actions: [RegistryAction] = [.send(SignalingMessage(
            kind: .peerList, peerID: MeshDefaults.registryPeerID,
            payload: PeerListPayload(peers: others).json).jsonText, to: id)]
        if connections[id]?.registered == false {
            connections[id]?.registered = true
            actions += presence(.peerJoined, about: peerID)
        }
        return actions
    }

    /// Offers, answers and candidates: the original text to the target's connection.
    private func relay(_ text: String, frame: SignalingMessage, from id: RegistryConnectionID,
                       registered: Bool) -> [RegistryAction] {
        let type = frame.kind.name
        guard registered else {
            return [refuse(id, RegistryErrorCode.notRegistered, "send 'register' before '\(type)'", refType: type)]
        }
        guard let target = frame.targetID, !target.isEmpty else {
            return [refuse(id, RegistryErrorCode.missingTarget, "'\(type)' needs a target_id", refType: type)]
        }
        guard let targetConnection = current[target], connections[targetConnection]?.registered == true else {
            return [refuse(id, RegistryErrorCode.unknownTarget, "no registered peer '\(target)'", refType: type)]
        }
        return [.send(text, to: targetConnection)]
    }

    /// One presence frame to every registered peer but `peerID`.
    private func presence(_ kind: SignalingMessage.Kind, about peerID: String) -> [RegistryAction] {
        let text = SignalingMessage(kind: kind, peerID: MeshDefaults.registryPeerID,
                                    payload: ["peer_id": .string(peerID)]).jsonText
        return current.filter { peer, id in peer != peerID && connections[id]?.registered == true }
            .values.sorted().map { .send(text, to: $0) }
    }

    private func refuse(_ id: RegistryConnectionID, _ code: String, _ message: String, refType: String?) -> RegistryAction {
        .send(Self.errorFrame(code: code, message: message, refType: refType), to: id)
    }

    /// An error frame's text.
    public static func errorFrame(code: String, message: String, refType: String?) -> String {
        SignalingMessage(kind: .error, peerID: MeshDefaults.registryPeerID, payload: [
            "code": .string(code), "message": .string(message), "ref_type": refType.map(JSONValue.string) ?? .null,
        ]).jsonText
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

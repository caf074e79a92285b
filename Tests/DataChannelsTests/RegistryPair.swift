import DataChannels
import Wire

/// Two registries back to back, as two peers on one association (aioquic's
/// `roundtrip`, in virtual time): what one side sends arrives at the other, in order
/// per direction; a stream reset one side asks for reaches the other as an incoming
/// reset, and its outcome comes back to the asker behind whatever was sent before it,
/// as RFC 6525 requests and responses do.
struct RegistryPair {
    enum Side: CaseIterable { case a, b }

    /// What travels between the two: a message, the peer's reset request, or the
    /// answer to ours.
    enum Delivery: Hashable {
        case message(OutboundMessage)
        case peerReset([UInt16])
        case resetFinished([UInt16], succeeded: Bool)
    }

    /// The DTLS client (even stream ids).
    var a = DataChannelRegistry()
    /// The DTLS server (odd stream ids).
    var b = DataChannelRegistry()
    /// Every event each side reported, in order.
    var eventsA: [DataChannelEvent] = [], eventsB: [DataChannelEvent] = []
    /// Every message each side sent (DCEP from `.send` actions, data from `send`).
    var sentA: [OutboundMessage] = [], sentB: [OutboundMessage] = []
    /// Every reset each side asked for.
    var resetsA: [[UInt16]] = [], resetsB: [[UInt16]] = []
    /// In flight towards each side.
    private var toA: [Delivery] = [], toB: [Delivery] = []
    /// While true, nothing is delivered to that side (a slow path), so tests can look
    /// at the moment before something arrives.
    var holdToA = false, holdToB = false
    /// While true, that side refuses the other's reset requests.
    var aRefusesResets = false, bRefusesResets = false
    /// The virtual clock: every delivery advances it by a millisecond.
    var now = Instant.zero

    /// Two registries with their roles set and the association up (unless `up` is false).
    init(outboundStreams: UInt16 = 16, inboundStreams: UInt16 = 16, up: Bool = true) {
        a.setRole(.client)
        b.setRole(.server)
        if up { transportUp(outboundStreams: outboundStreams, inboundStreams: inboundStreams) }
    }

    /// Both sides see the association come up (each with the other's view of the counts).
    mutating func transportUp(outboundStreams: UInt16 = 16, inboundStreams: UInt16 = 16) {
        a.transportUp(outboundStreams: outboundStreams, inboundStreams: inboundStreams, at: now)
        b.transportUp(outboundStreams: inboundStreams, inboundStreams: outboundStreams, at: now)
        pump()
    }

    // MARK: - Per-side access

    func registry(_ side: Side) -> DataChannelRegistry { side == .a ? a : b }
    func events(_ side: Side) -> [DataChannelEvent] { side == .a ? eventsA : eventsB }
    func sent(_ side: Side) -> [OutboundMessage] { side == .a ? sentA : sentB }
    func resets(_ side: Side) -> [[UInt16]] { side == .a ? resetsA : resetsB }

    /// Runs `body` on one side's registry.
    mutating func on<T>(_ side: Side, _ body: (inout DataChannelRegistry) throws -> T) rethrows -> T {
        side == .a ? try body(&a) : try body(&b)
    }

    /// The messages a side received, per channel, in order.
    func messages(_ side: Side) -> [DataChannelMessage] {
        events(side).compactMap { if case let .message(_, message) = $0 { return message }; return nil }
    }

    /// Forgets what was recorded so far (the registries are untouched).
    mutating func clearRecords() {
        eventsA = []; eventsB = []; sentA = []; sentB = []; resetsA = []; resetsB = []
    }

    // MARK: - Commands

    /// Opens a channel on `side` and lets everything that follows happen.
    mutating func open(_ parameters: DataChannelParameters, on side: Side, pump shouldPump: Bool = true) throws(DataChannelError) -> DataChannelID {
        let now = self.now
        let id: DataChannelID
        switch side {
        case .a: id = try a.open(parameters, at: now)
        case .b: id = try b.open(parameters, at: now)
        }
        if shouldPump { pump() } else { drain() }
        return id
    }

    /// Sends `message` on `channel` from `side`, as the PeerConnection would: the
    /// registry builds the SCTP message, which goes out at once. Returns it.
    @discardableResult
    mutating func send(_ message: DataChannelMessage, on channel: DataChannelID, from side: Side, pump shouldPump: Bool = true) throws(DataChannelError) -> OutboundMessage {
        let outbound: OutboundMessage
        switch side {
        case .a: outbound = try a.outbound(message, on: channel); sentA.append(outbound); toB.append(.message(outbound))
        case .b: outbound = try b.outbound(message, on: channel); sentB.append(outbound); toA.append(.message(outbound))
        }
        if shouldPump { pump() }
        return outbound
    }

    /// Closes `channel` on `side` and lets everything that follows happen.
    mutating func close(_ channel: DataChannelID, on side: Side, pump shouldPump: Bool = true) {
        let now = self.now
        on(side) { $0.close(channel, at: now) }
        if shouldPump { pump() } else { drain() }
    }

    /// Delivers the given bytes to `side` as if the other side had sent them.
    mutating func inject(to side: Side, stream: UInt16, ppid: PayloadProtocolIdentifier, bytes: [UInt8]) {
        let now = self.now
        on(side) { $0.receive(stream: stream, ppid: ppid.rawValue, bytes: bytes, at: now) }
        drain()
    }

    // MARK: - Moving things

    /// Drains both registries' actions into records and in-flight deliveries.
    mutating func drain() {
        while let action = a.poll() { record(action, from: .a) }
        while let action = b.poll() { record(action, from: .b) }
    }

    /// Delivers everything in flight (except to held sides) until both sides are quiet.
    mutating func pump() {
        drain()
        var rounds = 0
        while (!toA.isEmpty && !holdToA) || (!toB.isEmpty && !holdToB) {
            rounds += 1
            precondition(rounds < 10_000, "the pair never went quiet")
            if !holdToB, !toB.isEmpty { deliver(toB.removeFirst(), to: .b) }
            if !holdToA, !toA.isEmpty { deliver(toA.removeFirst(), to: .a) }
            drain()
        }
    }

    private mutating func record(_ action: DataChannelAction, from side: Side) {
        switch (action, side) {
        case let (.send(message), .a): sentA.append(message); toB.append(.message(message))
        case let (.send(message), .b): sentB.append(message); toA.append(.message(message))
        case let (.resetStreams(streams), .a): resetsA.append(streams); toB.append(.peerReset(streams))
        case let (.resetStreams(streams), .b): resetsB.append(streams); toA.append(.peerReset(streams))
        case let (.event(event), .a): eventsA.append(event)
        case let (.event(event), .b): eventsB.append(event)
        }
    }

    private mutating func deliver(_ delivery: Delivery, to side: Side) {
        now += .milliseconds(1)
        let now = self.now
        switch delivery {
        case let .message(message):
            on(side) { $0.receive(stream: message.stream, ppid: message.ppid.rawValue, bytes: message.bytes, at: now) }
        case let .peerReset(streams):
            let refused = side == .a ? aRefusesResets : bRefusesResets
            if !refused { on(side) { $0.streamsReset(incoming: true, streams: streams, succeeded: true, at: now) } }
            // The answer goes back behind anything this side sent before it.
            if side == .a { toB.append(.resetFinished(streams, succeeded: !refused)) } else { toA.append(.resetFinished(streams, succeeded: !refused)) }
        case let .resetFinished(streams, succeeded):
            on(side) { $0.streamsReset(incoming: false, streams: streams, succeeded: succeeded, at: now) }
        }
    }
}

import Wire

/// The channels of one association: DCEP open and ack, stream ids, PPIDs and the
/// close by stream reset (RFC 8831, RFC 8832), as a sans-IO state machine.
///
/// The PeerConnection feeds it the association's news (`transportUp`, `receive`,
/// `streamsReset`, `transportClosed`) and the application's commands (`open`,
/// `outbound`, `close`), then drains `poll()` until it returns nil after every call,
/// carrying out each `DataChannelAction` in order: `.send` a message on the
/// association, `.resetStreams`, or pass an `.event` on. The module's theory of
/// operation (DataChannels.swift) says why each rule is there.
///
/// ```swift
/// var registry = DataChannelRegistry()
/// let chat = try registry.open(DataChannelParameters(label: "chat"), at: now)  // before connecting is fine
/// registry.setRole(.client)
/// registry.transportUp(outboundStreams: 1024, inboundStreams: 1024, at: now)
/// while let action = registry.poll() { ... }    // .send(OPEN on stream 0), .event(.stateChanged(chat, .open))
/// let message = try registry.outbound(.text("hi"), on: chat)   // hand to SCTP now
/// ```
public struct DataChannelRegistry: Sendable {
    /// How many times a refused reset of one of our outgoing streams is requested
    /// before the stream id is retired for the rest of the association.
    public static let maximumResetAttempts = 3

    /// This side's DTLS role, once `setRole` has been called.
    public private(set) var role: DataChannelDTLSRole?
    /// The association's stream counts while it is up.
    var association: AssociationStreams?
    /// Every channel not closed yet.
    var records: [DataChannelID: ChannelRecord] = [:]
    /// The channel on each stream id in use.
    var channelOnStream: [UInt16: DataChannelID] = [:]
    /// Streams we reset after refusing the peer's OPEN on them: busy until both ways are reset.
    var rejectedStreams: [UInt16: StreamClosing] = [:]
    /// Streams whose reset the peer kept refusing: never used again on this association.
    var retiredStreams: Set<UInt16> = []
    /// The number of the next handle; every smaller one was given out.
    var nextHandle = 0
    /// What `poll()` hands out.
    var pending = PendingOutputs()
    /// A replacement DCEP state machine per in-band channel (the lab's exercise hook,
    /// DCEPChannelDriver.swift); nil, the default, keeps the registry's own. Set it
    /// before the first channel: channels created earlier keep the registry's rules.
    public var channelDrivers: DCEPChannelDrivers?

    /// Creates a registry with no channel, no role and no association.
    public init() {}

    // MARK: - The association's news

    /// Records the DTLS role (client: even stream ids; server: odd). The first call
    /// counts: the role of a DTLS connection never changes. If the association is
    /// already up, waiting channels get their stream ids and send their OPENs.
    public mutating func setRole(_ role: DataChannelDTLSRole) {
        guard self.role == nil else { return }
        self.role = role
        assignWaitingStreams()
    }

    /// The association is up with these stream counts. Negotiated channels open (or
    /// fail with `.streamOutOfRange` if their id does not fit); once the role is known,
    /// channels created earlier get stream ids, in creation order, and queue their OPENs.
    public mutating func transportUp(outboundStreams: UInt16, inboundStreams: UInt16, at now: Instant) {
        let streams = AssociationStreams(outbound: outboundStreams, inbound: inboundStreams)
        association = streams
        for id in records.keys.sorted() {
            guard let record = records[id], record.opener == .negotiated, record.phase == .awaitingTransport,
                  let stream = record.stream else { continue }
            if streams.contains(stream) {
                transition(id, to: .established)
            } else {
                fail(id, .caller(.streamOutOfRange, "negotiated stream \(stream) is not below the association's \(outboundStreams) outbound and \(inboundStreams) inbound streams"))
            }
        }
        assignWaitingStreams()
    }

    /// The association is gone: every channel is closed at once (nothing can reach the
    /// peer any more), and sends and resets not handed out yet are dropped.
    public mutating func transportClosed(at now: Instant) {
        association = nil
        pending.removeAll { item in
            if case .action(.event) = item { return false }
            return true
        }
        for id in records.keys.sorted() { transition(id, to: .closed) }
        channelOnStream = [:]
        rejectedStreams = [:]
        retiredStreams = []
    }

    // MARK: - The application's commands

    /// Creates a channel and returns its handle; the `.stateChanged` events follow.
    ///
    /// - In band (`negotiatedID` nil): once the role is known and the association up
    ///   (now, or at `transportUp`), the lowest free stream id of our parity is taken
    ///   and the OPEN queued; the channel turns open when `poll()` hands the OPEN out.
    /// - Negotiated: the id is reserved at once and the channel is open as soon as
    ///   the association is up. The peer must create its side with the same id.
    ///
    /// Throws (all the caller's): `.invalidParameters` for a label or protocol over
    /// 65 535 UTF-8 bytes; `.streamInUse` for a negotiated id already taken (or still
    /// closing); `.streamOutOfRange` for a negotiated id beyond the association's
    /// stream counts; `.noStreamAvailable` when every id of our parity is taken.
    public mutating func open(_ parameters: DataChannelParameters, at now: Instant) throws(DataChannelError) -> DataChannelID {
        try parameters.validate()
        let id = DataChannelID(rawValue: nextHandle)
        if let stream = parameters.negotiatedID {
            guard !isBusy(stream) else {
                throw .caller(.streamInUse, "stream \(stream) already carries \(channelOnStream[stream].map(\.description) ?? "a channel") or is still being closed")
            }
            if let association, !association.contains(stream) {
                throw .caller(.streamOutOfRange, "negotiated stream \(stream) is not below the association's \(association.outbound) outbound and \(association.inbound) inbound streams")
            }
            nextHandle += 1
            records[id] = ChannelRecord(parameters: parameters, opener: .negotiated, stream: stream, phase: .awaitingTransport)
            channelOnStream[stream] = id
            if association != nil { transition(id, to: .established) }
            return id
        }
        if let role, let association {
            guard let stream = freeStream(for: role, in: association) else {
                throw .caller(.noStreamAvailable, "every \(role == .client ? "even" : "odd") stream id below \(min(association.outbound, association.inbound)) is in use")
            }
            nextHandle += 1
            records[id] = ChannelRecord(parameters: parameters, opener: .local, stream: stream, phase: .awaitingTransport)
            channelOnStream[stream] = id
            queueOpen(id, on: stream)
            return id
        }
        nextHandle += 1
        records[id] = ChannelRecord(parameters: parameters, opener: .local, stream: nil, phase: .awaitingTransport)
        return id
    }

    /// The SCTP message that carries `message` on `channel`; the caller sends it at once
    /// (so a size or buffer error from SCTP reaches the application). An empty message
    /// becomes one zero byte with PPID 56 or 57. Until the peer acknowledges our OPEN,
    /// messages go ordered even on an unordered channel, so none overtakes the OPEN.
    ///
    /// Throws (the caller's): `.unknownChannel`, or `.notOpen` unless the channel is
    /// `.open` (our channel is, once `poll()` has handed its OPEN out).
    public mutating func outbound(_ message: DataChannelMessage, on channel: DataChannelID) throws(DataChannelError) -> OutboundMessage {
        guard let record = records[channel] else {
            throw .caller(.unknownChannel, "\(channel) does not exist or is closed")
        }
        guard record.phase.publicState == .open, let stream = record.stream else {
            throw .caller(.notOpen, "\(channel) is \(record.phase.publicState.rawValue), not open")
        }
        let ppid: PayloadProtocolIdentifier, bytes: [UInt8]
        switch message {
        case let .text(text) where text.isEmpty: (ppid, bytes) = (.stringEmpty, [0])
        case let .text(text): (ppid, bytes) = (.string, Array(text.utf8))
        case let .binary(data) where data.isEmpty: (ppid, bytes) = (.binaryEmpty, [0])
        case let .binary(data): (ppid, bytes) = (.binary, data)
        }
        let ordered = record.parameters.ordered || record.phase == .awaitingAck
        if let actions = drive(channel, .appSend(ppid, bytes)) {
            for case let .sendData(ppid, bytes, ordered) in actions {
                return OutboundMessage(stream: stream, ppid: ppid, bytes: bytes, ordered: ordered,
                                       reliability: record.parameters.reliability)
            }
            throw .caller(.notOpen, "the DCEP state machine of \(channel) did not send the message")
        }
        return OutboundMessage(stream: stream, ppid: ppid, bytes: bytes, ordered: ordered,
                               reliability: record.parameters.reliability)
    }

    /// W3C close(): starts the closing procedure (RFC 8831 §6.7) by resetting our
    /// outgoing stream; the channel is `.closing` until the peer has reset its side
    /// too, then `.closed`. A channel that never reached the peer closes at once. Does
    /// nothing for a channel already closing or closed, or an unknown handle.
    public mutating func close(_ channel: DataChannelID, at now: Instant) {
        if let phase = records[channel]?.phase, phase == .awaitingAck || phase == .established,
           let actions = drive(channel, .closeRequested), !actions.resetsOutgoingStream {
            return   // the channel's DCEP state machine keeps it open
        }
        startClosing(channel)
    }

    // MARK: - Output

    /// The next action, or nil when drained. Handing out one of our OPENs is what
    /// opens its channel: the `.stateChanged(.open)` comes right after it.
    public mutating func poll() -> DataChannelAction? {
        while let item = pending.pop() {
            switch item {
            case let .action(action):
                return action
            case let .openSent(id):
                guard records[id]?.phase == .awaitingOpenSent else { continue }
                records[id]?.phase = .awaitingAck
                return .event(.stateChanged(id, .open))
            }
        }
        return nil
    }

    /// When the registry next needs the time: never, it keeps no timer (a refused
    /// stream reset is retried when its refusal is reported, not after a delay).
    public var nextTimeout: Instant? { nil }

    // MARK: - Queries

    /// The channel's state; `.closed` for a handle that was given out and is gone, nil
    /// for one this registry never gave out.
    public func state(of channel: DataChannelID) -> DataChannelState? {
        if let record = records[channel] { return record.phase.publicState }
        return (0..<nextHandle).contains(channel.rawValue) ? .closed : nil
    }

    /// The channel's stream id, once it has one (nil when closed).
    public func stream(of channel: DataChannelID) -> UInt16? { records[channel]?.stream }

    /// The channel's parameters (nil when closed).
    public func parameters(of channel: DataChannelID) -> DataChannelParameters? { records[channel]?.parameters }

    /// The channel using `stream` now, if any.
    public func channel(onStream stream: UInt16) -> DataChannelID? { channelOnStream[stream] }

    /// Every channel not closed yet, in creation order.
    public var channels: [DataChannelID] { records.keys.sorted() }

    /// True between `transportUp` and `transportClosed`.
    public var isTransportUp: Bool { association != nil }
}

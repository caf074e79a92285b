import DataChannels
import Wire

/// One data channel with a W3C-shaped API (webrtc-pc §6.2).
///
/// Messages arrive on `messages` (one consumer), text as `.text` and binary as
/// `.binary`; a consumer that stops reading stops the sender (receive back-pressure,
/// see `RTCDataChannelMessages`); `send` throws when the message cannot go (not open, too large for
/// the peer, buffer full) so nothing is lost silently. `bufferedAmount` is a
/// snapshot refreshed by every `send` and every low-threshold event.
public final class RTCDataChannel: Sendable {
    /// The channel's handle inside its connection.
    public let channelID: DataChannelID
    /// W3C label.
    public let label: String
    /// W3C protocol.
    public let `protocol`: String
    /// W3C ordered.
    public let ordered: Bool
    /// W3C maxRetransmits.
    public let maxRetransmits: UInt32?
    /// W3C maxPacketLifeTime (milliseconds).
    public let maxPacketLifeTime: UInt32?
    /// W3C negotiated.
    public let negotiated: Bool
    /// Messages from the peer, in the order the channel delivers them; finishes when
    /// the channel closes. Bounded: unread messages past the connection's
    /// `channelReceiveQueueLimit` stop the connection reading from SCTP until read.
    public let messages: RTCDataChannelMessages
    /// Every readyState change (W3C onopen / onclosing / onclose).
    public let states: AsyncStream<DataChannelState>
    /// One element each time `bufferedAmount` falls to the threshold (W3C onbufferedamountlow).
    public let bufferedAmountLowEvents: AsyncStream<Void>

    private let connectionRef: WeakConnection
    private var connection: RTCPeerConnection? { connectionRef.value }
    private let stateSink: AsyncStream<DataChannelState>.Continuation
    private let lowSink: AsyncStream<Void>.Continuation
    private let mutable: Locked<Mutable>

    private struct Mutable {
        var state: DataChannelState = .connecting
        var stream: UInt16?
        var buffered = 0
        var threshold = 0
        var openWaiters: [CheckedContinuation<DataChannelState, Never>] = []
        var notes: [String] = []
    }

    init(connection: RTCPeerConnection?, id: DataChannelID, parameters: DataChannelParameters, stream: UInt16?) {
        let connectionRef = WeakConnection(connection)
        self.connectionRef = connectionRef
        channelID = id
        label = parameters.label
        self.protocol = parameters.protocol
        ordered = parameters.ordered
        switch parameters.reliability {
        case .reliable: (maxRetransmits, maxPacketLifeTime) = (nil, nil)
        case let .maxRetransmits(count): (maxRetransmits, maxPacketLifeTime) = (count, nil)
        case let .maxPacketLifeTime(ms): (maxRetransmits, maxPacketLifeTime) = (nil, ms)
        }
        negotiated = parameters.negotiatedID != nil
        let limit = connection?.configuration.channelReceiveQueueLimit ?? PeerConnectionConfiguration().channelReceiveQueueLimit
        messages = RTCDataChannelMessages(queue: ChannelReceiveQueue(limit: limit) {
            connectionRef.value?.receiveQueueChanged()
        })
        (states, stateSink) = AsyncStream.makeStream(of: DataChannelState.self)
        (bufferedAmountLowEvents, lowSink) = AsyncStream.makeStream(of: Void.self)
        var initial = Mutable()
        initial.stream = stream
        mutable = Locked(initial)
    }

    /// W3C readyState.
    public var readyState: DataChannelState { mutable.withLock { $0.state } }
    /// W3C id: the SCTP stream id (nil until the DTLS role is known).
    public var id: UInt16? { mutable.withLock { $0.stream } }
    /// W3C bufferedAmount: bytes queued and not yet sent (a snapshot).
    public var bufferedAmount: Int { mutable.withLock { $0.buffered } }
    /// Notes about the peer's behaviour on this channel (deprecated PPIDs, DCEP errors).
    public var notes: [String] { mutable.withLock { $0.notes } }

    /// W3C bufferedAmountLowThreshold.
    public var bufferedAmountLowThreshold: Int {
        get { mutable.withLock { $0.threshold } }
        set {
            let value = max(0, newValue)
            mutable.withLock { $0.threshold = value }
            let id = channelID
            Task { [connection] in
                try? await connection?.withCore { core, _ in core.setBufferedAmountLowThreshold(value, on: id) }
            }
        }
    }

    /// Waits until the channel is open (or closed/closing: then that state is returned).
    @discardableResult
    public func waitUntilOpen() async -> DataChannelState {
        await withCheckedContinuation { continuation in
            let current = mutable.withLock { state -> DataChannelState? in
                if state.state != .connecting { return state.state }
                state.openWaiters.append(continuation)
                return nil
            }
            if let current { continuation.resume(returning: current) }
        }
    }

    /// W3C send(string).
    public func send(_ text: String) async throws { try await send(.text(text)) }

    /// W3C send(ArrayBuffer).
    public func send(_ bytes: [UInt8]) async throws { try await send(.binary(bytes)) }

    /// Sends one message.
    /// - Throws: `PeerConnectionError` `.channelNotOpen`, `.messageTooLarge`, `.bufferFull`, `.closed`.
    public func send(_ message: DataChannelMessage) async throws {
        guard let connection else { throw PeerConnectionError(.closed, "the peer connection is gone") }
        let id = channelID
        let buffered = try await connection.withCore { core, _ -> Int in
            try core.send(message, on: id)
            return core.bufferedAmount(of: id)
        }
        mutable.withLock { $0.buffered = buffered }
    }

    /// Messages sent on this channel that SCTP gave up on (maxRetransmits or
    /// maxPacketLifeTime ran out, or the connection ended first); 0 on a reliable
    /// channel that stayed up. See `PeerConnectionCore.abandonedMessageCount(of:)`.
    public var abandonedMessageCount: Int {
        get async {
            let id = channelID
            return (try? await connection?.withCore { core, _ in core.abandonedMessageCount(of: id) }) ?? 0
        }
    }

    /// W3C close(): closing, then closed once the peer reset its stream too.
    public func close() async {
        let id = channelID
        try? await connection?.withCore { core, now in core.closeChannel(id, at: now) }
    }

    // MARK: - From the connection (host thread)

    func update(state newState: DataChannelState) {
        let (changed, waiters) = mutable.withLock { state -> (Bool, [CheckedContinuation<DataChannelState, Never>]) in
            guard state.state != newState, state.state != .closed else { return (false, []) }
            state.state = newState
            defer { state.openWaiters = [] }
            return (true, state.openWaiters)
        }
        guard changed else { return }
        stateSink.yield(newState)
        for waiter in waiters { waiter.resume(returning: newState) }
        if newState == .closed {
            messages.queue.finish()
            stateSink.finish()
            lowSink.finish()
        }
    }

    func setStream(_ stream: UInt16?) {
        guard let stream else { return }
        mutable.withLock { $0.stream = stream }
    }

    func deliver(_ message: DataChannelMessage) { messages.queue.put(message) }

    /// True while this channel's unread messages hold the connection's reading back.
    var isReceiveQueueFull: Bool { messages.queue.isFull }

    func bufferedAmountFell() {
        mutable.withLock { $0.buffered = min($0.buffered, $0.threshold) }
        lowSink.yield(())
    }

    func note(_ text: String) { mutable.withLock { $0.notes.append(text) } }
}

/// A weak reference to the channel's connection (a channel must not keep its
/// connection alive). `@unchecked Sendable`: written once in `init`; Swift's weak
/// loads are atomic, so reading from any thread is safe.
final class WeakConnection: @unchecked Sendable {
    weak var value: RTCPeerConnection?

    init(_ value: RTCPeerConnection?) { self.value = value }
}

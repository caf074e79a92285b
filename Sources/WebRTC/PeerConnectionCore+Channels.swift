import DataChannels
import DataTransport
import SCTP
import Wire

/// Data channels: W3C createDataChannel, send, close, bufferedAmount; DCEP's
/// actions carried out on the SCTP association.
extension PeerConnectionCore {
    /// W3C createDataChannel(): allowed before connecting (its stream id is then
    /// chosen once the DTLS role is known, RFC 8832 §6). A negotiated channel
    /// (`negotiatedID`) sends no DCEP and opens when SCTP is up.
    /// - Throws: `.channelIdUnavailable` for an id in use or beyond the stream
    ///   count, `.invalidArgument` for a label or protocol too long.
    public func createDataChannel(_ parameters: DataChannelParameters, at now: Instant) throws(PeerConnectionError) -> DataChannelID {
        self.now = max(self.now, now)
        guard !isClosed else { throw PeerConnectionError(.closed, "the peer connection is closed") }
        if let id = parameters.negotiatedID, id >= configuration.streamCount {
            throw PeerConnectionError(.channelIdUnavailable,
                "id \(id) is beyond the \(configuration.streamCount) streams this connection offers")
        }
        let channel: DataChannelID
        do {
            channel = try channels.open(parameters, at: self.now)
        } catch {
            throw Self.translate(error)
        }
        pump()
        return channel
    }

    /// W3C RTCDataChannel.send(): the message goes to SCTP at once, so a size or
    /// buffer refusal is thrown here, never a silent truncation.
    /// - Throws: `.channelNotOpen`, `.messageTooLarge` (over the peer's
    ///   `a=max-message-size` or ours), `.bufferFull`.
    public func send(_ message: DataChannelMessage, on channel: DataChannelID) throws(PeerConnectionError) {
        guard !isClosed else { throw PeerConnectionError(.closed, "the peer connection is closed") }
        guard let transport, sctpUp else {
            throw PeerConnectionError(.channelNotOpen, "the channel is not open yet (SCTP is not up)")
        }
        let limit = transport.association.maxMessageSize
        guard message.byteCount <= limit else {
            throw PeerConnectionError(.messageTooLarge,
                "a \(message.byteCount)-byte message exceeds the limit of \(limit) bytes (the peer's a=max-message-size, or ours); nothing was sent")
        }
        let outbound: OutboundMessage
        do {
            outbound = try channels.outbound(message, on: channel)
        } catch {
            throw Self.translate(error)
        }
        do {
            try transport.send(outbound.bytes, stream: outbound.stream, ppid: outbound.ppid.rawValue,
                               options: Self.sendOptions(outbound))
        } catch {
            throw Self.translate(error)
        }
        pump()
    }

    /// W3C RTCDataChannel.close(): the outgoing stream is reset after what is
    /// queued (RFC 8831 §6.7); `.closing`, then `.closed` once the peer resets its own.
    public func closeChannel(_ channel: DataChannelID, at now: Instant) {
        self.now = max(self.now, now)
        channels.close(channel, at: self.now)
        pump()
    }

    /// Bytes queued on the channel and not yet sent (W3C bufferedAmount).
    public func bufferedAmount(of channel: DataChannelID) -> Int {
        guard let transport, let stream = channels.stream(of: channel) else { return 0 }
        return transport.association.bufferedAmount(stream: stream)
    }

    /// Receive back-pressure for the whole connection: while paused no message is
    /// delivered, and what arrives waits in SCTP's receive buffer, whose free space is
    /// the window the peer may fill; once it is full the peer's SCTP stops sending (its
    /// `bufferedAmount` grows) and nothing is lost. SCTP has one receive window per
    /// association, so every channel stops. `RTCPeerConnection` pauses while any
    /// channel's queue of unread messages is over `channelReceiveQueueLimit`.
    public func setReceivingPaused(_ paused: Bool) {
        guard paused != receivingPaused else { return }
        receivingPaused = paused
        transport?.isReceivingPaused = paused
        pump()
    }

    /// True while `setReceivingPaused(true)` holds received messages back.
    public var isReceivingPaused: Bool { receivingPaused }

    /// Messages sent on the channel that SCTP gave up on (a partially reliable
    /// channel's retransmission or lifetime limit, RFC 3758; or the association ended
    /// before they left). A message counted here may still have reached the peer, when
    /// the SACK that acknowledged it was lost, so a channel's exact account is
    /// sent = delivered + abandoned − abandoned-but-delivered.
    public func abandonedMessageCount(of channel: DataChannelID) -> Int {
        abandonedMessages[channel] ?? 0
    }

    /// Sets the W3C bufferedAmountLowThreshold of a channel.
    public func setBufferedAmountLowThreshold(_ bytes: Int, on channel: DataChannelID) {
        lowThresholds[channel] = max(0, bytes)
        applyThreshold(channel)
    }

    func applyThreshold(_ channel: DataChannelID) {
        guard let transport, let stream = channels.stream(of: channel) else { return }
        transport.association.setBufferedAmountLowThreshold(lowThresholds[channel] ?? 0, stream: stream)
    }

    /// The largest message `send` accepts now (nil before SCTP is up).
    public var maxMessageSize: Int? { transport?.association.maxMessageSize }

    // MARK: - DCEP actions

    @discardableResult
    func drainChannels() -> Bool {
        var progressed = false
        while let action = channels.poll() {
            progressed = true
            switch action {
            case let .send(outbound):
                // DCEP's own messages (OPEN, ACK); a refusal closes only that channel.
                var bytes = outbound.bytes
                if outbound.ppid == .dcep, let codec = configuration.dcepOpenCodec { bytes = codec.outgoing(bytes) }
                do {
                    try transport?.send(bytes, stream: outbound.stream, ppid: outbound.ppid.rawValue,
                                        options: Self.sendOptions(outbound))
                } catch {
                    if let channel = channels.channel(onStream: outbound.stream) { channels.close(channel, at: now) }
                }
            case let .resetStreams(streams):
                do {
                    try transport?.association.resetStreams(streams)
                } catch {
                    // The association is gone or the streams are already resetting: nothing to undo.
                }
            case let .event(event):
                if case let .stateChanged(channel, .open) = event { applyThreshold(channel) }
                if case let .incoming(channel, _, _) = event { applyThreshold(channel) }
                outputs.emit(.channel(event))
            }
        }
        return progressed
    }

    static func sendOptions(_ outbound: OutboundMessage) -> SCTPSendOptions {
        let reliability: SCTPReliability = switch outbound.reliability {
        case .reliable: .reliable
        case let .maxRetransmits(count): .maxRetransmits(count)
        case let .maxPacketLifeTime(milliseconds): .maxLifetime(milliseconds: milliseconds)
        }
        return SCTPSendOptions(unordered: !outbound.ordered, reliability: reliability)
    }

    static func translate(_ error: DataChannelError) -> PeerConnectionError {
        let code: PeerConnectionError.Code = switch error.code {
        case .streamInUse, .streamOutOfRange, .wrongParity: .channelIdUnavailable
        case .notOpen: .channelNotOpen
        default: .invalidArgument
        }
        return PeerConnectionError(code, error.reason, origin: error.origin)
    }

    static func translate(_ error: DataTransportError) -> PeerConnectionError {
        switch error.sctpError?.code {
        case .messageTooLarge?: return PeerConnectionError(.messageTooLarge, error.reason)
        case .bufferFull?: return PeerConnectionError(.bufferFull, error.reason)
        case .streamResetting?, .invalidState?: return PeerConnectionError(.channelNotOpen, error.reason)
        default: return PeerConnectionError(error.code == .notConnected ? .channelNotOpen : .localFailure, error.reason)
        }
    }
}

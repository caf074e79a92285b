import CUsrsctp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SCTPAssociation {
    /// The largest message `send` accepts: our `maxMessageSize`, lowered to the peer's
    /// `a=max-message-size` when it is known (RFC 8841 §6).
    public var maxMessageSize: Int {
        ledger.withLock { ledger in min(configuration.maxMessageSize, ledger.peerMaxMessageSize ?? Int.max) }
    }

    /// The peer's advertised `a=max-message-size` (0 in SDP means "no limit": pass nil).
    public var peerMaxMessageSize: Int? {
        get { ledger.withLock { $0.peerMaxMessageSize } }
        set { ledger.withLock { $0.peerMaxMessageSize = newValue } }
    }

    /// Queues one message. It is refused, before anything is queued or sent, when it is
    /// empty or larger than `maxMessageSize` (`.messageTooLarge`), when the stream is out
    /// of range or being reset, when the association is shutting down or closed, or
    /// when it would push `bufferedAmount` above `maxBufferedAmount` (`.bufferFull`).
    /// Messages sent before `.associationUp` (also those sent before a `shutdown()`
    /// called while connecting) wait in the queue and go out once it is up; if it never
    /// comes up each fails as `.sendFailed(wasTransmitted: false)`.
    ///
    /// Returns the message's id (never 0; it wraps after 2³² − 1 messages), which a
    /// `.sendFailed` report about this message carries as `messageID`.
    @discardableResult
    public func send(_ bytes: [UInt8], stream: UInt16, ppid: UInt32,
                     options: SCTPSendOptions = SCTPSendOptions()) throws(SCTPError) -> UInt32 {
        let limit = maxMessageSize
        guard bytes.count <= limit else {
            throw SCTPError(.messageTooLarge, "a \(bytes.count)-byte message exceeds the maximum message size of \(limit) bytes; nothing was sent")
        }
        guard !bytes.isEmpty else {
            throw SCTPError(.invalidArgument, "SCTP cannot carry an empty message (RFC 8831 §6.6 sends one zero byte with an EMPTY PPID instead)")
        }
        return try runtime.perform { () throws(SCTPError) -> UInt32 in
            let id = try ledger.withLock { ledger throws(SCTPError) -> UInt32 in
                switch ledger.phase {
                case .idle, .connecting, .established: break
                default: throw SCTPError(.invalidState, "cannot send in state \(ledger.phase)")
                }
                guard stream < ledger.outboundStreams else {
                    throw SCTPError(.invalidStream, "stream \(stream) is not below the \(ledger.outboundStreams) outbound streams")
                }
                guard !ledger.resetting.contains(stream) else {
                    throw SCTPError(.streamResetting, "stream \(stream) is being reset; reuse it after its outgoing .streamReset event")
                }
                guard ledger.bufferedTotal + bytes.count <= configuration.maxBufferedAmount else {
                    throw SCTPError(.bufferFull, "\(ledger.bufferedTotal) bytes are buffered; \(bytes.count) more would exceed maxBufferedAmount \(configuration.maxBufferedAmount)")
                }
                return ledger.enqueue(.init(bytes: bytes, stream: stream, ppid: ppid, options: options))
            }
            flushLocked()
            return id
        }
    }

    /// Resets these outgoing streams (RFC 6525 §5.1.2; RFC 8831 §6.7 closes a data
    /// channel this way). Messages already queued on them go out first. Until the
    /// `.streamReset(direction: .outgoing)` event, sends on them throw `.streamResetting`.
    /// Only an established association resets streams: before `.associationUp` (and
    /// once shutting down) this throws `.invalidState`.
    public func resetStreams(_ streams: [UInt16]) throws(SCTPError) {
        guard !streams.isEmpty else { throw SCTPError(.invalidArgument, "no streams to reset") }
        try runtime.perform { () throws(SCTPError) in
            try ledger.withLock { ledger throws(SCTPError) in
                guard ledger.phase == .established else {
                    throw SCTPError(.invalidState, "streams can be reset only on an established association (state \(ledger.phase))")
                }
                for stream in streams {
                    guard stream < ledger.outboundStreams else {
                        throw SCTPError(.invalidStream, "stream \(stream) is not below the \(ledger.outboundStreams) outbound streams")
                    }
                    guard !ledger.resetting.contains(stream) else {
                        throw SCTPError(.streamResetting, "stream \(stream) is already being reset")
                    }
                }
                for stream in Set(streams) {
                    ledger.resetting.insert(stream)
                    ledger.resetWaiting.append(stream)
                }
            }
            flushLocked()
        }
    }

    /// Bytes accepted by `send` and not yet transmitted once, over all streams.
    public var bufferedAmount: Int { ledger.withLock { $0.bufferedTotal } }

    /// Bytes accepted by `send` on `stream` and not yet transmitted once.
    public func bufferedAmount(stream: UInt16) -> Int { ledger.withLock { $0.buffered[stream] ?? 0 } }

    /// Reports `.bufferedAmountLow(stream:)` whenever the stream's buffered amount falls
    /// from above `bytes` to at or below it; nil turns the report off.
    public func setBufferedAmountLowThreshold(_ bytes: Int?, stream: UInt16) {
        ledger.withLock { $0.streamThresholds[stream] = bytes }
    }

    /// The association-wide threshold for `.bufferedAmountLow(stream: nil)`; nil = off.
    public var bufferedAmountLowThreshold: Int? {
        get { ledger.withLock { $0.associationThreshold } }
        set { ledger.withLock { $0.associationThreshold = newValue } }
    }

    /// Reads what usrsctp delivered, moves queued messages into usrsctp while its send
    /// buffer has room, then issues waiting stream resets and a requested shutdown. Runs in the serial section; the
    /// ledger lock is never held across a usrsctp call (callbacks take it).
    func flushLocked() {
        // Every usrsctp call that can abandon data (input, timers, sends) ends here.
        defer {
            readReceivedLocked()
            ledger.withLock { $0.flushFragmentFailures() }
        }
        // First what usrsctp delivered (COMM_UP among it decides what follows).
        readReceivedLocked()
        guard let (socket, phase, up) = ledger.withLock({ ledger -> (SCTPSocket, SCTPAssociationState, Bool)? in
            ledger.socket.map { ($0, ledger.phase, ledger.hasBeenUp) }
        }) else { return }
        // Nothing reaches usrsctp before COMM_UP, even after shutdown() while connecting:
        // queued messages then fail one event per message if the association never starts.
        guard up, phase == .established || phase == .shuttingDown else { return }
        while var message = ledger.withLock({ $0.peekPending() }) {
            // The lifetime counts from send() (RFC 8831 §6.6): usrsctp gets only what is
            // left, and a message whose lifetime ran out in the queue is never handed over.
            let remaining = message.options.reliability.remaining(after: ContinuousClock.now - message.acceptedAt)
            var error: Int32 = 0
            if let remaining {
                message.options.reliability = remaining
                error = sendMessage(message, on: socket)
                if error == EWOULDBLOCK || error == EAGAIN { break }   // usrsctp's buffer is full: next time
            }
            ledger.withLock { ledger in
                ledger.dropFirstPending()
                if remaining == nil || error != 0 {
                    ledger.reportFailure(SCTPSendFailure(stream: message.stream, ppid: message.ppid,
                                                         byteCount: message.bytes.count, wasTransmitted: false,
                                                         messageID: message.serial))
                }
            }
        }
        issueWaitingResets(on: socket)
        let shutdownNow = ledger.withLock { ledger -> Bool in
            guard ledger.shutdownRequested, !ledger.shutdownIssued, !ledger.hasPending else { return false }
            ledger.shutdownIssued = true
            return true
        }
        if shutdownNow { _ = usrsctp_shutdown(socket.pointer, Int32(SHUT_WR)) }
    }

    private func issueWaitingResets(on socket: SCTPSocket) {
        let ready = ledger.withLock { ledger -> [UInt16] in
            // Streams with messages still in our queue wait: the reset must follow them.
            let ready = ledger.resetWaiting.filter { !ledger.hasPending(on: [$0]) }
            ledger.resetWaiting.removeAll { ready.contains($0) }
            return ready
        }
        guard !ready.isEmpty else { return }
        let error = requestReset(ready, on: socket)
        ledger.withLock { ledger in
            switch error {
            case 0: break
            case EALREADY, EBUSY, EAGAIN, EINPROGRESS:
                ledger.resetWaiting.append(contentsOf: ready)   // one request at a time (RFC 6525 §5.1.1)
            default:
                for stream in ready { ledger.resetting.remove(stream) }
                ledger.emit(.streamReset(SCTPStreamReset(direction: .outgoing, streams: ready, succeeded: false)))
            }
        }
    }
}

import DataChannels
import Wire

/// The messages of one `RTCDataChannel`, in the order the channel delivers them:
/// an `AsyncSequence` for one consumer at a time (like `AsyncStream`; a new
/// iterator continues where the last one stopped), which ends when the channel
/// closes, after the messages still queued.
///
/// Its queue is bounded by reading, not by dropping: once the unread messages pass
/// `PeerConnectionConfiguration.channelReceiveQueueLimit` bytes, the connection stops
/// reading from SCTP, so the peer's SCTP stops at the receive window and its
/// `bufferedAmount` grows; once the consumer has read the queue down to half the
/// limit, reading resumes. A consumer that stops iterating stops the sender, and
/// nothing is lost.
public struct RTCDataChannelMessages: AsyncSequence, Sendable {
    public typealias Element = DataChannelMessage
    public typealias Failure = Never

    let queue: ChannelReceiveQueue

    /// An iterator; `next()` returns nil once the channel closed and the queue is
    /// empty, or when the waiting task is cancelled.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = DataChannelMessage
        public typealias Failure = Never

        let queue: ChannelReceiveQueue

        /// The next message, waiting for one if none is queued.
        public mutating func next() async -> DataChannelMessage? { await queue.next() }
    }

    /// Starts reading where the previous iterator stopped.
    public func makeAsyncIterator() -> Iterator { Iterator(queue: queue) }

    /// Bytes of messages delivered to the channel and not read yet.
    public var queuedBytes: Int { queue.queuedBytes }

    /// The most `queuedBytes` has been since the channel opened.
    public var peakQueuedBytes: Int { queue.peakBytes }
}

/// The bounded queue behind `RTCDataChannelMessages`: filled on the host thread,
/// read by one consumer task.
final class ChannelReceiveQueue: Sendable {
    private struct State {
        var messages = FIFO<DataChannelMessage>()
        var bytes = 0
        var peak = 0
        var finished = false
        var full = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<DataChannelMessage?, Never>)?
        var nextWaiterID: UInt64 = 0

        /// Takes the oldest message; `drained` when that brought a full queue down to half its limit.
        mutating func pop(limit: Int) -> (message: DataChannelMessage, drained: Bool)? {
            guard let message = messages.pop() else { return nil }
            bytes -= message.byteCount
            let drained = full && bytes <= limit / 2
            if drained { full = false }
            return (message, drained)
        }
    }

    private let state = Locked(State())
    /// Unread bytes above which the queue counts as full.
    let limit: Int
    /// Called outside the lock when the queue becomes full or stops being full; the
    /// receiver reads `isFull` (calls from two threads may arrive in either order).
    private let fullnessChanged: @Sendable () -> Void

    init(limit: Int, fullnessChanged: @escaping @Sendable () -> Void) {
        self.limit = max(1, limit)
        self.fullnessChanged = fullnessChanged
    }

    /// True while the unread messages exceed `limit` (until read down to half of it).
    var isFull: Bool { state.withLock { $0.full } }
    var queuedBytes: Int { state.withLock { $0.bytes } }
    var peakBytes: Int { state.withLock { $0.peak } }

    /// A message from the channel (host thread). Dropped once the queue is finished.
    func put(_ message: DataChannelMessage) {
        let limit = self.limit
        let (waiter, becameFull) = state.withLock { state -> (CheckedContinuation<DataChannelMessage?, Never>?, Bool) in
            guard !state.finished else { return (nil, false) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter.continuation, false)
            }
            state.messages.append(message)
            state.bytes += message.byteCount
            state.peak = max(state.peak, state.bytes)
            guard !state.full, state.bytes > limit else { return (nil, false) }
            state.full = true
            return (nil, true)
        }
        waiter?.resume(returning: message)
        if becameFull { fullnessChanged() }
    }

    /// The channel closed: the consumer reads what is queued, then nil. A closed
    /// channel no longer holds the connection's reading back.
    func finish() {
        let (waiter, wasFull) = state.withLock { state -> (CheckedContinuation<DataChannelMessage?, Never>?, Bool) in
            state.finished = true
            defer {
                state.waiter = nil
                state.full = false
            }
            return (state.waiter?.continuation, state.full)
        }
        waiter?.resume(returning: nil)
        if wasFull { fullnessChanged() }
    }

    func next() async -> DataChannelMessage? {
        let limit = self.limit
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID &+= 1
            return state.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<DataChannelMessage?, Never>) in
                let (ready, drained) = state.withLock { state -> (DataChannelMessage??, Bool) in
                    if let (message, drained) = state.pop(limit: limit) { return (.some(message), drained) }
                    if state.finished || Task.isCancelled { return (.some(nil), false) }
                    state.waiter = (id, continuation)
                    return (nil, false)
                }
                if drained { fullnessChanged() }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<DataChannelMessage?, Never>? in
                guard let waiter = state.waiter, waiter.id == id else { return nil }
                state.waiter = nil
                return waiter.continuation
            }
            waiter?.resume(returning: nil)
        }
    }
}

/// The mutable state of one association, behind its ledger lock: the output FIFO,
/// the bounded send queue, buffered-amount accounting, stream-reset bookkeeping and
/// receive reassembly. Pure bookkeeping: it never calls usrsctp, so the runtime's
/// callbacks may update it from inside usrsctp calls.
package struct AssociationLedger {
    /// A message accepted by `send` and not yet taken by usrsctp.
    package struct PendingMessage {
        package var bytes: [UInt8]
        package var stream: UInt16
        package var ppid: UInt32
        package var options: SCTPSendOptions
        /// Set by `enqueue`; sent as `snd_context` so failure reports name the message.
        package var serial: UInt32 = 0
        /// When `send` accepted it: a PR-SCTP lifetime counts from here, not from the
        /// moment usrsctp takes the message (see `SCTPReliability.remaining(after:)`).
        package var acceptedAt: ContinuousClock.Instant

        package init(bytes: [UInt8], stream: UInt16, ppid: UInt32, options: SCTPSendOptions,
                     acceptedAt: ContinuousClock.Instant = .now) {
            self.bytes = bytes
            self.stream = stream
            self.ppid = ppid
            self.options = options
            self.acceptedAt = acceptedAt
        }
    }

    var socket: SCTPSocket?
    var phase: SCTPAssociationState = .idle
    var outboundStreams: UInt16
    var statistics = SCTPStatistics()
    var peerMaxMessageSize: Int?
    var onOutputReady: (@Sendable () -> Void)?
    /// Set when output is queued; cleared by the wake-up or by `poll()` running dry.
    var outputArrived = false
    /// Set while `handle(packet:)` feeds a packet carrying an ABORT chunk, so COMM_LOST
    /// can be told apart from a dead peer.
    var inputCarriesAbort = false
    /// Packets that arrived before `connect()` (the peer connected first), replayed
    /// after it: an INIT reaching a socket that is neither connecting nor listening
    /// would be answered with ABORT.
    var earlyPackets: [[UInt8]] = []
    /// At most this many early packets are kept (a peer sends INIT and a few retransmissions).
    static let earlyPacketLimit = 16
    /// Set at COMM_UP: until then nothing is handed to usrsctp (see `flushLocked`).
    var hasBeenUp = false
    /// Set by ADDR_UNREACHABLE, cleared by the next ADDR_AVAILABLE/CONFIRMED.
    var pathUnreachable = false
    /// Abandoned messages whose pieces are being summed, by send context (see `reportFragmentFailure`).
    var fragmentFailures: [(context: UInt32, failure: SCTPSendFailure)] = []
    /// Send contexts of messages reported lately, oldest first.
    var recentlyAbandoned: [UInt32] = []
    /// The `snd_context` of the next message handed to `enqueue`.
    var nextSerial: UInt32 = 1
    var shutdownRequested = false
    var shutdownIssued = false
    /// Streams whose outgoing reset is queued or in flight (sends refused).
    var resetting: Set<UInt16> = []
    /// Resets not yet handed to usrsctp.
    var resetWaiting: [UInt16] = []
    /// Bytes accepted by `send` and not yet transmitted once, per stream.
    package var buffered: [UInt16: Int] = [:]
    package var bufferedTotal = 0
    package var streamThresholds: [UInt16: Int] = [:]
    package var associationThreshold: Int?
    /// Keeps the association alive while the peer's window is closed (RFC 9260 §6.1 A).
    package var zeroWindow = ZeroWindowWatch(silence: .seconds(100))
    /// Set by `pauseReceiving()`: received data stays in usrsctp's buffer (see SCTPAssociation+Receiving).
    var receivePaused = false
    /// A notification read in pieces so far.
    var pendingNotification: [UInt8] = []
    /// The newest TSN seen leaving: DATA at or below it is a retransmission.
    var highestTSN: UInt32?
    /// The unacknowledged FORWARD-TSN to repeat (set by the association; see ForwardTSNWatch).
    package var forwardTSN: ForwardTSNWatch?

    private var outputs: [SCTPOutput] = []
    private var outputHead = 0
    private var pending: [PendingMessage] = []
    private var pendingHead = 0
    /// Partial deliveries being reassembled, by stream and U flag.
    private var reassembly: [UInt32: [UInt8]] = [:]
    /// Streams whose current message is being discarded (too large).
    private var discarding: [UInt32: Int] = [:]

    package init(outboundStreams: UInt16) { self.outboundStreams = outboundStreams }

    // MARK: Output FIFO

    mutating func emit(_ event: SCTPEvent) { append(.event(event)) }

    mutating func append(_ output: SCTPOutput) {
        outputs.append(output)
        outputArrived = true
    }

    package mutating func pop() -> SCTPOutput? {
        guard outputHead < outputs.count else {
            outputs.removeAll(keepingCapacity: true)
            outputHead = 0
            outputArrived = false
            return nil
        }
        let output = outputs[outputHead]
        outputHead += 1
        Self.compact(&outputs, head: &outputHead)
        return output
    }

    /// Drops the consumed front of a head-indexed FIFO once it is at least half the
    /// storage. Why: emptying only when the FIFO runs dry leaks every consumed element
    /// (packets, message bytes) for as long as a busy association never drains fully;
    /// halving keeps the copy amortised O(1) per element.
    private static func compact<T>(_ storage: inout [T], head: inout Int) {
        guard head >= compactionMinimum, head * 2 >= storage.count else { return }
        storage.removeFirst(head)
        head = 0
    }

    /// Consumed elements tolerated before compacting (small FIFOs never copy).
    static let compactionMinimum = 64

    /// Elements held by the output FIFO, consumed ones included (for tests).
    var outputStorageCount: Int { outputs.count }

    /// Elements held by the send queue, consumed ones included (for tests).
    var pendingStorageCount: Int { pending.count }

    // MARK: Send queue

    var hasPending: Bool { pendingHead < pending.count }

    func peekPending() -> PendingMessage? { hasPending ? pending[pendingHead] : nil }

    mutating func dropFirstPending() {
        pendingHead += 1
        if pendingHead == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
        } else {
            Self.compact(&pending, head: &pendingHead)
        }
    }

    func hasPending(on streams: Set<UInt16>) -> Bool {
        pending[pendingHead...].contains { streams.contains($0.stream) }
    }

    /// Queues a message and returns its id (its `snd_context` serial).
    @discardableResult
    package mutating func enqueue(_ message: PendingMessage) -> UInt32 {
        var message = message
        defer { nextSerial = nextSerial == UInt32.max ? 1 : nextSerial + 1 }
        message.serial = nextSerial
        pending.append(message)
        buffered[message.stream, default: 0] += message.bytes.count
        bufferedTotal += message.bytes.count
        statistics.messagesSent += 1
        statistics.bytesSent += message.bytes.count
        return message.serial
    }

    /// Everything still queued fails as unsent (the association ended).
    package mutating func failAllPending() {
        flushFragmentFailures()
        while let message = peekPending() {
            dropFirstPending()
            reportFailure(SCTPSendFailure(stream: message.stream, ppid: message.ppid,
                                          byteCount: message.bytes.count, wasTransmitted: false,
                                          messageID: message.serial))
        }
        for stream in Array(buffered.keys) { consume(stream: stream, bytes: buffered[stream] ?? 0) }
    }

    /// One SCTP_SEND_FAILED_EVENT. usrsctp 0.9.5.0 sends one per DATA chunk of an
    /// abandoned message (measured: 30 5,000-byte messages under 40 % loss came back as
    /// 91 reports of 1,100-byte pieces and 600-byte tails), so pieces are summed per
    /// message (the `snd_context` serial we sent it with) and reported once by
    /// `flushFragmentFailures` when the usrsctp call that returned them is over.
    /// Pieces of a message already reported (abandoned in a later round) add only bytes.
    mutating func reportFragmentFailure(_ piece: SCTPSendFailure, context: UInt32) {
        statistics.bytesAbandoned += piece.byteCount
        // Unsent pieces leave the buffered amount as they come back (sent ones already left).
        if !piece.wasTransmitted { consume(stream: piece.stream, bytes: piece.byteCount) }
        if let index = fragmentFailures.firstIndex(where: { $0.context == context }) {
            fragmentFailures[index].failure.byteCount += piece.byteCount
            fragmentFailures[index].failure.wasTransmitted = fragmentFailures[index].failure.wasTransmitted || piece.wasTransmitted
        } else if !recentlyAbandoned.contains(context) {
            fragmentFailures.append((context, piece))
        }
    }

    /// Reports each message whose pieces came back, once.
    mutating func flushFragmentFailures() {
        guard !fragmentFailures.isEmpty else { return }
        for (context, failure) in fragmentFailures {
            statistics.messagesAbandoned += 1
            emit(.sendFailed(failure))
            recentlyAbandoned.append(context)
        }
        fragmentFailures.removeAll(keepingCapacity: true)
        if recentlyAbandoned.count > Self.recentlyAbandonedLimit {
            recentlyAbandoned.removeFirst(recentlyAbandoned.count - Self.recentlyAbandonedLimit)
        }
    }

    /// Contexts of reported messages remembered to recognise their late pieces (a
    /// message's fragments are abandoned within a few round trips of each other).
    static let recentlyAbandonedLimit = 256

    /// Counts one failed message (never handed to usrsctp, or refused by it) and reports it.
    mutating func reportFailure(_ failure: SCTPSendFailure) {
        statistics.messagesAbandoned += 1
        statistics.bytesAbandoned += failure.byteCount
        if !failure.wasTransmitted { consume(stream: failure.stream, bytes: failure.byteCount) }
        emit(.sendFailed(failure))
    }

    // MARK: Buffered amount

    /// Accounts for a packet usrsctp transmits: DATA chunks with a TSN newer than any
    /// seen before leave the buffered amount (retransmissions don't count twice).
    package mutating func accountTransmission(_ packet: [UInt8]) {
        statistics.packetsSent += 1
        statistics.largestPacketSent = max(statistics.largestPacketSent, packet.count)
        forwardTSN?.sent(packet)
        for chunk in SCTPChunkScan.dataChunks(in: packet) {
            if let highest = highestTSN, !SCTPChunkScan.isNewer(chunk.tsn, than: highest) { continue }
            highestTSN = chunk.tsn
            consume(stream: chunk.stream, bytes: chunk.userDataLength)
        }
    }

    /// Lowers a stream's buffered amount, reporting threshold crossings (W3C
    /// bufferedamountlow semantics: from above the threshold to at or below it).
    mutating func consume(stream: UInt16, bytes: Int) {
        guard bytes > 0, let before = buffered[stream], before > 0 else { return }
        let taken = min(before, bytes)
        let after = before - taken
        buffered[stream] = after == 0 ? nil : after
        let totalBefore = bufferedTotal
        bufferedTotal -= taken
        if let threshold = streamThresholds[stream], before > threshold, after <= threshold {
            emit(.bufferedAmountLow(stream: stream))
        }
        if let threshold = associationThreshold, totalBefore > threshold, bufferedTotal <= threshold {
            emit(.bufferedAmountLow(stream: nil))
        }
    }

    /// Everything was sent and acknowledged: nothing is buffered any more (a safety
    /// net for accounting that a jump in TSNs could otherwise leave behind).
    mutating func senderDry() {
        if !hasPending { for stream in Array(buffered.keys) { consume(stream: stream, bytes: buffered[stream] ?? 0) } }
        emit(.senderDry)
    }

    // MARK: Receive

    /// One piece of a message read from usrsctp; whole messages become events.
    package mutating func receive(_ piece: UnsafeRawBufferPointer, stream: UInt16, ppid: UInt32,
                          unordered: Bool, endOfRecord: Bool, maxMessageSize: Int) {
        let key = UInt32(stream) << 1 | (unordered ? 1 : 0)
        if let dropped = discarding[key] {
            discarding[key] = endOfRecord ? nil : dropped + piece.count
            if endOfRecord { emit(.messageDiscarded(stream: stream, byteCount: dropped + piece.count)) }
            return
        }
        let sofar = reassembly[key]?.count ?? 0
        guard sofar + piece.count <= maxMessageSize else {
            reassembly[key] = nil
            if endOfRecord {
                emit(.messageDiscarded(stream: stream, byteCount: sofar + piece.count))
            } else {
                discarding[key] = sofar + piece.count
            }
            return
        }
        if endOfRecord {
            var bytes = reassembly.removeValue(forKey: key) ?? []
            bytes.append(contentsOf: piece)
            statistics.messagesReceived += 1
            statistics.bytesReceived += bytes.count
            emit(.message(SCTPMessage(stream: stream, ppid: ppid, bytes: bytes, unordered: unordered)))
        } else {
            reassembly[key, default: []].append(contentsOf: piece)
        }
    }

    /// The peer abandoned a partially delivered message: drop what arrived of it.
    package mutating func abortPartialDelivery(stream: UInt16) {
        for unordered in [false, true] {
            let key = UInt32(stream) << 1 | (unordered ? 1 : 0)
            reassembly[key] = nil
            discarding[key] = nil
        }
        emit(.partialDeliveryAborted(stream: stream))
    }
}

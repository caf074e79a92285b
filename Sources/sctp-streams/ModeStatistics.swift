import Wire

/// What one delivery mode's train did, counted on both ends.
///
/// "Out of order" is judged per stream: a message is out of order when a later
/// message of the same stream was delivered before it. "Lost" is what never
/// arrived (final: the run waits for every message's fate, see `inFlight`);
/// "abandoned" is what the sender's SCTP reported giving up on (PR-SCTP sends a
/// FORWARD-TSN for it, RFC 3758 §3.5), so for a reliable mode both stay 0.
struct ModeStatistics {
    let mode: DeliveryMode
    let streams: Int
    /// Messages handed to SCTP.
    private(set) var sent = 0
    /// Messages delivered to the receiving application (duplicates excluded).
    private(set) var delivered = 0
    /// Messages the sender's SCTP abandoned (send-failed notifications).
    var abandoned = 0
    /// Messages neither delivered nor abandoned when the run stopped waiting for them
    /// (the settle deadline): their fate is unknown, so they are not counted as lost.
    var inFlight = 0
    /// Deliveries that came after a later message of the same stream (the overtaken
    /// message is counted, once, not each message that overtook it).
    private(set) var outOfOrder = 0
    /// Deliveries of a message already delivered (SCTP must never do this).
    private(set) var duplicates = 0
    /// Deliveries whose bytes were not what was sent.
    private(set) var corrupted = 0
    /// Payload bytes delivered.
    private(set) var deliveredBytes = 0
    /// One-way delivery latency of each delivered message, in nanoseconds.
    private(set) var latencies: [Int64] = []
    private(set) var firstSentAt: Instant?
    private(set) var lastDeliveredAt: Instant?
    /// Per stream: the highest sequence delivered so far, and which were seen.
    private var highest: [Int64]
    private var seen: [Set<UInt32>]

    init(mode: DeliveryMode, streams: Int) {
        self.mode = mode
        self.streams = streams
        highest = Array(repeating: -1, count: streams)
        seen = Array(repeating: [], count: streams)
    }

    /// Counts one message handed to SCTP.
    mutating func noteSent(at now: Instant) {
        sent += 1
        if firstSentAt == nil { firstSentAt = now }
    }

    /// Counts one delivery of `stamp`'s message (`size` bytes, `intact` filler) at `now`.
    mutating func noteDelivered(_ stamp: MessageStamp, size: Int, intact: Bool, at now: Instant) {
        guard stamp.streamIndex < streams else {
            corrupted += 1
            return
        }
        guard seen[stamp.streamIndex].insert(stamp.sequence).inserted else {
            duplicates += 1
            return
        }
        delivered += 1
        if !intact { corrupted += 1 }
        deliveredBytes += size
        latencies.append(max(0, (now - stamp.sentAt).totalNanoseconds))
        lastDeliveredAt = max(lastDeliveredAt ?? now, now)
        if Int64(stamp.sequence) < highest[stamp.streamIndex] {
            outOfOrder += 1
        } else {
            highest[stamp.streamIndex] = Int64(stamp.sequence)
        }
    }

    /// Counts a delivery that is not a message of this train (wrong stream, no stamp).
    mutating func noteForeign() { corrupted += 1 }

    /// Messages that never arrived: sent - delivered once the run settled, less those
    /// still in flight when it stopped waiting.
    var lost: Int { max(0, sent - delivered - inFlight) }

    /// The latency below which `fraction` of the deliveries fall (nearest rank), in ms.
    func latencyPercentile(_ fraction: Double) -> Double? {
        guard !latencies.isEmpty else { return nil }
        let sorted = latencies.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1_000_000
    }

    /// How far above the median latency a delivery counts as late: well above the
    /// jitter of an undisturbed delivery, well below a retransmission's cost.
    static let lateMargin = 5.0

    /// Deliveries more than `lateMargin` ms slower than the median: messages that
    /// were retransmitted themselves, or (ordered modes) waited behind one that was.
    var late: Int {
        guard let median = latencyPercentile(0.5) else { return 0 }
        let limit = Int64((median + Self.lateMargin) * 1_000_000)
        return latencies.reduce(0) { $0 + ($1 > limit ? 1 : 0) }
    }

    /// Delivered payload bytes per second, from the first send to the last delivery.
    var throughputBytesPerSecond: Double? {
        guard let first = firstSentAt, let last = lastDeliveredAt, last > first else { return nil }
        return Double(deliveredBytes) / ((last - first).milliseconds / 1000)
    }

    /// The span from the first send to the last delivery, in ms.
    var durationMs: Double? {
        guard let first = firstSentAt, let last = lastDeliveredAt else { return nil }
        return (last - first).milliseconds
    }
}

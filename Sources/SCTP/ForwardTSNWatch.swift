import Wire

/// Repeats a FORWARD-TSN (RFC 3758 §3.2) that the peer has not acknowledged, so an
/// unreliable ORDERED stream does not stall for seconds behind an abandoned message.
///
/// Why: usrsctp (0.9.5.0) sends a FORWARD-TSN when it abandons a message, on a
/// SACK that leaves its Advanced.Peer.Ack.Point ahead (RFC 3758 §3.5 C1-C3), and when
/// T3-rtx expires (§3.5 A5). It advances that point only over consecutive abandoned
/// TSNs (C2: a gap-acknowledged TSN stops it; NR-SACK does not help, ordered data
/// in the reorder queue stays renegable), so k holes interleaved with received
/// messages take k FORWARD-TSN/SACK round trips while the received messages wait
/// in the peer's reorder queue. After the last message no new DATA means no SACK:
/// each lost FORWARD-TSN or answering SACK then waits for T3-rtx, whose RTO the
/// losses have backed off towards RTO.Max (RFC 9260 §6.3.3 E2) and which only a new
/// RTT sample (new DATA) lowers again. Measured in memory (25 % loss, 10 ms one-way,
/// 100 messages one every 5 ms, RTO.Min 50 ms, RTO.Max 3 s, 8 seeds, twice): 3 of 8
/// seeds took 1.7 to 9.9 s from the last send until every message was delivered or
/// abandoned; with this watch none took more than 0.6 s.
///
/// What: the newest FORWARD-TSN (or I-FORWARD-TSN, RFC 8260 §2.3.1) leaving is kept
/// as a packet of its own (the original common header, verification tag
/// included, and that chunk, checksum recomputed). Until a SACK or NR-SACK
/// acknowledges its New Cumulative TSN it is repeated every RTO.Min (3 times), then
/// twice as long each time up to RTO.Max, at most `limit` times. A repeat is harmless: a
/// receiver whose cumulative TSN is already there treats it as a duplicate and
/// answers with a SACK (RFC 3758 §3.6), and that SACK lets usrsctp send the next
/// FORWARD-TSN at once (C3). Pure bookkeeping: time comes in as an argument.
package struct ForwardTSNWatch {
    /// Repeats sent RTO.Min apart before the backoff starts.
    package static let quickRepeats = 3
    /// Chunk type FORWARD-TSN (RFC 3758 §3.2).
    package static let forwardTSN: UInt8 = 192
    /// Chunk type I-FORWARD-TSN (RFC 8260 §2.3.1): the New Cumulative TSN sits at the same place.
    package static let iForwardTSN: UInt8 = 194
    /// Chunk type SACK (RFC 9260 §3.3.4).
    package static let sack: UInt8 = 3
    /// Chunk type NR-SACK (usrsctp's non-renegable SACK): the Cumulative TSN Ack sits at the same place.
    package static let nrSack: UInt8 = 16

    /// First wait (RTO.Min) and longest wait (RTO.Max) before a repeat.
    private let base: Duration
    private let ceiling: Duration
    /// Repeats of one FORWARD-TSN at most (usrsctp's own T3-rtx keeps going after).
    package let limit: Int

    /// The FORWARD-TSN alone in a packet, and its New Cumulative TSN.
    package private(set) var packet: [UInt8]?
    package private(set) var newCumulativeTSN: UInt32 = 0
    private var due: ContinuousClock.Instant?
    private var interval: Duration
    package private(set) var repeats = 0
    /// Set when a FORWARD-TSN left and its timer starts at the next `repeatIfDue`.
    private var armed = false

    package init(rtoMin: Duration, rtoMax: Duration, limit: Int) {
        base = rtoMin
        ceiling = max(rtoMin, rtoMax)
        interval = rtoMin
        self.limit = limit
    }

    /// Looks at a packet usrsctp transmits: a FORWARD-TSN in it becomes the one to watch.
    package mutating func sent(_ packet: [UInt8]) {
        guard let chunk = SCTPChunkScan.chunks(in: packet).last(where: {
            ($0.type == Self.forwardTSN || $0.type == Self.iForwardTSN) && $0.length >= 8
        }), let cumulative = Self.cumulativeTSN(of: chunk, in: packet) else { return }
        if self.packet == nil || SCTPChunkScan.isNewer(cumulative, than: newCumulativeTSN) {
            interval = base   // news: start the backoff over
            repeats = 0
        }
        let alone = Array(packet[..<SCTPChunkScan.commonHeaderLength]) + packet[chunk.offset..<(chunk.offset + chunk.length)]
            + [UInt8](repeating: 0, count: (4 - chunk.length % 4) % 4)
        self.packet = SCTPChecksum.sealed(alone)
        newCumulativeTSN = cumulative
        due = nil
        armed = true
    }

    /// Looks at a packet from the peer: a SACK at or past the New Cumulative TSN ends the watch.
    package mutating func received(_ packet: [UInt8]) {
        guard self.packet != nil else { return }
        for chunk in SCTPChunkScan.chunks(in: packet) where chunk.type == Self.sack || chunk.type == Self.nrSack {
            if let ack = Self.cumulativeTSN(of: chunk, in: packet), !SCTPChunkScan.isNewer(newCumulativeTSN, than: ack) {
                self.packet = nil
                due = nil
                armed = false
                return
            }
        }
    }

    /// Drops the watched FORWARD-TSN: after a restart (RFC 9260 §5.2.2) it carries the old
    /// association's verification tag and TSNs, which the peer would only discard.
    package mutating func forget() {
        packet = nil
        due = nil
        armed = false
        repeats = 0
        interval = base
    }

    /// The packet to repeat now, if its time has come (called on every tick).
    package mutating func repeatIfDue(now: ContinuousClock.Instant) -> [UInt8]? {
        guard let packet, repeats < limit else { return nil }
        if armed {
            armed = false
            due = now + interval
            return nil
        }
        guard let due, now >= due else { return nil }
        repeats += 1
        // Random loss rarely eats more than a few tries in a row: those go every RTO.Min.
        // A longer silence looks like an outage, so back off then (RFC 9260 §6.3.3 E2).
        if repeats >= Self.quickRepeats { interval = min(interval * 2, ceiling) }
        self.due = now + interval
        return packet
    }

    /// The TSN right after a chunk's header (FORWARD-TSN's New Cumulative TSN, SACK's Cumulative TSN Ack).
    private static func cumulativeTSN(of chunk: SCTPChunkScan.Chunk, in packet: [UInt8]) -> UInt32? {
        guard chunk.length >= 8 else { return nil }
        var reader = ByteReader(packet, range: (chunk.offset + 4)..<(chunk.offset + 8))
        return try? reader.readUInt32()
    }
}

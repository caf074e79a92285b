/// Keeps an association alive while the peer's receive window is closed.
///
/// RFC 9260 §6.1 rule A: "If the sender continues to receive SACKs from the peer
/// while doing zero window probing, the unacknowledged window probes SHOULD NOT
/// increment the error counter for the association or any destination transport
/// address. This is because the receiver could keep its window closed for an
/// indefinite time." usrsctp 0.9.5.0 counts them: a receiver that stopped reading
/// (`pauseReceiving`) for `maxRetransmissions` probe timeouts made its sender declare
/// it unreachable (measured: 8 × 400 ms with the tests' timers).
///
/// So, from the packets the peer sends: a SACK advertising a_rwnd 0 suspends the
/// limits (the association raises usrsctp's association and path limits to their
/// maximum); they come back once the peer acknowledges new data with an open window,
/// or, when there is no new data to acknowledge, once it answers a heartbeat the
/// window's reopening asked for (both reset usrsctp's error counters). A peer that
/// stops answering altogether for `silence` gets its limits back, and with them
/// usrsctp's ordinary verdict.
package struct ZeroWindowWatch {
    /// What the association must do to usrsctp.
    package enum Action: Equatable {
        /// Raise the association and path retransmission limits (the window closed).
        case suspendLimits
        /// Put the configured limits back.
        case restoreLimits
        /// Send a HEARTBEAT now (its ACK resets the error counters).
        case requestHeartbeat
    }

    /// True while the limits are raised.
    package private(set) var suspended = false
    /// How long a peer may stay silent while suspended before usrsctp judges it again.
    package let silence: Duration
    private var cumulativeAtStall: UInt32 = 0
    private var heartbeatRequested = false
    private var lastAnswer: ContinuousClock.Instant?

    static let sack: UInt8 = 3
    static let heartbeatAck: UInt8 = 5
    static let nrSack: UInt8 = 16

    package init(silence: Duration) { self.silence = silence }

    /// Looks at a packet from the peer (before usrsctp reads it).
    package mutating func received(_ packet: [UInt8], now: ContinuousClock.Instant) -> Action? {
        var action: Action?
        for chunk in SCTPChunkScan.chunks(in: packet) {
            if chunk.type == Self.heartbeatAck, suspended, heartbeatRequested {
                suspended = false
                action = .restoreLimits
                continue
            }
            guard chunk.type == Self.sack || chunk.type == Self.nrSack, chunk.length >= 12,
                  chunk.offset + 12 <= packet.count else { continue }
            let cumulative = Self.word(packet, at: chunk.offset + 4)
            let window = Self.word(packet, at: chunk.offset + 8)
            if window == 0 {
                lastAnswer = now
                cumulativeAtStall = cumulative
                if !suspended {
                    suspended = true
                    heartbeatRequested = false
                    action = .suspendLimits
                }
            } else if suspended {
                if SCTPChunkScan.isNewer(cumulative, than: cumulativeAtStall) {
                    suspended = false
                    action = .restoreLimits
                } else if !heartbeatRequested {
                    heartbeatRequested = true
                    action = .requestHeartbeat
                }
            }
        }
        return action
    }

    /// From the tick: a peer silent for `silence` while suspended gets the limits back.
    package mutating func check(now: ContinuousClock.Instant) -> Action? {
        guard suspended, let lastAnswer, now - lastAnswer > silence else { return nil }
        suspended = false
        return .restoreLimits
    }

    /// Forgets the stall (the association restarted: new TSNs).
    package mutating func forget() {
        suspended = false
        heartbeatRequested = false
        lastAnswer = nil
    }

    private static func word(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}

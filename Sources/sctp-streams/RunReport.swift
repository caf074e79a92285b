/// Everything a finished run measured, for the table and the JSON document.
struct RunReport {
    /// The socket buffer sizes asked for and what the kernel granted (getsockopt).
    struct SocketBuffers: Encodable {
        /// nil: the system default was kept (--udp-buffer 0).
        var requestedReceive: Int?
        var requestedSend: Int?
        var grantedReceive: Int
        var grantedSend: Int
    }

    /// Datagram counts seen by the driver.
    struct DatagramCounts: Encodable {
        /// Handed to the driver by either endpoint.
        var emitted = 0
        /// Dropped by --loss.
        var droppedByLoss = 0
        /// Refused by the kernel (a full send buffer) or lost to a send error.
        var droppedBySendBuffer = 0
        /// Dropped by the kernel because a receive buffer was full (nil: unknown on this system).
        var droppedByReceiveBuffer: Int?
        /// The largest UDP payload emitted.
        var largest = 0
    }

    var settings: RunSettings
    var localAddresses: [String] = []
    var buffers: SocketBuffers?
    var datagrams = DatagramCounts()
    var dtlsHandshakeMs: Double?
    var cipherSuite: String?
    var associationMs: Double?
    /// The sender's limit: the smaller of its own and the receiver's (SCTPAssociation.maxMessageSize).
    var maximumMessageSize: Int?
    /// The sender's own limit (its SCTPConfiguration.maxMessageSize).
    var ownMaxMessageSize: Int?
    /// The receiver's a=max-message-size, as read from its SDP answer.
    var advertisedMaxMessageSize: Int?
    /// The SCTP retransmission timeout's lower bound (RTO.Min) the run configured, ms.
    var rtoMinMs: Double?
    var modes: [ModeStatistics] = []
    /// --use-exercise: what the student's receiver did.
    var exercise: ExerciseSummary?
    /// Set when the run stopped with messages whose fate was unknown (the modes'
    /// `inFlight`): why it stopped waiting.
    var unsettledReason: String?
    var wallMs: Double = 0
    var exit: StreamsExit = .success
    var error: String?

    /// The promises every mode makes, checked against the counts; the first broken one.
    var brokenPromise: String? {
        for stats in modes {
            let name = stats.mode.rawValue
            if stats.mode.isReliable, stats.delivered != stats.sent {
                return "\(name) delivered \(stats.delivered) of \(stats.sent) messages although it is reliable"
            }
            if stats.mode.isOrdered, stats.outOfOrder > 0 {
                return "\(name) delivered \(stats.outOfOrder) message(s) out of order although it is ordered"
            }
            if stats.duplicates > 0 { return "\(name) delivered \(stats.duplicates) message(s) twice" }
            if stats.corrupted > 0 { return "\(name) delivered \(stats.corrupted) corrupted message(s)" }
        }
        return nil
    }
}

extension RunReport {
    /// --use-exercise: the fragments the student's exercise 12 receiver got and what it made of them.
    struct ExerciseSummary: Encodable {
        var fragmentSize: Int
        /// The TSN of the first fragment (64 below the wrap).
        var initialTSN: UInt32
        var fragmentsSent: Int
        var fragmentsReceived: Int
        /// Messages the student's receiver returned (the modes' `delivered` counts them without duplicates).
        var messagesDelivered: Int
        /// Abandoned messages the sender announced.
        var abandonmentNotices: Int
        /// FORWARD-TSNs given to the receiver.
        var forwardTSNs: Int
        /// Fragments it refused (StreamReceiveError): lost for good.
        var refused: Int
        /// Its cumulative TSN at the end.
        var cumulativeTSN: UInt32

        /// True when the run's TSNs went past 4294967295.
        var wrapped: Bool { fragmentsSent > Int(UInt32.max - initialTSN) }
    }
}

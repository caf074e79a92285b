import Wire

/// One client transaction's retransmission state machine (RFC 8489 §6.2.1),
/// sans-IO: it is told the time and answers with what to do.
///
/// ```
///   start: send #1
///        |
///        v
///   expectResponse(retransmitAt) --timeout--> send #n (n < Rc), interval doubles
///        |                       <--------------'
///        | timeout: send #Rc (the last)
///        v
///   expectFinalResponse(giveUpAt = now + Rm x RTO) --timeout--> timedOut
///
///   a response while in either waiting state --> completed
/// ```
///
/// RTT is measured from the *first* send. Which send a response answers
/// cannot be known: every retransmission carries the same transaction id and
/// identical bytes (Karn's problem), so a response after a retransmission may
/// answer the original. `transmissions` reports how many had been sent.
public struct STUNClientTransaction: Sendable {
    /// Where the transaction stands, named by what it waits for.
    public enum State: Hashable, Sendable {
        /// Waiting for a response; the next retransmission is due at `retransmitAt`.
        case expectResponse(retransmitAt: Instant)
        /// All Rc requests are sent; waiting until `giveUpAt` for a late response.
        case expectFinalResponse(giveUpAt: Instant)
        /// A response arrived at the given instant.
        case completed(at: Instant)
        /// No response by the deadline.
        case timedOut(at: Instant)
    }

    /// What the caller must do after a timeout.
    public enum TimeoutAction: Hashable, Sendable {
        /// Nothing is due yet (early or spurious timeout, or already finished).
        case none
        /// Send the request again; `transmission` is its number (2...Rc).
        case retransmit(transmission: Int)
        /// Give up: the transaction failed after `transmissions` sends.
        case timedOut(transmissions: Int)
    }

    /// The transaction id this state machine is for.
    public let transactionID: TransactionID
    /// The parameters.
    public let policy: STUNRetransmissionPolicy
    /// When the first request was sent.
    public let startedAt: Instant
    /// Requests sent so far (1 after start).
    public private(set) var transmissions: Int
    /// The current state.
    public private(set) var state: State

    /// Starts the transaction: the caller sends the request now (`now` is send #1).
    public init(transactionID: TransactionID, policy: STUNRetransmissionPolicy = .rfc8489, startingAt now: Instant) {
        self.transactionID = transactionID
        self.policy = policy
        self.startedAt = now
        self.transmissions = 1
        self.state = policy.maxTransmissions > 1
            ? .expectResponse(retransmitAt: now + policy.interval(afterTransmission: 1))
            : .expectFinalResponse(giveUpAt: now + policy.finalWait)
    }

    /// When the transaction next needs `handleTimeout`, or nil once finished.
    public var deadline: Instant? {
        switch state {
        case let .expectResponse(at): return at
        case let .expectFinalResponse(at): return at
        case .completed, .timedOut: return nil
        }
    }

    /// True once completed or timed out.
    public var isFinished: Bool { deadline == nil }

    /// Advances time. Intervals are measured from the actual retransmission,
    /// so a driver that wakes late shifts later sends rather than bursting.
    public mutating func handleTimeout(at now: Instant) -> TimeoutAction {
        switch state {
        case let .expectResponse(retransmitAt):
            guard now >= retransmitAt else { return .none }
            transmissions += 1
            if transmissions >= policy.maxTransmissions {
                state = .expectFinalResponse(giveUpAt: now + policy.finalWait)
            } else {
                state = .expectResponse(retransmitAt: now + policy.interval(afterTransmission: transmissions))
            }
            return .retransmit(transmission: transmissions)
        case let .expectFinalResponse(giveUpAt):
            guard now >= giveUpAt else { return .none }
            state = .timedOut(at: now)
            return .timedOut(transmissions: transmissions)
        case .completed, .timedOut:
            return .none
        }
    }

    /// Records a response; returns the RTT from the first send, or nil when the
    /// transaction had already finished (a duplicate or late response).
    public mutating func handleResponse(at now: Instant) -> Duration? {
        guard !isFinished else { return nil }
        state = .completed(at: now)
        return now - startedAt
    }
}

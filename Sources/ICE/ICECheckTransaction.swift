import STUN
import Wire

/// The retransmission state machine of one of the agent's own STUN transactions
/// (a connectivity check, a nomination or a consent check; RFC 8445 §14.3 makes
/// them follow RFC 8489 §6.2.1).
///
/// The library's is `STUNClientTransaction`. The lab replaces it, through an
/// `ICECheckTransactionFactory`, with a student's exercise 09 transaction: then the
/// student's code decides when each check goes out again and when its pair fails.
/// The agent owns the socket and the clock; the transaction only answers.
public protocol ICECheckTransaction: Sendable {
    /// When `handleTimeout` is next due, or nil once the transaction is over. After
    /// `handleTimeout(at: now)` it is nil or later than `now`, or the agent's timer would
    /// fire again at once.
    var deadline: Instant? { get }
    /// Requests sent so far (1 after the first send).
    var transmissions: Int { get }
    /// When the first request was sent (for the round-trip time, Karn's rule).
    var startedAt: Instant { get }
    /// Time has passed: retransmit, give up, or nothing yet.
    mutating func handleTimeout(at now: Instant) -> STUNClientTransaction.TimeoutAction
    /// A response the agent judged an answer to this check (success, error or 487)
    /// arrived. True when the transaction takes it and is over; false when it does
    /// not (the agent then treats the response as lost and keeps waiting).
    mutating func handleResponse(_ response: [UInt8], at now: Instant) -> Bool
}

/// Makes the transaction of each check the agent sends (see `ICECheckTransaction`).
public protocol ICECheckTransactionFactory: Sendable {
    /// A transaction for `request` (the encoded check, sent unchanged each time) whose
    /// first send is now. Nil when it refuses to send at all: the check then counts as
    /// failed at once.
    func makeTransaction(request: [UInt8], transactionID: TransactionID, policy: STUNRetransmissionPolicy,
                         at now: Instant) -> (any ICECheckTransaction)?
}

extension STUNClientTransaction: ICECheckTransaction {
    /// The library's rules take any response the agent passes on.
    public mutating func handleResponse(_ response: [UInt8], at now: Instant) -> Bool {
        handleResponse(at: now) != nil
    }
}

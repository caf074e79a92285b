// Exercise 09 — the STUN client transaction (RFC 8489 §6.2.1): when to send a request
// again, and when to give up.
//
// A STUN request over UDP may be lost, and so may its answer. The client therefore sends
// the request, waits RTO, sends it again, waits twice as long, and so on until Rc requests
// have gone out; then it waits Rm × RTO more and gives up. The student writes that state
// machine sans-IO: it never reads a clock and owns no socket. The caller (the checks'
// simulated network, or `stun-probe --use-exercise` on real UDP) tells it the time and
// hands it the responses that arrive, and it answers with actions: send the request, the
// transaction completed with this response, or the transaction timed out.
//
// The bytes are not the exercise (exercise 02 was): the request arrives already encoded,
// and every response arrives already parsed down to its transaction id. Keep these
// signatures as they are: the checks and `stun-probe` call them.

/// The retransmission parameters of one transaction (RFC 8489 §6.2.1), in milliseconds.
///
/// The caller guarantees every value is at least 1.
public struct StunTransactionConfiguration: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// RTO: the wait after the first request. Each later wait is twice the one before.
    public var rtoMilliseconds: Int
    /// Rc: how many requests are sent in all, the first one included.
    public var maxRequests: Int
    /// Rm: after the last request, the transaction waits Rm × RTO (the initial RTO) before giving up.
    public var finalWaitMultiplier: Int

    /// The RFC's defaults: RTO 500 ms, Rc 7, Rm 16 (give-up 39.5 s after the first send).
    public init(rtoMilliseconds: Int = 500, maxRequests: Int = 7, finalWaitMultiplier: Int = 16) {
        self.rtoMilliseconds = rtoMilliseconds
        self.maxRequests = maxRequests
        self.finalWaitMultiplier = finalWaitMultiplier
    }

    /// "RTO 500 ms, Rc 7, Rm 16".
    public var description: String { "RTO \(rtoMilliseconds) ms, Rc \(maxRequests), Rm \(finalWaitMultiplier)" }
}

/// A STUN response that arrived, already parsed by the caller.
///
/// The caller has checked that the datagram is a well-formed STUN response (success or
/// error) from the server the request went to. It has NOT checked whose response it is:
/// that is the transaction's job, by its transaction id.
public struct StunResponse: Equatable, Hashable, Sendable {
    /// The response's 12-byte transaction id (bytes 8 to 19 of its header).
    public var transactionID: [UInt8]
    /// The whole response as received, for whoever reads its attributes afterwards.
    public var bytes: [UInt8]

    /// A response with this transaction id and these bytes.
    public init(transactionID: [UInt8], bytes: [UInt8]) {
        self.transactionID = transactionID
        self.bytes = bytes
    }
}

/// What a transaction tells its caller to do, in order.
public enum StunTransactionAction: Equatable, Hashable, Sendable {
    /// Send these bytes to the server now. A retransmission is the same request, byte for byte.
    case send([UInt8])
    /// The transaction is over: this response answers it (a success or an error response;
    /// which one is the caller's business, the retransmissions stop either way).
    case completed(StunResponse)
    /// The transaction is over: no response came in time.
    case timedOut
}

/// Exercise 09: one STUN client transaction over UDP, sans-IO (RFC 8489 §6.2.1).
///
/// Implemented by `Exercises.StunTransaction` (exercises/09-stun-transaction/StunTransaction.swift)
/// and `Solutions.StunTransaction`.
///
/// Time is a number of milliseconds on the caller's clock (any origin), never decreasing
/// from one call to the next. The caller calls `start` once, then `tick` when
/// `nextDeadline` has come (it may also call `tick` early, for reasons of its own), and
/// `receive` for every response that arrives, until the transaction has reported
/// `.completed` or `.timedOut`, and sometimes after (a late or duplicated answer).
public protocol StunTransactionExercise {
    /// A transaction for `request` (the encoded request, sent unchanged each time), whose
    /// transaction id is `transactionID` (12 bytes), with these retransmission parameters.
    /// Nothing is sent until `start`.
    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration)

    /// The first send, at `now`.
    mutating func start(now: Int) throws -> [StunTransactionAction]

    /// A response arrived at `now`. Only a response carrying this transaction's id, arriving
    /// while the transaction still waits, completes it; anything else changes nothing and
    /// returns no action.
    mutating func receive(_ response: StunResponse, now: Int) throws -> [StunTransactionAction]

    /// Time has passed: it is `now`. Returns what is due (a retransmission, or giving up),
    /// or nothing when nothing is due yet.
    mutating func tick(now: Int) throws -> [StunTransactionAction]

    /// When `tick` must next be called (a retransmission or the give-up), or nil when the
    /// transaction is over (or not started).
    var nextDeadline: Int? { get }
}

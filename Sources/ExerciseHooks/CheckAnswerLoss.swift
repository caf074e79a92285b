import ICE
import STUN
import Wire

/// `datachannel-chat echo --drop-check-answers N`: the answers to the agent's first N
/// STUN transactions are treated as lost, once each, so those checks only complete
/// through a retransmission. On loopback nothing is ever lost; this is how a run shows
/// the retransmission timer (the library's, or a student's exercise 09 under
/// --use-exercise) carrying a real connection to a real peer.
///
/// It wraps the transactions another factory makes (nil: the library's
/// `STUNClientTransaction`); the loss happens before they see the answer, as on the wire.
public struct CheckAnswerLoss: ICECheckTransactionFactory {
    private let base: (any ICECheckTransactionFactory)?
    private let remaining: Counter

    /// Loses the first answer of each of the first `count` transactions made through `base`.
    public init(count: Int, base: (any ICECheckTransactionFactory)?) {
        self.base = base
        self.remaining = Counter(count)
    }

    /// Answers lost so far.
    public var dropped: Int { remaining.used }

    public func makeTransaction(request: [UInt8], transactionID: TransactionID, policy: STUNRetransmissionPolicy,
                                at now: Instant) -> (any ICECheckTransaction)? {
        let made: (any ICECheckTransaction)?
        if let base {
            made = base.makeTransaction(request: request, transactionID: transactionID, policy: policy, at: now)
        } else {
            made = STUNClientTransaction(transactionID: transactionID, policy: policy, startingAt: now)
        }
        guard let made, remaining.take() else { return made }
        return LosingFirstAnswer(inner: made, counter: remaining)
    }

    /// How many transactions may still lose an answer, and how many did.
    final class Counter: Sendable {
        private let state: Locked<(left: Int, used: Int)>
        init(_ count: Int) { state = Locked((max(0, count), 0)) }
        /// Reserves one transaction; false when all are taken.
        func take() -> Bool { state.withLock { if $0.left > 0 { $0.left -= 1; return true }; return false } }
        func lost() { state.withLock { $0.used += 1 } }
        var used: Int { state.withLock { $0.used } }
    }
}

/// A transaction whose first answer never reaches it.
private struct LosingFirstAnswer: ICECheckTransaction {
    var inner: any ICECheckTransaction
    let counter: CheckAnswerLoss.Counter
    var lostOne = false

    var deadline: Instant? { inner.deadline }
    var transmissions: Int { inner.transmissions }
    var startedAt: Instant { inner.startedAt }

    mutating func handleTimeout(at now: Instant) -> STUNClientTransaction.TimeoutAction { inner.handleTimeout(at: now) }

    mutating func handleResponse(_ response: [UInt8], at now: Instant) -> Bool {
        guard lostOne else {
            lostOne = true
            counter.lost()
            return false
        }
        return inner.handleResponse(response, at: now)
    }
}

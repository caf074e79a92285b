// Exercise 09 — the STUN client transaction (RFC 8489 §6.2.1).
//
// Your task (details, a state diagram and hints in README.md next to this file): a
// sans-IO state machine that decides when a STUN request is sent, sent again, answered,
// or given up on. It never reads a clock: every call tells it the time (`now`, in
// milliseconds), and it answers with actions for the caller to carry out.
// Check your answer with:  lab check 09
// Then put it on real traffic:  stun-probe --use-exercise  (add --drop-requests 3 --rto 50
// to watch it retransmit)
//
// With the defaults (RTO 500 ms, Rc 7, Rm 16), over a network that loses everything:
//
//   sends at  0   500   1500   3500   7500   15500   31500 ms   gives up at 39500 ms
//             |<500>|<1000>|<2000>|<4000>|<8000>|<16000>|<- 16 x 500 ->|
import ExerciseInterfaces

/// One STUN client transaction over UDP.
public struct StunTransaction: StunTransactionExercise {
    /// The request, sent unchanged every time.
    let request: [UInt8]
    /// Its transaction id: a response carrying another id is not ours.
    let transactionID: [UInt8]
    /// RTO, Rc and Rm.
    let configuration: StunTransactionConfiguration
    // Add the state you need: what the transaction waits for, how many requests are out,
    // when the next deadline is.

    public init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        self.request = request
        self.transactionID = transactionID
        self.configuration = configuration
    }

    /// The first send, at `now`.
    public mutating func start(now: Int) throws -> [StunTransactionAction] {
        throw ExerciseError.notImplemented
    }

    /// A response arrived at `now`: complete the transaction if it is ours and still waited for.
    public mutating func receive(_ response: StunResponse, now: Int) throws -> [StunTransactionAction] {
        throw ExerciseError.notImplemented
    }

    /// Time has passed: retransmit or give up if that is due.
    public mutating func tick(now: Int) throws -> [StunTransactionAction] {
        throw ExerciseError.notImplemented
    }

    /// When `tick` is due next; nil once the transaction is over.
    public var nextDeadline: Int? {
        nil // replace with your state's deadline
    }
}

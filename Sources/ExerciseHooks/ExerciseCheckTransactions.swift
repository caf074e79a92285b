import ExerciseInterfaces
import ICE
import STUN
import Wire

// The lab's exercise 09 hook inside ICE, for datachannel-chat's capstone: the student's
// STUN client transaction times every STUN transaction of the agent (checks, the
// nomination, consent checks), as RFC 8445 §14.3 says checks follow RFC 8489 §6.2.1.

/// --use-exercise: makes each of an agent's check transactions a student's
/// `StunTransactionExercise` (the student's `Exercises.StunTransaction`, or any a test
/// passes), through `ICEAgentConfiguration.checkTransactions`.
///
/// The student's transaction decides: its `start` sends the check, its `tick` answers
/// when the agent's timer fires (retransmit, give up, or nothing yet), its `receive`
/// takes the answers the agent judged to be for the check. Beside it runs the library's
/// `STUNClientTransaction` on the same inputs, only to compare: every disagreement (an
/// action or a deadline) goes into `log`. Time is given to the student in whole
/// milliseconds since the check's first send, and the library's copy sees the same
/// rounded clock, so the two can be compared exactly.
public struct ExerciseCheckTransactions<Transaction: StunTransactionExercise>: ICECheckTransactionFactory {
    /// What the student's transactions did; read it after the run.
    public let log: TransactionExerciseLog

    /// A factory that writes into `log` (a new one by default).
    public init(log: TransactionExerciseLog = TransactionExerciseLog()) {
        self.log = log
    }

    /// A student transaction for the check `request`, started now; nil when its `start`
    /// threw or did not send the request (the check then fails at once).
    public func makeTransaction(request: [UInt8], transactionID: TransactionID, policy: STUNRetransmissionPolicy,
                                at now: Instant) -> (any ICECheckTransaction)? {
        StudentCheckTransaction<Transaction>(request: request, transactionID: transactionID, policy: policy,
                                             startedAt: now, log: log)
    }
}

/// One check's transaction: the student's, with the library's beside it for comparison.
///
/// `@unchecked Sendable`: the student's type need not be `Sendable`, and the agent that
/// holds this value is driven from one thread at a time (its peer connection's actor).
struct StudentCheckTransaction<Transaction: StunTransactionExercise>: ICECheckTransaction, @unchecked Sendable {
    private var student: Transaction
    private var library: STUNClientTransaction
    private let request: [UInt8]
    private let log: TransactionExerciseLog
    private let name: String
    /// The student's deadline, in milliseconds since `startedAt`.
    private var studentDeadline: Int?
    private var over = false
    /// The student's code broke a promise that would leave the check waiting forever (or
    /// the agent's timer spinning): the check gives up at the agent's next timer.
    private var giveUpNow = false
    let startedAt: Instant
    private(set) var transmissions = 1

    /// Starts the student's transaction: nil unless its `start` sends the request.
    init?(request: [UInt8], transactionID: TransactionID, policy: STUNRetransmissionPolicy, startedAt: Instant,
          log: TransactionExerciseLog) {
        let configuration = StunTransactionConfiguration(
            rtoMilliseconds: Int(policy.initialRTO.totalNanoseconds / 1_000_000),
            maxRequests: policy.maxTransmissions, finalWaitMultiplier: policy.finalWaitMultiplier)
        self.request = request
        self.log = log
        self.startedAt = startedAt
        self.name = "transaction \(log.begin()) (\(configuration))"
        student = Transaction(request: request, transactionID: transactionID.bytes, configuration: configuration)
        library = STUNClientTransaction(transactionID: transactionID, policy: policy, startingAt: startedAt)
        guard let actions = log.call("start(now: 0)", in: name, { try student.start(now: 0) }) else { return nil }
        guard actions == [.send(request)] else {
            log.disagree("\(name): start(now: 0) returned \(Self.describe(actions)); RFC 8489 §6.2.1 sends the request "
                         + "at once: expected [send(request)]")
            return nil
        }
        log.sent()
        studentDeadline = student.nextDeadline
        compareDeadlines(after: "start(now: 0)")
        requireLaterDeadline(after: "start(now: 0)", now: 0)
    }

    var deadline: Instant? {
        if giveUpNow { return startedAt }
        guard !over, let studentDeadline else { return nil }
        return startedAt + .milliseconds(Int64(studentDeadline))
    }

    mutating func handleTimeout(at now: Instant) -> STUNClientTransaction.TimeoutAction {
        if giveUpNow {
            giveUpNow = false
            over = true
            log.ended(timedOut: true)
            return .timedOut(transmissions: transmissions)
        }
        guard !over else { return .none }
        let ms = milliseconds(at: now)
        let expected = library.handleTimeout(at: startedAt + .milliseconds(Int64(ms)))
        let call = "tick(now: \(ms))"
        guard let actions = log.call(call, in: name, { try student.tick(now: ms) }) else {
            over = true
            return .timedOut(transmissions: transmissions)
        }
        studentDeadline = student.nextDeadline
        let action: STUNClientTransaction.TimeoutAction
        switch actions.first {
        case .send(let bytes)?:
            transmissions += 1
            log.sent(retransmission: true)
            if bytes != request { log.disagree("\(name): \(call) sent other bytes than the request (a retransmission is the same request, byte for byte)") }
            action = .retransmit(transmission: transmissions)
        case .timedOut?:
            over = true
            log.ended(timedOut: true)
            action = .timedOut(transmissions: transmissions)
        case .completed?:
            log.disagree("\(name): \(call) reported completed, but no response had arrived")
            action = .none
        case nil:
            action = .none
        }
        if actions.count > 1 { log.disagree("\(name): \(call) returned \(Self.describe(actions)); one action at most is due at a time") }
        if !Self.same(action, expected) {
            log.disagree("\(name): \(call) returned \(Self.describe(actions)); the library's transaction \(Self.describe(expected))")
        }
        compareDeadlines(after: call)
        requireLaterDeadline(after: call, now: ms)
        return action
    }

    mutating func handleResponse(_ response: [UInt8], at now: Instant) -> Bool {
        guard !over, response.count >= 20 else { return false }
        let ms = milliseconds(at: now)
        let answer = StunResponse(transactionID: Array(response[8..<20]), bytes: response)
        _ = library.handleResponse(at: startedAt + .milliseconds(Int64(ms)))
        let call = "receive(response, now: \(ms))"
        guard let actions = log.call(call, in: name, { try student.receive(answer, now: ms) }) else {
            giveUpNow = true  // its code threw: the answer is not taken, and the check gives up
            return false
        }
        studentDeadline = student.nextDeadline
        guard case .completed? = actions.first else {
            log.disagree("\(name): \(call) returned \(Self.describe(actions)) for the answer to its own request; expected "
                         + "[completed(response)]: the check waits on as if the answer were lost")
            requireLaterDeadline(after: call, now: ms)
            return false
        }
        over = true
        log.ended(timedOut: false)
        if studentDeadline != nil { log.disagree("\(name): after \(call) completed, nextDeadline is still \(studentDeadline!) (expected nil)") }
        return true
    }

    /// While the transaction waits, the agent needs a deadline later than now: without one
    /// the check would never end, and one already past would make the agent's timer fire
    /// again at once, for ever. Either is recorded and ends the check.
    private mutating func requireLaterDeadline(after call: String, now ms: Int) {
        guard !over, !giveUpNow else { return }
        if let studentDeadline, studentDeadline > ms { return }
        log.disagree("\(name): after \(call) nextDeadline is \(studentDeadline.map(String.init) ?? "nil") while the "
                     + "transaction still waits (now \(ms)): it would never send again nor give up; the check gives up")
        giveUpNow = true
    }

    /// Whole milliseconds since the first send (the student's clock).
    private func milliseconds(at now: Instant) -> Int {
        Int(max(0, (now - startedAt).totalNanoseconds) / 1_000_000)
    }

    private func compareDeadlines(after call: String) {
        let expected = library.deadline.map { Int(($0 - startedAt).totalNanoseconds / 1_000_000) }
        guard expected != studentDeadline else { return }
        log.disagree("\(name): after \(call) nextDeadline is \(studentDeadline.map(String.init) ?? "nil"); "
                     + "RFC 8489 §6.2.1 says \(expected.map(String.init) ?? "nil")")
    }

    private static func same(_ a: STUNClientTransaction.TimeoutAction, _ b: STUNClientTransaction.TimeoutAction) -> Bool {
        switch (a, b) {
        case (.none, .none), (.retransmit, .retransmit), (.timedOut, .timedOut): return true
        default: return false
        }
    }

    private static func describe(_ actions: [StunTransactionAction]) -> String {
        "[" + actions.map { action in
            switch action {
            case .send: "send(request)"
            case .completed: "completed(response)"
            case .timedOut: "timedOut"
            }
        }.joined(separator: ", ") + "]"
    }

    private static func describe(_ action: STUNClientTransaction.TimeoutAction) -> String {
        switch action {
        case .none: "has nothing due"
        case let .retransmit(n): "sends request #\(n)"
        case .timedOut: "gives up"
        }
    }
}

/// What a run's student transactions did, shared by all of them (a reference, so the
/// tool reads it after the run while the agent holds copies of the factory).
public final class TransactionExerciseLog: Sendable {
    private let state = Locked(TransactionExerciseFindings())

    /// An empty log.
    public init() {}

    /// What happened so far.
    public var findings: TransactionExerciseFindings { state.withLock { $0 } }

    func begin() -> Int {
        state.withLock { $0.transactions += 1; return $0.transactions }
    }

    func sent(retransmission: Bool = false) {
        state.withLock { $0.sends += 1; if retransmission { $0.retransmissions += 1 } }
    }

    func ended(timedOut: Bool) {
        state.withLock { if timedOut { $0.timedOut += 1 } else { $0.completed += 1 } }
    }

    func disagree(_ text: String) {
        state.withLock { if $0.mismatches.count < 20 { $0.mismatches.append(text) } }
    }

    /// Runs one call of the student's code; nil (and the problem recorded) when it threw.
    func call<T>(_ function: String, in name: String, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            state.withLock { findings in
                guard findings.problem == nil else { return }
                if case ExerciseError.notImplemented? = error as? ExerciseError {
                    findings.notImplemented = true
                    findings.problem = "\(function) is not implemented yet (it throws notImplemented)"
                } else {
                    findings.problem = "\(name): \(function) threw \(error)"
                }
            }
            return nil
        }
    }
}

/// Counts and disagreements of the student's transactions in one run.
public struct TransactionExerciseFindings: Sendable, Equatable {
    /// Transactions started (checks, the nomination, consent checks).
    public var transactions = 0
    /// Requests sent, retransmissions included.
    public var sends = 0
    /// Of those, retransmissions.
    public var retransmissions = 0
    /// Transactions that took their answer.
    public var completed = 0
    /// Transactions that gave up.
    public var timedOut = 0
    /// Where the student's transaction and RFC 8489 §6.2.1 (the library's) disagreed.
    public var mismatches: [String] = []
    /// The first error the student's code threw.
    public var problem: String?
    /// That error was `notImplemented`.
    public var notImplemented = false

    /// True when transactions ran and nothing went wrong.
    public var agrees: Bool { transactions > 0 && problem == nil && mismatches.isEmpty }
}

/// Whether an exercise 09 transaction is written yet: a starter's `start` throws `notImplemented`.
public enum StunTransactionProbe {
    /// False while `exercise`'s `start` still throws `notImplemented`.
    public static func isWritten(_ exercise: any StunTransactionExercise.Type) -> Bool {
        var transaction = exercise.init(request: [0, 1, 0, 0] + [0x21, 0x12, 0xa4, 0x42] + Array(repeating: 7, count: 12),
                                        transactionID: Array(repeating: 7, count: 12),
                                        configuration: StunTransactionConfiguration())
        do {
            _ = try transaction.start(now: 0)
        } catch ExerciseError.notImplemented {
            return false
        } catch {
            // Wrong answers and refusals are the run's and the report's business.
        }
        return true
    }

    /// The factory that puts `exercise` in charge of an agent's transactions, writing into `log`.
    public static func factory(_ exercise: any StunTransactionExercise.Type,
                               log: TransactionExerciseLog) -> any ICECheckTransactionFactory {
        func make<Transaction: StunTransactionExercise>(_: Transaction.Type) -> any ICECheckTransactionFactory {
            ExerciseCheckTransactions<Transaction>(log: log)
        }
        return make(exercise)
    }
}

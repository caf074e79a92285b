import ExerciseHooks
import ExerciseInterfaces
import ICE
import Simulation
import Solutions
import STUN
import Testing
import Wire

/// `ICEAgentConfiguration.checkTransactions`: a replacement transaction times the agent's
/// checks (the lab's exercise 09 hook). In virtual time, so every instant is exact.
@Suite("ICE check transactions: a replacement decides when checks go again and when they fail")
struct CheckTransactionHookTests {
    /// Sends every 100 ms, three sends in all, gives up 100 ms after the last.
    struct Quick: ICECheckTransaction {
        let startedAt: Instant
        var transmissions = 1
        var deadline: Instant?
        init(at now: Instant) { startedAt = now; deadline = now + .milliseconds(100) }
        mutating func handleTimeout(at now: Instant) -> STUNClientTransaction.TimeoutAction {
            guard let due = deadline, now >= due else { return .none }
            if transmissions == 3 { deadline = nil; return .timedOut(transmissions: 3) }
            transmissions += 1
            deadline = now + .milliseconds(100)
            return .retransmit(transmission: transmissions)
        }
        mutating func handleResponse(_ response: [UInt8], at now: Instant) -> Bool { deadline = nil; return true }
    }

    struct QuickFactory: ICECheckTransactionFactory {
        func makeTransaction(request: [UInt8], transactionID: TransactionID, policy: STUNRetransmissionPolicy,
                             at now: Instant) -> (any ICECheckTransaction)? { Quick(at: now) }
    }

    struct Refusing: ICECheckTransactionFactory {
        func makeTransaction(request: [UInt8], transactionID: TransactionID, policy: STUNRetransmissionPolicy,
                             at now: Instant) -> (any ICECheckTransaction)? { nil }
    }

    /// One agent checking a candidate nobody answers, with `factory` timing its checks.
    static func unanswered(_ factory: (any ICECheckTransactionFactory)?) throws -> AgentLab {
        try AgentLab.unanswered { $0.checkTransactions = factory }
    }

    @Test("the replacement's schedule is the one on the wire, and its give-up fails the pair and the agent")
    func replacementSchedule() throws {
        let lab = try Self.unanswered(QuickFactory())
        #expect(lab.sends("left", .bindingRequest) == [0, 100, 200])
        #expect(lab.states("left").map(\.0) == [0, 300])
        #expect(lab.states("left").map(\.1) == [.checking, .failed])
    }

    @Test("a replacement that refuses to start fails the check at once: nothing is sent")
    func refusedStart() throws {
        let lab = try Self.unanswered(Refusing())
        #expect(lab.sends("left", .bindingRequest).isEmpty)
        #expect(lab.states("left").last?.1 == .failed && lab.states("left").last?.0 == 0)
    }

    @Test("exercise 09's reference transaction in ICE: RFC 8489's schedule, the same as the library's, and no disagreement")
    func referenceTransaction() throws {
        let log = TransactionExerciseLog()
        let lab = try Self.unanswered(ExerciseCheckTransactions<Solutions.StunTransaction>(log: log))
        #expect(lab.sends("left", .bindingRequest) == [0, 500, 1500, 3500, 7500, 15500, 31500])
        #expect(lab.states("left").map(\.0) == [0, 39500])
        let findings = log.findings
        #expect(findings.transactions == 1 && findings.sends == 7 && findings.retransmissions == 6 && findings.timedOut == 1)
        #expect(findings.mismatches.isEmpty && findings.problem == nil, "\(findings)")
    }

    /// A student transaction that sends once and then names no deadline: it would wait for ever.
    struct Stalls: StunTransactionExercise {
        init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) { self.request = request }
        let request: [UInt8]
        mutating func start(now: Int) throws -> [StunTransactionAction] { [.send(request)] }
        mutating func receive(_ response: StunResponse, now: Int) throws -> [StunTransactionAction] { [] }
        mutating func tick(now: Int) throws -> [StunTransactionAction] { [] }
        var nextDeadline: Int? { nil }
    }

    @Test("a student transaction with no deadline while it waits: the check gives up at once, recorded; the agent neither traps nor spins")
    func stalledTransaction() throws {
        let log = TransactionExerciseLog()
        let lab = try Self.unanswered(ExerciseCheckTransactions<Stalls>(log: log))
        #expect(lab.sends("left", .bindingRequest) == [0])
        #expect(lab.states("left").last?.1 == .failed && lab.states("left").last?.0 == 0)
        #expect(log.findings.mismatches.contains { $0.contains("nextDeadline is nil while the transaction still waits") },
                "\(log.findings.mismatches)")
        #expect(log.findings.timedOut == 1)
    }

    @Test("an answer lost on purpose (CheckAnswerLoss) is retransmitted for, and the two agents still connect")
    func lostAnswer() throws {
        let log = TransactionExerciseLog()
        let loss = CheckAnswerLoss(count: 1, base: ExerciseCheckTransactions<Solutions.StunTransaction>(log: log))
        let lab = AgentLab(delay: .milliseconds(10))
        try lab.addAgent("left", role: .controlling, bases: ["10.0.0.1:5000"], seed: 1) { $0.checkTransactions = loss }
        try lab.addAgent("right", role: .controlled, bases: ["10.0.0.2:6000"], seed: 2)
        lab.start("left", "right")
        lab.exchange("left", "right")
        lab.network.run(until: .seconds(5))
        #expect(loss.dropped == 1)
        #expect(lab.states("left").last?.1 == .completed, "\(lab.states("left"))")
        let findings = log.findings
        #expect(findings.retransmissions >= 1 && findings.completed >= 2 && findings.mismatches.isEmpty, "\(findings)")
    }
}

@testable import ExerciseChecks
import ExerciseInterfaces
import Exercises
import Solutions
import Testing

// Exercise 09: the reference answer passes every check and the starter none; classic
// mistakes (waits that do not double, one request too many, the final wait counted from
// the last RTO, a stranger's response taken, an answer consumed twice, ticks obeyed before
// their deadline) fail exactly the checks meant to catch them, with readable messages; the
// simulated network is deterministic; and a submission with exercise 09 solved earns
// exactly its points.

/// The reference answer with one rule changed, so each wrong transaction differs in one way only.
private struct Mutant: Equatable {
    var doubles = true
    var extraRequests = 0
    var finalWaitFromLastInterval = false
    var checksID = true
    var endsOnce = true
    var honoursDeadline = true
}

/// A transaction built from `Mutant` rules; each wrong implementation below picks one.
private protocol MutantTransaction: StunTransactionExercise {
    static var rules: Mutant { get }
    var request: [UInt8] { get }
    var transactionID: [UInt8] { get }
    var configuration: StunTransactionConfiguration { get }
    var sent: Int { get set }
    var deadline: Int? { get set }
    var lastChance: Bool { get set }
    var started: Bool { get set }
}

extension MutantTransaction {
    mutating func start(now: Int) throws -> [StunTransactionAction] {
        started = true
        return send(at: now)
    }

    mutating func receive(_ response: StunResponse, now: Int) throws -> [StunTransactionAction] {
        guard !Self.rules.checksID || response.transactionID == transactionID else { return [] }
        guard started, deadline != nil || !Self.rules.endsOnce else { return [] }
        deadline = nil
        return [.completed(response)]
    }

    mutating func tick(now: Int) throws -> [StunTransactionAction] {
        guard let due = deadline, now >= due || !Self.rules.honoursDeadline else { return [] }
        if lastChance {
            deadline = nil
            return [.timedOut]
        }
        return send(at: now)
    }

    var nextDeadline: Int? { deadline }

    private mutating func send(at now: Int) -> [StunTransactionAction] {
        sent += 1
        let rto = configuration.rtoMilliseconds
        let interval = Self.rules.doubles ? rto << (sent - 1) : rto
        if sent >= configuration.maxRequests + Self.rules.extraRequests {
            lastChance = true
            deadline = now + configuration.finalWaitMultiplier * (Self.rules.finalWaitFromLastInterval ? interval : rto)
        } else {
            deadline = now + interval
        }
        return [.send(request)]
    }
}

private struct NoDoubling: MutantTransaction {
    static let rules = Mutant(doubles: false)
    let request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration
    var sent = 0, deadline: Int? = nil, lastChance = false, started = false
    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        (self.request, self.transactionID, self.configuration) = (request, transactionID, configuration)
    }
}

private struct OneTooMany: MutantTransaction {
    static let rules = Mutant(extraRequests: 1)
    let request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration
    var sent = 0, deadline: Int? = nil, lastChance = false, started = false
    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        (self.request, self.transactionID, self.configuration) = (request, transactionID, configuration)
    }
}

private struct LongFinalWait: MutantTransaction {
    static let rules = Mutant(finalWaitFromLastInterval: true)
    let request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration
    var sent = 0, deadline: Int? = nil, lastChance = false, started = false
    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        (self.request, self.transactionID, self.configuration) = (request, transactionID, configuration)
    }
}

private struct AnyID: MutantTransaction {
    static let rules = Mutant(checksID: false)
    let request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration
    var sent = 0, deadline: Int? = nil, lastChance = false, started = false
    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        (self.request, self.transactionID, self.configuration) = (request, transactionID, configuration)
    }
}

private struct EndsEveryTime: MutantTransaction {
    static let rules = Mutant(endsOnce: false)
    let request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration
    var sent = 0, deadline: Int? = nil, lastChance = false, started = false
    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        (self.request, self.transactionID, self.configuration) = (request, transactionID, configuration)
    }
}

private struct Impatient: MutantTransaction {
    static let rules = Mutant(honoursDeadline: false)
    let request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration
    var sent = 0, deadline: Int? = nil, lastChance = false, started = false
    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        (self.request, self.transactionID, self.configuration) = (request, transactionID, configuration)
    }
}

/// The rules exactly: proves the mutant scaffolding itself is right.
private struct Faithful: MutantTransaction {
    static let rules = Mutant()
    let request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration
    var sent = 0, deadline: Int? = nil, lastChance = false, started = false
    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        (self.request, self.transactionID, self.configuration) = (request, transactionID, configuration)
    }
}

/// Each exercise-09 check's failure on `Transaction` (passing checks are absent).
private func failures<Transaction: StunTransactionExercise>(_: Transaction.Type) -> [String: CheckFailure] {
    Dictionary(uniqueKeysWithValues: StunTransactionChecks.checks(Transaction.self).map { ($0.descriptor.id, $0.run()) })
        .compactMapValues { if case .fail(let failure) = $0 { return failure } else { return nil } }
}

@Suite("Exercise 09: STUN client transaction")
struct Exercise09StunTransactionTests {
    @Test("the reference answer passes every check, the starter none, each failing on notImplemented")
    func referenceAndStarter() {
        #expect(failures(Solutions.StunTransaction.self).isEmpty)
        #expect(failures(Faithful.self).isEmpty)
        let starter = failures(Exercises.StunTransaction.self)
        #expect(starter.count == 11)
        #expect(starter.values.allSatisfy { $0.actual.hasPrefix("start(now: 0) threw ExerciseError.notImplemented") })
        #expect(StunTransactionChecks.descriptors.count == 11)
        #expect(StunTransactionChecks.descriptors.reduce(0) { $0 + $1.points } == 24)
        #expect(Set(StunTransactionChecks.descriptors.map(\.id)).count == 11)
        #expect(StunTransactionChecks.descriptors.allSatisfy { $0.id.hasPrefix("09.") && ($0.rule.hasPrefix("RFC 8489") || $0.rule.hasPrefix("Sans-IO")) })
    }

    @Test("the reference model gives RFC 8489's default schedule: sends at 0…31500 ms, give-up at 39500 ms")
    func referenceSchedule() {
        let run = StunNetwork.run(StunTransactionReference.self, StunTransactionScripts.allLost[0])
        #expect(StunTransactionChecks.sendTimes(run) == [0, 500, 1500, 3500, 7500, 15500, 31500])
        #expect(StunTransactionChecks.endings(run) == [.timedOut(at: 39500)])
        #expect(StunTransactionChecks.render(run)
                    == "sends at 0, 500, 1500, 3500, 7500, 15500, 31500 ms (7 requests); timed out at 39500 ms")
        let rto100 = StunNetwork.run(StunTransactionReference.self, StunTransactionScripts.customRTO[0])
        #expect(StunTransactionChecks.sendTimes(rto100) == [0, 100, 300, 700, 1500, 3100, 6300])
        #expect(StunTransactionChecks.endings(rto100) == [.timedOut(at: 7900)])
    }

    @Test("waits that do not double fail the schedule checks and are named")
    func noDoubling() throws {
        let failed = failures(NoDoubling.self)
        #expect(failed.keys.sorted() == ["09.custom.rc-rm", "09.custom.rto", "09.late-answer.ignored", "09.loss.first-requests",
                                         "09.loss.give-up", "09.retransmission.earlier-answer", "09.seeded.random-networks",
                                         "09.timers.early-tick"])
        let loss = try #require(failed["09.loss.first-requests"])
        // One lost send looks right (a single wait of 500 ms); two do not.
        #expect(loss.input.contains("sends #1 and #2 are lost, every later send is answered after 40 ms"))
        #expect(loss.expected == "sends at 0, 500, 1500 ms (3 requests); completed at 1540 ms with the answer to send #3")
        #expect(loss.actual == "sends at 0, 500, 1000 ms (3 requests); completed at 1040 ms with the answer to send #3 "
                    + "(every wait was 500 ms: the wait doubles after each send (RTO, 2 RTO, 4 RTO…))")
        let giveUp = try #require(failed["09.loss.give-up"])
        #expect(giveUp.expected == "sends at 0, 500, 1500, 3500, 7500, 15500, 31500 ms (7 requests); timed out at 39500 ms")
        #expect(giveUp.actual == "sends at 0, 500, 1000, 1500, 2000, 2500, 3000 ms (7 requests); timed out at 11000 ms "
                    + "(every wait was 500 ms: the wait doubles after each send (RTO, 2 RTO, 4 RTO…))")
        #expect(giveUp.rule.hasPrefix("RFC 8489 §6.2.1"))
    }

    @Test("one request too many fails the give-up and parameter checks, naming Rc")
    func oneTooMany() throws {
        let failed = failures(OneTooMany.self)
        #expect(failed.keys.sorted() == ["09.custom.rc-rm", "09.custom.rto", "09.late-answer.ignored", "09.loss.give-up",
                                         "09.seeded.random-networks", "09.timers.early-tick"])
        let giveUp = try #require(failed["09.loss.give-up"])
        #expect(giveUp.actual.contains("(8 requests)"))
        #expect(giveUp.actual.hasSuffix("(8 requests: Rc = 7 counts every request, the first included)"))
    }

    @Test("a final wait of Rm times the last interval fails the give-up checks and says which RTO")
    func longFinalWait() throws {
        let failed = failures(LongFinalWait.self)
        #expect(failed.keys.sorted() == ["09.custom.rc-rm", "09.custom.rto", "09.late-answer.ignored", "09.loss.give-up",
                                         "09.seeded.random-networks", "09.timers.early-tick"])
        let giveUp = try #require(failed["09.loss.give-up"])
        #expect(giveUp.actual.hasPrefix("sends at 0, 500, 1500, 3500, 7500, 15500, 31500 ms (7 requests); timed out at 543500 ms"))
        #expect(giveUp.actual.contains("it is Rm × RTO = 16 × 500 = 8000 ms, with the initial RTO"))
    }

    @Test("a transaction that takes any response fails the transaction-id check, and is told to compare the id")
    func anyID() throws {
        let failed = failures(AnyID.self)
        #expect(failed.keys.contains("09.wrong-transaction-id.ignored"))
        #expect(failed.keys.sorted().allSatisfy { ["09.wrong-transaction-id.ignored", "09.seeded.random-networks"].contains($0) })
        let wrong = try #require(failed["09.wrong-transaction-id.ignored"])
        #expect(wrong.expected == "sends at 0, 500 ms (2 requests); completed at 540 ms with the answer to send #2")
        #expect(wrong.actual == "send at 0 ms; completed at 200 ms with the stray response (another transaction id) that "
                    + "arrived at 200 ms (that response carries another transaction id: compare the whole 12-byte id with yours)")
        #expect(wrong.rule.contains("§6.3"))
    }

    @Test("a transaction that ends on every answer fails the duplicate, late and earlier-answer checks")
    func endsEveryTime() throws {
        let failed = failures(EndsEveryTime.self)
        #expect(failed.keys.sorted() == ["09.duplicate.consumed-once", "09.late-answer.ignored", "09.retransmission.earlier-answer",
                                         "09.seeded.random-networks"])
        let duplicate = try #require(failed["09.duplicate.consumed-once"])
        #expect(duplicate.expected == "send at 0 ms; completed at 40 ms with the answer to send #1")
        #expect(duplicate.actual == "send at 0 ms; completed at 40 ms with the answer to send #1; completed at 45 ms with the "
                    + "duplicate of the answer to send #1 (the transaction ended 2 times: once it is over, every later response is ignored)")
        let late = try #require(failed["09.late-answer.ignored"])
        #expect(late.expected.hasSuffix("timed out at 39500 ms"))
        #expect(late.actual.contains("timed out at 39500 ms; completed at 40500 ms with the answer to send #7"))
    }

    @Test("a tick obeyed before its deadline fails the early-tick check")
    func impatient() throws {
        let failed = failures(Impatient.self)
        #expect(failed.keys.contains("09.timers.early-tick"))
        #expect(failed.keys.sorted().allSatisfy { ["09.timers.early-tick", "09.seeded.random-networks"].contains($0) })
        let early = try #require(failed["09.timers.early-tick"])
        #expect(early.input.contains("tick(now:) every 100 ms from 50 ms"))
        #expect(early.expected == "sends at 0, 500, 1500, 3500 ms (4 requests); completed at 3540 ms with the answer to send #4")
        #expect(early.actual.hasPrefix("sends at 0, 50, 150, 250"))
    }

    @Test("the seeded networks are reproducible, varied, and their scripts say everything")
    func seededScripts() {
        let first = (1...UInt64(StunTransactionScripts.seededCount)).map { StunTransactionScripts.seeded($0) }
        let again = (1...UInt64(StunTransactionScripts.seededCount)).map { StunTransactionScripts.seeded($0) }
        #expect(first.map(\.summary) == again.map(\.summary))
        let runs = first.map { StunNetwork.run(StunTransactionReference.self, $0) }
        #expect(runs.contains { if case .timedOut? = StunTransactionChecks.endings($0).first { return true } else { return false } })
        #expect(runs.contains { if case .completed? = StunTransactionChecks.endings($0).first { return true } else { return false } })
        #expect(first.contains { !$0.strays.isEmpty } && first.contains { !$0.earlyTicks.isEmpty })
        #expect(runs.allSatisfy { StunTransactionChecks.endings($0).count == 1 })
        #expect(first[0].summary.hasPrefix("seed 1: RTO "))
    }

    @Test("lab grade: a starter copy with only exercise 09 solved earns exactly exercise 09's points")
    func gradesASolvedCopy() throws {
        try GraderTestSupport.expectOnlySolvedExerciseEarns("09-stun-transaction", file: "StunTransaction.swift", checks: 11, points: 24)
    }
}

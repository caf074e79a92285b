import ExerciseInterfaces
import Solutions
import STUN
import Testing
import ToolTestSupport
import Wire
@testable import stun_probe

/// What a transaction was asked and answered, per transaction id (tests run in parallel,
/// and every probe transaction has its own random id, so entries never mix).
private let calls = Locked<[[UInt8]: [Call]]>([:])

private struct Call: Equatable {
    enum Kind: Equatable { case start, tick, receive }
    var kind: Kind
    var now: Int
    var sent: Bool
    var ended: Bool
}

/// The reference solution, recording every call the tool makes into it.
private struct RecordedSolution: StunTransactionExercise {
    private var inner: Solutions.StunTransaction
    private let id: [UInt8]

    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        inner = Solutions.StunTransaction(request: request, transactionID: transactionID, configuration: configuration)
        id = transactionID
    }

    private func log(_ kind: Call.Kind, _ now: Int, _ actions: [StunTransactionAction]) -> [StunTransactionAction] {
        let sent = actions.contains { if case .send = $0 { return true } else { return false } }
        let ended = actions.contains { if case .send = $0 { return false } else { return true } }
        calls.withLock { $0[id, default: []].append(Call(kind: kind, now: now, sent: sent, ended: ended)) }
        return actions
    }

    mutating func start(now: Int) throws -> [StunTransactionAction] { log(.start, now, try inner.start(now: now)) }
    mutating func receive(_ response: StunResponse, now: Int) throws -> [StunTransactionAction] {
        log(.receive, now, try inner.receive(response, now: now))
    }
    mutating func tick(now: Int) throws -> [StunTransactionAction] { log(.tick, now, try inner.tick(now: now)) }
    var nextDeadline: Int? { inner.nextDeadline }
}

/// Sends twice, 10 ms apart, then gives up 20 ms later: a schedule nothing like the RFC's, to
/// prove the tool follows the student's decisions rather than its own.
private struct TwoAndOut: StunTransactionExercise {
    let request: [UInt8]
    var deadline: Int?
    var sent = 0

    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) { self.request = request }

    mutating func start(now: Int) throws -> [StunTransactionAction] {
        sent = 1
        deadline = now + 10
        return [.send(request)]
    }
    mutating func receive(_ response: StunResponse, now: Int) throws -> [StunTransactionAction] { [] }
    mutating func tick(now: Int) throws -> [StunTransactionAction] {
        guard let due = deadline, now >= due else { return [] }
        if sent == 1 {
            sent = 2
            deadline = now + 20
            return [.send(request)]
        }
        deadline = nil
        return [.timedOut]
    }
    var nextDeadline: Int? { deadline }
}

/// Ignores every response, even its own: a rule the tool can see broken on real traffic.
private struct Deaf: StunTransactionExercise {
    var inner: Solutions.StunTransaction
    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {
        inner = Solutions.StunTransaction(request: request, transactionID: transactionID, configuration: configuration)
    }
    mutating func start(now: Int) throws -> [StunTransactionAction] { try inner.start(now: now) }
    mutating func receive(_ response: StunResponse, now: Int) throws -> [StunTransactionAction] { [] }
    mutating func tick(now: Int) throws -> [StunTransactionAction] { try inner.tick(now: now) }
    var nextDeadline: Int? { inner.nextDeadline }
}

/// The starter's behaviour: every call throws notImplemented.
private struct NotWritten: StunTransactionExercise {
    init(request: [UInt8], transactionID: [UInt8], configuration: StunTransactionConfiguration) {}
    mutating func start(now: Int) throws -> [StunTransactionAction] { throw ExerciseError.notImplemented }
    mutating func receive(_ response: StunResponse, now: Int) throws -> [StunTransactionAction] { throw ExerciseError.notImplemented }
    mutating func tick(now: Int) throws -> [StunTransactionAction] { throw ExerciseError.notImplemented }
    var nextDeadline: Int? { nil }
}

/// `stun-probe --use-exercise` with exercise 09 (and 02) swapped for the reference solutions,
/// in-process: the tool builds, sends and verifies real datagrams; the transaction decides
/// when to send them and when to give up. The tool runs the student's starter by default
/// (`StunProbeTests` covers that path as a program); here the same code gets other
/// implementations. Every assertion about time is a lower bound the transaction itself set:
/// a loaded machine can only make the tool late, never early.
@Suite("stun-probe --use-exercise with the reference StunTransaction")
struct UseExerciseTests {
    private static func probe(_ arguments: [String], transaction: any StunTransactionExercise.Type)
        throws -> (mode: ProbeMode, failure: ProbeFailure?) {
        let mode = ProbeMode(command: try ProbeCommand.parse(arguments + ["--use-exercise", "--json"]),
                             transaction: transaction, decoder: Solutions.STUNCoding.self)
        do {
            try mode.run()
            return (mode, nil)
        } catch let failure as ProbeFailure {
            return (mode, failure)
        }
    }

    private static func log(of record: TransactionRecord) -> [Call] {
        calls.withLock { $0[record.transactionID.bytes] ?? [] }
    }

    @Test("against coturn on loopback: three Bindings completed by the solution's transaction, the address decoded by exercise 02's")
    func coturn() throws {
        let server = try Coturn.start(credentials: nil, relaysOnLoopback: false)
        defer { server.stop() }
        let (mode, failure) = try Self.probe(["127.0.0.1:\(server.port)", "--count", "3"], transaction: RecordedSolution.self)
        #expect(failure == nil, "\(failure?.message ?? "")")
        #expect(!mode.transactionNotImplemented)
        #expect(mode.transactions.count == 3)
        for record in mode.transactions {
            guard case let .success(response)? = record.outcome else {
                Issue.record("transaction \(record.number) did not succeed: \(String(describing: record.outcome))")
                continue
            }
            #expect(response.mappedAddress?.ip == .loopbackV4)
            #expect((try? response.message.attribute(Software.self))?.value.hasPrefix("Coturn") == true)
            #expect(record.exercise?.failure == nil)
            // The solution started it, and a response it received ended it.
            let log = Self.log(of: record)
            #expect(log.first?.kind == .start && log.first?.sent == true)
            #expect(log.filter(\.ended).count == 1 && log.first(where: \.ended)?.kind == .receive)
            #expect(log.filter(\.sent).count == record.transmissions)
        }
    }

    @Test("against coturn with the first 2 sends dropped: the solution retransmits at its own deadlines (RTO 20 ms) and the third send is answered")
    func coturnWithLoss() throws {
        let server = try Coturn.start(credentials: nil, relaysOnLoopback: false)
        defer { server.stop() }
        let (mode, failure) = try Self.probe(["127.0.0.1:\(server.port)", "--rto", "20", "--drop-requests", "2"],
                                             transaction: RecordedSolution.self)
        #expect(failure == nil, "\(failure?.message ?? "")")
        let record = try #require(mode.transactions.first)
        guard case .success? = record.outcome else {
            Issue.record("not answered: \(String(describing: record.outcome)) \(record.transactionProblem ?? "")")
            return
        }
        #expect(record.transmissions == 3)
        #expect(record.droppedSends == [1, 2])
        #expect(record.retransmittedAt.count == 2)
        // The solution's own clock: sends at s, then no earlier than s + 20, then no earlier than that + 40.
        let sends = Self.log(of: record).filter(\.sent).map(\.now)
        #expect(sends.count == 3)
        if sends.count == 3 {
            #expect(sends[1] >= sends[0] + 20 && sends[2] >= sends[1] + 40, "sends at \(sends) ms")
        }
        // Each retransmission went out no earlier than its deadline (less the clock's sub-millisecond rounding).
        #expect(record.retransmittedAt[0] >= .milliseconds(19) && record.retransmittedAt[1] >= .milliseconds(59),
                "retransmitted at \(record.retransmittedAt)")
        #expect(Self.log(of: record).last?.kind == .receive)
    }

    @Test("against the embedded server, three transactions each losing their first send: each completes on its second")
    func embeddedWithLoss() throws {
        let (mode, failure) = try Self.probe(["--rto", "10", "--drop-requests", "1", "--count", "3"], transaction: RecordedSolution.self)
        #expect(failure == nil, "\(failure?.message ?? "")")
        #expect(mode.transactions.count == 3)
        for record in mode.transactions {
            #expect(record.transmissions == 2 && record.droppedSends == [1])
            if case .success? = record.outcome {} else { Issue.record("transaction \(record.number): \(String(describing: record.outcome))") }
        }
    }

    @Test("a transaction that gives up after two sends is obeyed: two sends, then exit 4, although the RFC allows seven")
    func studentDecidesTheGiveUp() throws {
        let server = try Coturn.start(credentials: nil, relaysOnLoopback: false)
        defer { server.stop() }
        let (mode, failure) = try Self.probe(["127.0.0.1:\(server.port)", "--drop-requests", "5"], transaction: TwoAndOut.self)
        #expect(failure?.exit == .noResponse)
        let record = try #require(mode.transactions.first)
        guard case let .timedOut(transmissions)? = record.outcome else {
            Issue.record("expected a time-out, got \(String(describing: record.outcome))")
            return
        }
        #expect(transmissions == 2 && record.droppedSends == [1, 2])
        #expect(record.retransmittedAt.count == 1 && record.retransmittedAt[0] >= .milliseconds(9))
    }

    @Test("a transaction that ignores its own answer stops the run with exit 8 and says so")
    func deafTransaction() throws {
        let (mode, failure) = try Self.probe(["--rto", "10"], transaction: Deaf.self)
        #expect(failure?.exit == .exerciseFailed)
        #expect(failure?.message.contains("ignored a response with its own transaction id while it was still waiting") == true,
                "\(failure?.message ?? "")")
        #expect(failure?.message.contains("exercises/09-stun-transaction/StunTransaction.swift") == true)
        #expect(mode.transactions.count == 1)
    }

    @Test("an unwritten transaction (the starter's notImplemented): the library's does the work, and the run exits 8 naming exercise 09")
    func starter() throws {
        let (mode, failure) = try Self.probe([], transaction: NotWritten.self)
        #expect(mode.transactionNotImplemented)
        #expect(failure?.exit == .exerciseFailed)
        #expect(failure?.message == TransactionExercise.notImplemented)
        guard case .success? = mode.transactions.first?.outcome else {
            Issue.record("the library's transaction did not complete: \(String(describing: mode.transactions.first?.outcome))")
            return
        }
    }

    @Test("the parameters reach the transaction as the RFC's: --rto 250 gives RTO 250 ms, Rc 7, Rm 16")
    func configuration() {
        let policy = STUNRetransmissionPolicy(initialRTO: .milliseconds(250))
        #expect(BindingProbeClient.configuration(policy) == StunTransactionConfiguration(rtoMilliseconds: 250))
        #expect(BindingProbeClient.configuration(.rfc8489) == StunTransactionConfiguration())
    }
}

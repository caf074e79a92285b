import ExerciseInterfaces
import SCTP
import Solutions
import Testing
import ToolTestSupport
@testable import sctp_streams

/// `sctp-streams --use-exercise` on its success path. The tool runs the student's exercise
/// 12 by default, which in this repository is the starter (exit 8, tested below through
/// the real binary); here the same code path gets the reference solution, so every
/// message the run counts as delivered was reassembled and ordered by exercise code.
@Suite("sctp-streams --use-exercise with the reference solution (solutions/12-stream-receive)")
struct UseExerciseTests {
    /// A run through `LoopbackRun` with `Solutions.StreamReceive` delivering, and its report.
    static func run(_ arguments: [String]) throws -> (exit: StreamsExit, report: RunReport) {
        let run = try LoopbackRun(command: StreamsCommand.parse(["--use-exercise", "--json"] + arguments),
                                  exercise: Solutions.StreamReceive.self)
        let exit = try run.run()
        return (exit, run.report)
    }

    @Test("under 10 % loss every reliable message arrives, ordered streams in order, through the solution",
          arguments: [UInt64(3), 11])
    func deliversEverythingUnderLoss(seed: UInt64) throws {
        let (exit, report) = try Self.run(["--loss", "0.1", "--messages", "60", "--streams", "2", "--interval", "2",
                                           "--delay", "2", "--seed", String(seed), "--max-retransmits", "1", "--size", "300"])
        #expect(exit == .success, "\(report.error ?? "")")
        let summary = try #require(report.exercise)
        // 300-byte messages in 40-byte fragments: 8 fragments each, TSNs from 64 below the wrap.
        #expect(summary.fragmentsSent >= 4 * 60 * 8 - 8 && summary.wrapped)
        #expect(summary.refused == 0)
        #expect(summary.messagesDelivered == report.modes.reduce(0) { $0 + $1.delivered })
        for stats in report.modes {
            #expect(stats.sent == 60, "\(stats.mode)")
            if stats.mode.isReliable { #expect(stats.delivered == 60 && stats.lost == 0, "\(stats.mode): \(stats.delivered)") }
            if stats.mode.isOrdered { #expect(stats.outOfOrder == 0, "\(stats.mode)") }
            #expect(stats.duplicates == 0 && stats.corrupted == 0, "\(stats.mode)")
            if !stats.mode.isReliable { #expect(stats.delivered + stats.abandoned + stats.inFlight >= stats.sent, "\(stats.mode)") }
        }
        // Loss made reordering happen, so the receiver really had work to do. Whether a partially
        // reliable message is abandoned depends on which timer fires first (real time, loaded
        // machine), so abandonment is checked only for consistency: what was abandoned reached the
        // student's side as notices. Not necessarily as a FORWARD-TSN: on a loaded machine the
        // sender may abandon fragments that did arrive (their SACK came late), and then the
        // cumulative TSN is already past them, so RFC 3758 §3.5 has nothing to skip (a clean-clone
        // run at load 23 saw exactly that: notices, no FORWARD-TSN).
        #expect(report.datagrams.droppedByLoss > 0)
        if report.modes.contains(where: { $0.abandoned > 0 }) {
            #expect(summary.abandonmentNotices > 0)
        }
    }

    @Test("without loss the solution delivers every message of every mode, in order where ordered")
    func deliversEverythingWithoutLoss() throws {
        let (exit, report) = try Self.run(["--loss", "0", "--messages", "40", "--interval", "1", "--delay", "1",
                                           "--fragment-size", "7"])
        #expect(exit == .success, "\(report.error ?? "")")
        // Without loss nothing should be abandoned, but the unreliable modes give up after one
        // timer expiry, and a loaded machine (this suite runs beside others) can let T3-rtx fire
        // before the SACK is read: 1-3 of 40 abandoned, and delivered anyway, was seen. So those
        // modes are held to what holds under any load: every message delivered or abandoned.
        for stats in report.modes {
            let detail = "\(stats.mode): delivered \(stats.delivered), abandoned \(stats.abandoned), in flight \(stats.inFlight)"
            #expect(stats.outOfOrder == 0 && stats.duplicates == 0 && stats.corrupted == 0, "\(detail)")
            if stats.mode.isReliable {
                #expect(stats.delivered == 40, "\(detail)")
            } else {
                #expect(stats.delivered + stats.abandoned >= 40, "\(detail)")
            }
        }
        if report.modes.allSatisfy({ $0.abandoned == 0 }) {
            #expect(report.exercise?.fragmentsReceived == report.exercise?.fragmentsSent)
        }
    }

    /// Delivers ordered messages as soon as they are whole: the tool must see the broken promise.
    struct IgnoresOrder: StreamReceiveExercise {
        var inner: Solutions.StreamReceive
        init(initialTSN: UInt32, limits: StreamReceiveLimits) { inner = .init(initialTSN: initialTSN, limits: limits) }
        var cumulativeTSN: UInt32 { inner.cumulativeTSN }
        mutating func receive(_ fragment: DataFragment) throws -> [DeliveredMessage] {
            var unordered = fragment
            unordered.unordered = true
            return try inner.receive(unordered).map {
                DeliveredMessage(stream: $0.stream, ssn: fragment.ssn, unordered: fragment.unordered, payload: $0.payload)
            }
        }
        mutating func receive(_ forwardTSN: ForwardTSN) throws -> [DeliveredMessage] { try inner.receive(forwardTSN) }
    }

    @Test("a receiver that ignores the order breaks the ordered modes' promise under loss: exit 6")
    func wrongOrderIsCaught() throws {
        let run = try LoopbackRun(command: StreamsCommand.parse(["--use-exercise", "--json", "--loss", "0.15", "--messages", "80",
                                                                  "--modes", "reliable-ordered", "--interval", "1", "--delay", "2",
                                                                  "--seed", "5", "--size", "200"]),
                                  exercise: IgnoresOrder.self)
        #expect(try run.run() == .promiseBroken)
        #expect(run.report.modes.first?.outOfOrder ?? 0 > 0)
    }

    @Test("the starter stops the tool before anything is sent: exit 8 with a message naming the file")
    func starterStops() throws {
        let run = try Programs.runProduct("sctp-streams", ["--use-exercise"], timeout: .seconds(60))
        #expect(run.status == StreamsExit.exerciseFailure.rawValue)
        #expect(run.stderr.contains("exercises/12-stream-receive/StreamReceive.swift is not implemented yet"), "\(run.stderr)")
        #expect(!run.stdout.contains("mode "))
        let help = try Programs.runProduct("sctp-streams", ["--help"], timeout: .seconds(60))
        #expect(help.stdout.contains("--use-exercise") && help.stdout.contains("8"))
    }

    @Test("--fragment-size needs --use-exercise and stays within one packet")
    func fragmentSizeValidation() {
        #expect(throws: (any Error).self) { try StreamsCommand.parse(["--fragment-size", "10"]) }
        #expect(throws: (any Error).self) { try StreamsCommand.parse(["--use-exercise", "--fragment-size", "2000"]) }
        #expect((try? StreamsCommand.parse(["--use-exercise", "--fragment-size", "1"])) != nil)
    }
}

@Suite("sctp-streams --use-exercise: the fragment framing")
struct ExerciseFramingTests {
    @Test("a fragment and an abandonment notice survive a round trip; other bytes are not taken for them")
    func roundTrips() {
        let fragment = DataFragment(tsn: 0xFFFF_FFFF, stream: 6, ssn: 65535, unordered: true, begin: false, end: true,
                                    payload: [1, 2, 3])
        #expect(ExerciseFraming.fragment(ExerciseFraming.encode(fragment)) == fragment)
        let notice = ExerciseFraming.Abandoned(firstTSN: 0xFFFF_FFFE, lastTSN: 1, stream: 4, ssn: 9, unordered: false)
        #expect(ExerciseFraming.abandoned(ExerciseFraming.encode(notice)) == notice)
        #expect(ExerciseFraming.fragment([0x46, 0, 0]) == nil && ExerciseFraming.fragment([]) == nil)
        #expect(ExerciseFraming.abandoned(ExerciseFraming.encode(fragment)) == nil)
        #expect(ExerciseFraming.fragment(ExerciseFraming.encode(notice)) == nil)
    }
}

@Suite("sctp-streams --use-exercise: the receiving side's FORWARD-TSNs")
struct ExerciseDeliveryTests {
    static let first = ExerciseFraming.initialTSN

    static func carrier(_ tsn: UInt32, ssn: UInt16, begin: Bool = true, end: Bool = true, _ text: String) -> SCTPMessage {
        let fragment = DataFragment(tsn: tsn, stream: 0, ssn: ssn, unordered: false, begin: begin, end: end, payload: Array(text.utf8))
        return SCTPMessage(stream: 0, ppid: tsn, bytes: ExerciseFraming.encode(fragment), unordered: true)
    }

    @Test("an abandoned message becomes a FORWARD-TSN once every TSN before it arrived, and unblocks its stream")
    func forwardAfterTheGapCloses() {
        let delivery = ExerciseDelivery(exercise: Solutions.StreamReceive.self)
        let first = Self.first
        // SSN 0 in two fragments (TSNs first, first+1), SSN 1 abandoned (first+2), SSN 2 (first+3).
        #expect(delivery.handle(Self.carrier(first &+ 3, ssn: 2, "c")).isEmpty)
        #expect(delivery.handle(Self.carrier(first &+ 1, ssn: 0, begin: false, "a2")).isEmpty)
        let notice = ExerciseFraming.Abandoned(firstTSN: first &+ 2, lastTSN: first &+ 2, stream: 0, ssn: 1, unordered: false)
        let control = SCTPMessage(stream: ExerciseFraming.controlStream, ppid: 0, bytes: ExerciseFraming.encode(notice), unordered: true)
        // TSN `first` is still missing: no FORWARD-TSN may skip it yet.
        #expect(delivery.handle(control).isEmpty)
        #expect(delivery.forwardTSNs == 0)
        let delivered = delivery.handle(Self.carrier(first, ssn: 0, end: false, "a1"))
        #expect(delivered.map { String(decoding: $0.payload, as: UTF8.self) } == ["a1a2", "c"])
        #expect(delivery.forwardTSNs == 1 && delivery.cumulativeTSN == first &+ 3)
        #expect(delivery.failure == nil && delivery.refused == 0)
    }

    @Test("the check before the run passes the solution and names what a wrong first answer returned")
    func preflight() {
        #expect(ExerciseDelivery.preflight(Solutions.StreamReceive.self) == nil)
        let wrong = ExerciseDelivery.preflight(UseExerciseTests.IgnoresOrder.self)
        #expect(wrong == nil)   // one whole first message: ignoring the order changes nothing yet
        #expect(ExerciseDelivery.preflight(Silent.self)?.contains("returned [], expected [s0#0 \"hi\"]") == true)
    }

    /// Never delivers anything.
    struct Silent: StreamReceiveExercise {
        init(initialTSN: UInt32, limits: StreamReceiveLimits) {}
        var cumulativeTSN: UInt32 { 0 }
        mutating func receive(_ fragment: DataFragment) throws -> [DeliveredMessage] { [] }
        mutating func receive(_ forwardTSN: ForwardTSN) throws -> [DeliveredMessage] { [] }
    }
}

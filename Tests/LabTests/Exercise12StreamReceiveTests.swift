@testable import ExerciseChecks
import ExerciseInterfaces
import Exercises
import Solutions
import Testing

// Exercise 12: the reference answer passes every check and the starter none; the model
// in ExerciseChecks agrees with the reference answer on every input the checks generate;
// the generated runs are what they claim to be (reordered, duplicated, with FORWARD-TSNs,
// across the wrap); each classic mistake, switched on in a copy of the reference answer,
// fails exactly the checks meant to catch it, with a readable failure; and a submission
// with exercise 12 solved earns exactly its points. (`sctp-streams --use-exercise` with
// the reference answer is tested in SctpStreamsExerciseTests.)

/// The classic mistakes, each one switched on in a copy of the reference answer.
private enum ReceiveFlaw: Hashable {
    /// TSNs and SSNs compared with `<` / `>` (no serial arithmetic).
    case plainComparison
    /// Duplicates recognised only among the fragments still held.
    case forgetsDelivered
    /// Never refuses anything.
    case noLimits
    /// Refuses even the fragment right after the cumulative TSN when full.
    case fullBufferDeadlocks
    /// Ordered messages delivered as soon as whole.
    case noOrdering
    /// Processes FORWARD-TSNs below the cumulative TSN too.
    case acceptsStale
    /// Ignores the stream/SSN entries of FORWARD-TSN.
    case ignoresSkips
    /// Keeps partial messages below the new cumulative TSN.
    case keepsPartials
    /// Sets the next SSN from any entry, even one behind it.
    case skipsBackwards
    /// Also drops the fragments the cumulative TSN moved over after the New Cumulative TSN.
    case discardsPastTarget
}

private protocol ReceiveFlawSet { static var flaws: Set<ReceiveFlaw> { get } }
private struct Flawed<Flaw: ReceiveFlawSet>: StreamReceiveExercise {
    /// One ordered stream's delivery state.
    struct OrderedStream {
        var nextSSN: UInt16 = 0
        var waiting: [UInt16: DeliveredMessage] = [:]
    }

    let limits: StreamReceiveLimits
    var cumulative: UInt32
    var above: Set<UInt32> = []
    var fragments: [UInt32: DataFragment] = [:]
    var streams: [UInt16: OrderedStream] = [:]
    /// Payload bytes in `fragments` and in the streams' waiting messages.
    var held = 0

    init(initialTSN: UInt32, limits: StreamReceiveLimits) {
        self.limits = limits
        cumulative = initialTSN &- 1
    }

    var cumulativeTSN: UInt32 { cumulative }

    /// RFC 1982 for 32 bits: is `a` after `b`? (Half the circle ahead is "after".)
    static func isAfter(_ a: UInt32, _ b: UInt32) -> Bool { Flaw.flaws.contains(.plainComparison) ? a > b : a != b && a &- b < 1 << 31 }

    /// RFC 1982 for 16-bit SSNs.
    static func isAfter(_ a: UInt16, _ b: UInt16) -> Bool { Flaw.flaws.contains(.plainComparison) ? a > b : a != b && a &- b < 1 << 15 }

    mutating func receive(_ fragment: DataFragment) throws -> [DeliveredMessage] {
        let tsn = fragment.tsn
        // At or below the cumulative TSN, or already seen above it: a duplicate (§6.2).
        guard Self.isAfter(tsn, cumulative), Flaw.flaws.contains(.forgetsDelivered) ? fragments[tsn] == nil : !above.contains(tsn) else { return [] }
        guard Flaw.flaws.contains(.noLimits) || tsn &- cumulative <= limits.tsnWindow else {
            throw StreamReceiveError.outsideWindow(tsn: tsn, cumulativeTSN: cumulative)
        }
        // The chunk right after the cumulative TSN is always taken, so a full buffer cannot deadlock.
        if !Flaw.flaws.contains(.noLimits), Flaw.flaws.contains(.fullBufferDeadlocks) || tsn != cumulative &+ 1, held + fragment.payload.count > limits.maxBufferedBytes {
            throw StreamReceiveError.bufferFull(held: held, limit: limits.maxBufferedBytes)
        }
        above.insert(tsn)
        advanceCumulative()
        fragments[tsn] = fragment
        held += fragment.payload.count
        guard let message = assemble(around: fragment) else { return [] }
        return place(message)
    }

    mutating func receive(_ forwardTSN: ForwardTSN) throws -> [DeliveredMessage] {
        let target = forwardTSN.newCumulativeTSN
        guard Flaw.flaws.contains(.acceptsStale) || Self.isAfter(target, cumulative) else { return [] }   // stale or repeated (§3.6)
        cumulative = target
        above = above.filter { Self.isAfter($0, target) }
        advanceCumulative()
        // Fragments at or below the New Cumulative TSN belong to abandoned messages.
        for (tsn, fragment) in fragments where !Flaw.flaws.contains(.keepsPartials)
            && !Self.isAfter(tsn, Flaw.flaws.contains(.discardsPastTarget) ? cumulative : target) {
            fragments[tsn] = nil
            held -= fragment.payload.count
        }
        var delivered: [DeliveredMessage] = []
        for skip in forwardTSN.skipped where !Flaw.flaws.contains(.ignoresSkips) {
            delivered += skipOrdered(stream: skip.stream, through: skip.ssn)
        }
        return delivered
    }

    /// Moves the cumulative TSN over every consecutive TSN received above it.
    mutating func advanceCumulative() {
        while above.remove(cumulative &+ 1) != nil { cumulative &+= 1 }
    }

    /// The whole message `fragment` belongs to, when every fragment from its B to its E
    /// (consecutive TSNs, same stream and kind) is here; removes those fragments.
    mutating func assemble(around fragment: DataFragment) -> DeliveredMessage? {
        func sameMessage(_ other: DataFragment) -> Bool {
            other.stream == fragment.stream && other.unordered == fragment.unordered
                && (fragment.unordered || other.ssn == fragment.ssn)
        }
        var first = fragment.tsn
        while !(fragments[first]?.begin ?? false) {
            guard let previous = fragments[first &- 1], sameMessage(previous), !previous.end else { return nil }
            first &-= 1
        }
        var last = fragment.tsn
        while !(fragments[last]?.end ?? false) {
            guard let next = fragments[last &+ 1], sameMessage(next), !next.begin else { return nil }
            last &+= 1
        }
        var payload: [UInt8] = []
        var tsn = first
        while true {
            if let piece = fragments.removeValue(forKey: tsn) {
                payload += piece.payload
                held -= piece.payload.count
            }
            if tsn == last { break }
            tsn &+= 1
        }
        return DeliveredMessage(stream: fragment.stream, ssn: fragment.ssn, unordered: fragment.unordered, payload: payload)
    }

    /// An unordered message goes out at once; an ordered one when its SSN is next (§6.5-6.6).
    mutating func place(_ message: DeliveredMessage) -> [DeliveredMessage] {
        if message.unordered || Flaw.flaws.contains(.noOrdering) { return [message] }
        var stream = streams[message.stream] ?? OrderedStream()
        defer { streams[message.stream] = stream }
        if message.ssn == stream.nextSSN {
            stream.nextSSN &+= 1
            return [message] + Self.drain(&stream, held: &held)
        }
        if Self.isAfter(message.ssn, stream.nextSSN), stream.waiting[message.ssn] == nil {
            stream.waiting[message.ssn] = message
            held += message.payload.count
        }
        // An SSN before the next one was skipped by a FORWARD-TSN: too late to deliver.
        return []
    }

    /// RFC 3758 §3.6: deliver what waits up to `ssn`, in order, then expect `ssn + 1`.
    mutating func skipOrdered(stream id: UInt16, through ssn: UInt16) -> [DeliveredMessage] {
        var stream = streams[id] ?? OrderedStream()
        defer { streams[id] = stream }
        if Flaw.flaws.contains(.skipsBackwards) { stream.nextSSN = ssn &+ 1; return Self.drain(&stream, held: &held) }
        guard !Self.isAfter(stream.nextSSN, ssn &+ 1) else { return [] }   // nothing new skipped
        var delivered: [DeliveredMessage] = []
        while stream.nextSSN != ssn &+ 1 {
            if let message = stream.waiting.removeValue(forKey: stream.nextSSN) {
                held -= message.payload.count
                delivered.append(message)
            }
            stream.nextSSN &+= 1
        }
        return delivered + Self.drain(&stream, held: &held)
    }

    /// The waiting messages that follow the next SSN without a gap.
    static func drain(_ stream: inout OrderedStream, held: inout Int) -> [DeliveredMessage] {
        var delivered: [DeliveredMessage] = []
        while let message = stream.waiting.removeValue(forKey: stream.nextSSN) {
            held -= message.payload.count
            delivered.append(message)
            stream.nextSSN &+= 1
        }
        return delivered
    }
}

private enum PlainComparison: ReceiveFlawSet { static let flaws: Set<ReceiveFlaw> = [.plainComparison] }
private enum ForgetsDelivered: ReceiveFlawSet { static let flaws: Set<ReceiveFlaw> = [.forgetsDelivered] }
private enum NoLimits: ReceiveFlawSet { static let flaws: Set<ReceiveFlaw> = [.noLimits] }
private enum FullBufferDeadlocks: ReceiveFlawSet { static let flaws: Set<ReceiveFlaw> = [.fullBufferDeadlocks] }
private enum NoOrdering: ReceiveFlawSet { static let flaws: Set<ReceiveFlaw> = [.noOrdering] }
private enum AcceptsStale: ReceiveFlawSet { static let flaws: Set<ReceiveFlaw> = [.acceptsStale] }
private enum IgnoresSkips: ReceiveFlawSet { static let flaws: Set<ReceiveFlaw> = [.ignoresSkips] }
private enum KeepsPartials: ReceiveFlawSet { static let flaws: Set<ReceiveFlaw> = [.keepsPartials] }
private enum SkipsBackwards: ReceiveFlawSet { static let flaws: Set<ReceiveFlaw> = [.skipsBackwards] }
private enum DiscardsPastTarget: ReceiveFlawSet { static let flaws: Set<ReceiveFlaw> = [.discardsPastTarget] }

/// Each exercise-12 check's outcome on `Receiver`, keyed by id.
private func outcomes<Receiver: StreamReceiveExercise>(_: Receiver.Type) -> [String: CheckOutcome] {
    Dictionary(uniqueKeysWithValues: StreamReceiveChecks.checks(Receiver.self).map { ($0.descriptor.id, $0.run()) })
}

private func failures(_ outcomes: [String: CheckOutcome]) -> [String: CheckFailure] {
    outcomes.compactMapValues { if case .fail(let failure) = $0 { failure } else { nil } }
}

/// What a call answered, as text: the messages, or the error thrown.
private func answer(_ body: () throws -> [DeliveredMessage]) -> String {
    do { return "\(try body())" } catch { return "throws \(error)" }
}

private func failedIDs<Receiver: StreamReceiveExercise>(_ receiver: Receiver.Type) -> [String] {
    failures(outcomes(receiver)).keys.sorted()
}

@Suite("Exercise 12: the receive side of a stream")
struct Exercise12StreamReceiveTests {
    @Test("every check passes on the reference answer and fails on the starter with notImplemented")
    func referenceAndStarter() {
        let reference = outcomes(Solutions.StreamReceive.self)
        #expect(reference.count == 14 && reference.values.allSatisfy(\.passed), "\(failures(reference))")
        let starter = failures(outcomes(Exercises.StreamReceive.self))
        #expect(starter.count == 14 && starter.values.allSatisfy { $0.actual.contains("notImplemented") })
        #expect(StreamReceiveChecks.descriptors.reduce(0) { $0 + $1.points } == 39)
        #expect(StreamReceiveChecks.descriptors.allSatisfy { $0.rule.contains("RFC") && $0.exerciseID == "12-stream-receive" })
        #expect(ExerciseCatalog.find("12")?.checks == StreamReceiveChecks.descriptors)
        #expect(CheckSuite.catalog(forExercise: "12-stream-receive") == StreamReceiveChecks.descriptors)
    }

    @Test("the model and the reference answer give the same answer to every input of every check")
    func modelAgreesWithReference() throws {
        for descriptor in StreamReceiveChecks.descriptors {
            for scenario in StreamReceiveChecks.scenarios(for: descriptor) {
                var model = StreamReceiveModel(initialTSN: scenario.initialTSN, limits: scenario.limits)
                var reference = Solutions.StreamReceive(initialTSN: scenario.initialTSN, limits: scenario.limits)
                for (index, input) in scenario.inputs.enumerated() {
                    let expected = answer { try StreamReceiveVerdict.apply(input, to: &model) }
                    let actual = answer { try StreamReceiveVerdict.apply(input, to: &reference) }
                    guard expected == actual, model.cumulativeTSN == reference.cumulativeTSN else {
                        Issue.record("\(descriptor.id) \(scenario.name) input \(index + 1): model \(expected), reference \(actual)")
                        return
                    }
                }
            }
        }
    }

    @Test("the seeded runs reorder, duplicate, abandon and wrap as they claim, and settle every message")
    func scenariosAreWhatTheyClaim() throws {
        let mix = StreamReceiveChecks.scenarios(for: StreamReceiveChecks.mix)
        #expect(mix.count == 100)
        var forwards = 0, duplicates = 0, reordered = 0, wrapped = 0, delivered = 0
        for scenario in mix {
            var seen: Set<UInt32> = [], last: UInt32? = nil
            var model = StreamReceiveModel(initialTSN: scenario.initialTSN, limits: scenario.limits)
            for input in scenario.inputs {
                switch input {
                case .forward: forwards += 1
                case .fragment(let fragment):
                    if !seen.insert(fragment.tsn).inserted { duplicates += 1 }
                    if let last, fragment.tsn &- last >= 1 << 31 { reordered += 1 }
                    if fragment.tsn < scenario.initialTSN { wrapped += 1 }
                    last = fragment.tsn
                }
                delivered += try StreamReceiveVerdict.apply(input, to: &model).count
            }
            // Every fate settled: the last FORWARD-TSN (or the data) took the cumulative TSN to the last TSN sent.
            let highest = seen.max { $0 &- scenario.initialTSN < $1 &- scenario.initialTSN }
            if let highest { #expect(model.cumulativeTSN &- scenario.initialTSN >= highest &- scenario.initialTSN, "\(scenario.name)") }
            #expect(model.held == 0, "\(scenario.name) holds \(model.held) bytes at the end")
        }
        #expect(forwards > 100 && duplicates > 300 && reordered > 300 && wrapped > 500 && delivered > 3000,
                "forwards \(forwards), duplicates \(duplicates), reordered \(reordered), wrapped \(wrapped), delivered \(delivered)")
    }

    @Test("each classic mistake fails exactly the checks meant to catch it")
    func mistakesFailTheirChecks() {
        #expect(failedIDs(Flawed<PlainComparison>.self)
            == ["12.cumulative-tsn", "12.limits", "12.seeded-mix", "12.ssn-wraparound", "12.tsn-wraparound"])
        #expect(failedIDs(Flawed<ForgetsDelivered>.self)
            == ["12.cumulative-tsn", "12.duplicates", "12.forward-tsn-unordered", "12.seeded-mix", "12.tsn-wraparound"])
        #expect(failedIDs(Flawed<NoLimits>.self) == ["12.limits"])
        #expect(failedIDs(Flawed<FullBufferDeadlocks>.self) == ["12.limits"])
        #expect(failedIDs(Flawed<AcceptsStale>.self) == ["12.forward-tsn-stale", "12.seeded-mix"])
        #expect(failedIDs(Flawed<IgnoresSkips>.self)
            == ["12.cumulative-tsn", "12.forward-tsn-ordered", "12.forward-tsn-stale", "12.seeded-mix"])
        #expect(failedIDs(Flawed<KeepsPartials>.self) == ["12.forward-tsn-unordered"])
        #expect(failedIDs(Flawed<DiscardsPastTarget>.self)
            == ["12.cumulative-tsn", "12.forward-tsn-ordered", "12.forward-tsn-stale", "12.forward-tsn-unordered", "12.seeded-mix"])
        #expect(failedIDs(Flawed<SkipsBackwards>.self)
            == ["12.cumulative-tsn", "12.forward-tsn-ordered", "12.forward-tsn-stale", "12.seeded-mix"])
        let unordered = failedIDs(Flawed<NoOrdering>.self)
        #expect(unordered.contains("12.ordered-reordering") && !unordered.contains("12.unordered-reordering"))
    }

    @Test("a failure shows the inputs so far in short form, the step, both answers, the diagnosis and the rule")
    func failureMessages() throws {
        let wrap = try #require(failures(outcomes(Flawed<PlainComparison>.self))["12.tsn-wraparound"])
        #expect(wrap.input.hasPrefix("hand-written: a message across the wrap from 4294967295 to 0: a new receiver(initialTSN: 4294967294"))
        #expect(wrap.input.hasSuffix("""
            inputs so far:
              #1 {2 s1#1 BE "e"}
              #2 {0 s1#0 -- "c"}
              #3 {4294967295 s1#0 -- "b"}
            now #4 receive({3 s3#0 BEu "u"})
            """))
        #expect(wrap.expected == "[s3 u \"u\"]")
        #expect(wrap.actual.hasPrefix("[] (nothing delivered) — TSN 3 comes after the cumulative TSN 4294967293 in serial arithmetic"))
        #expect(wrap.rule.hasPrefix("RFC 9260 §1.6 and RFC 1982"))

        let duplicate = try #require(failures(outcomes(Flawed<ForgetsDelivered>.self))["12.duplicates"])
        #expect(duplicate.input.hasSuffix("now #2 receive({11 s2#0 BEu \"x\"})"))
        #expect(duplicate.expected == "[] (nothing delivered)")
        #expect(duplicate.actual.hasPrefix("[s2 u \"x\"] — a message delivered before is delivered again"))

        // A seeded failure names its seed.
        let seeded = try #require(failures(outcomes(Flawed<DiscardsPastTarget>.self))["12.forward-tsn-unordered"])
        #expect(seeded.input.hasPrefix("seed "))
        #expect(seeded.input.contains("FWD(cum "))

        let refusal = try #require(failures(outcomes(Flawed<NoLimits>.self))["12.limits"])
        #expect(refusal.expected == "throws StreamReceiveError.bufferFull(…) (state unchanged)")
        #expect(refusal.actual == "[] (nothing delivered) (no refusal)")
    }

    @Test("lab grade: a starter copy with only exercise 12 solved earns exactly exercise 12's points")
    func gradesASolvedCopy() throws {
        try GraderTestSupport.expectOnlySolvedExerciseEarns("12-stream-receive", file: "StreamReceive.swift", checks: 14, points: 39)
    }
}

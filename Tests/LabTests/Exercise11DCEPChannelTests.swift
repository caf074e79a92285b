@testable import ExerciseChecks
import ExerciseInterfaces
import Exercises
import Solutions
import Testing

// Exercise 11: the reference answer passes every check and the starter none; classic
// mistakes in the channel state machine fail exactly the checks meant to catch them, with
// the script, the expected and actual step and the mistake named; the hand-written
// scripts agree with themselves; and a submission with exercise 11 solved earns exactly
// its points.

/// Sends early data with the channel's own ordering: unordered before the ACK.
private struct UnorderedEarly: DCEPChannelExercise {
    var base = Solutions.DCEPChannel()
    var fields: DCEPOpenFields?
    var state: DCEPChannelState { base.state }
    mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction] {
        if case let .openRequested(open) = event { fields = open }
        if case let .appSend(message) = event, state == .awaitingAck, let fields {
            return [.sendData(message, ordered: fields.channelType & 0x80 == 0)]
        }
        return try base.handle(event)
    }
}

/// Goes to closing on the peer's reset but never resets its own side.
private struct NeverAnswersReset: DCEPChannelExercise {
    var base = Solutions.DCEPChannel()
    var state: DCEPChannelState { base.state }
    mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction] {
        let before = state
        let actions = try base.handle(event)
        guard event == .incomingStreamReset, before == .open || before == .awaitingAck else { return actions }
        return actions.filter { $0 != .resetOutgoingStream }
    }
}

/// Delivers data that arrives before the ACK but keeps waiting for the ACK.
private struct NoImplicitAck: DCEPChannelExercise {
    var base = Solutions.DCEPChannel()
    var state: DCEPChannelState { base.state }
    mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction] {
        if case let .receivedData(message) = event, state == .awaitingAck { return [.deliver(message)] }
        return try base.handle(event)
    }
}

/// Answers every OPEN with an ACK, even a second one.
private struct AcksEveryOpen: DCEPChannelExercise {
    var base = Solutions.DCEPChannel()
    var state: DCEPChannelState { base.state }
    mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction] {
        if case .receivedOpen = event, state != .idle { return [.sendAck] }
        return try base.handle(event)
    }
}

/// Throws on a stray ACK instead of answering `.error`.
private struct ThrowsOnStrayAck: DCEPChannelExercise {
    var base = Solutions.DCEPChannel()
    var state: DCEPChannelState { base.state }
    mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction] {
        let actions = try base.handle(event)
        if actions == [.error(.ackWithoutOpen)] { throw ExerciseError.invalidInput("unexpected ACK") }
        return actions
    }
}

/// Delivers everything that arrives while closing, even after the peer reset its side.
private struct DeliversAfterReset: DCEPChannelExercise {
    var base = Solutions.DCEPChannel()
    var state: DCEPChannelState { base.state }
    mutating func handle(_ event: DCEPChannelEvent) throws -> [DCEPChannelAction] {
        if case let .receivedData(message) = event, state == .closing { return [.deliver(message)] }
        return try base.handle(event)
    }
}

/// The exercise 11 checks bound to `exercise`, run, keyed by id.
private func outcomes<Exercise: DCEPChannelExercise>(_ exercise: Exercise.Type) -> [String: CheckOutcome] {
    Dictionary(uniqueKeysWithValues: DCEPChannelChecks.checks(exercise).map { ($0.descriptor.id, $0.run()) })
}

private func failures(_ results: [String: CheckOutcome]) -> [String: CheckFailure] {
    results.compactMapValues { if case .fail(let failure) = $0 { failure } else { nil } }
}

private let allScripts: [[DCEPChannelScript]] = {
    let scripts = DCEPChannelScripts.self
    return [scripts.sendsOpen, scripts.ackOpens, scripts.earlyData, scripts.implicitAck, scripts.accepts,
            scripts.closesLocally, scripts.closesRemotely, scripts.closesUnopened, scripts.stray, scripts.secondOpen,
            scripts.strayData, scripts.badCommand]
}()

@Suite("Exercise 11: the DCEP channel state machine")
struct Exercise11DCEPChannelTests {
    @Test("every check passes on the reference answer and fails on the starter with notImplemented")
    func referenceAndStarter() {
        let reference = outcomes(Solutions.DCEPChannel.self)
        #expect(reference.count == 12 && reference.values.allSatisfy(\.passed), "\(failures(reference))")
        let starter = failures(outcomes(Exercises.DCEPChannel.self))
        #expect(starter.count == 12 && starter.values.allSatisfy { $0.actual.contains("notImplemented") })
        #expect(DCEPChannelChecks.descriptors.reduce(0) { $0 + $1.points } == 20)
        #expect(DCEPChannelChecks.descriptors.allSatisfy { $0.rule.contains("RFC 883") && $0.exerciseID == "11-dcep-channel" })
        #expect(ExerciseCatalog.find("11")?.checks == DCEPChannelChecks.descriptors)
        #expect(CheckSuite.dcepChannelChecks(Solutions.DCEPChannel.self).map(\.descriptor) == DCEPChannelChecks.descriptors)
    }

    @Test("the scripts agree with themselves: a state changes exactly when a .stateChanged to it is answered")
    func scriptsAreConsistent() {
        for script in allScripts.joined() {
            var state = DCEPChannelState.idle
            for step in script.steps {
                let changes = step.actions.compactMap { if case let .stateChanged(next) = $0 { next } else { nil } }
                #expect(changes.count <= 1, "\(script.name): \(step.event)")
                #expect(changes.allSatisfy { $0 != state }, "\(script.name): \(step.event) reports the state it is in")
                #expect(step.state == (changes.last ?? state), "\(script.name): \(step.event)")
                state = step.state
            }
        }
        #expect(allScripts.joined().count >= 20)
    }

    @Test("the starter's failure shows the script, the expected step and the thrown notImplemented")
    func starterFailureIsReadable() throws {
        let failure = try #require(failures(outcomes(Exercises.DCEPChannel.self))["11.open.sends-open"])
        #expect(failure.input.contains("DCEPChannel() — we open a reliable channel:"))
        #expect(failure.input.contains("1. handle(.openRequested(channelType: 0x00, priority: 256, reliabilityParameter: 0, "
                                       + "label: \"chat\", protocol: \"\"))   ← this step"))
        #expect(failure.expected == "[.sendOpen(channelType: 0x00, priority: 256, reliabilityParameter: 0, label: \"chat\", "
                + "protocol: \"\"), .stateChanged(.awaitingAck)], state .awaitingAck")
        #expect(failure.actual.contains("notImplemented"))
        #expect(failure.rule.hasPrefix("RFC 8832 §6"))
    }

    @Test("early data sent unordered fails only the early-data check, and the failure says it can overtake the OPEN")
    func unorderedEarlyData() throws {
        let failed = failures(outcomes(UnorderedEarly.self))
        #expect(Set(failed.keys) == ["11.early-data.ordered-until-ack"])
        let failure = try #require(failed["11.early-data.ordered-until-ack"])
        #expect(failure.input.contains("1. handle(.openRequested(channelType: 0x80") && failure.input.contains(" → [.sendOpen("))
        #expect(failure.input.contains("2. handle(.appSend(\"early 1\" (PPID 51)))   ← this step"))
        #expect(failure.expected == "[.sendData(\"early 1\" (PPID 51), ordered: true)], state .awaitingAck")
        #expect(failure.actual.hasPrefix("[.sendData(\"early 1\" (PPID 51), ordered: false)], state .awaitingAck"))
        #expect(failure.actual.contains("overtake the OPEN"))
    }

    @Test("a reset not answered fails the remote-close checks, named in the failure")
    func resetNotAnswered() throws {
        let failed = failures(outcomes(NeverAnswersReset.self))
        #expect(Set(failed.keys) == ["11.close.remote", "11.errors.data-without-channel"])
        #expect(failed["11.close.remote"]?.actual.contains("no .resetOutgoingStream") == true)
        #expect(failed["11.close.remote"]?.expected == "[.resetOutgoingStream, .stateChanged(.closing)], state .closing")
    }

    @Test("no implicit ACK fails only its check; a second ACK, a throw, a delivery after the reset fail theirs")
    func otherMistakes() throws {
        #expect(Set(failures(outcomes(NoImplicitAck.self)).keys) == ["11.early-data.implicit-ack"])
        let acks = failures(outcomes(AcksEveryOpen.self))
        #expect(Set(acks.keys) == ["11.errors.second-open"])
        #expect(acks["11.errors.second-open"]?.actual.contains("an ACK answers only the first OPEN") == true)
        let throwing = failures(outcomes(ThrowsOnStrayAck.self))
        #expect(Set(throwing.keys) == ["11.errors.ack-not-opening"])
        #expect(throwing["11.errors.ack-not-opening"]?.actual == "threw ExerciseError.invalidInput(\"unexpected ACK\")")
        let delivering = failures(outcomes(DeliversAfterReset.self))
        #expect(Set(delivering.keys) == ["11.errors.data-without-channel"])
        #expect(delivering["11.errors.data-without-channel"]?.actual.contains("should have been dropped") == true)
    }

    @Test("lab grade: a starter copy with only exercise 11 solved earns exactly exercise 11's points")
    func gradesASolvedCopy() throws {
        try GraderTestSupport.expectOnlySolvedExerciseEarns("11-dcep-channel", file: "DCEPChannel.swift", checks: 12, points: 20)
    }
}

import CUsrsctp
@testable import ExerciseChecks
import ExerciseInterfaces
import Exercises
import Solutions
import Testing

// Exercise 06: the policy numbers are usrsctp.h's, the two mappings of the reference answer
// agree on every channel type, the quiz explains without telling, the classic coding
// mistakes are named, and a submission with exercise 06 solved earns exactly its points.

/// Numbers the policies the other way round, and reads a lifetime as seconds.
private enum SwappedPolicies: DeliveryModeExercise {
    static func mode(for useCase: DeliveryUseCase) throws -> DeliveryMode { try Solutions.DeliveryModes.mode(for: useCase) }
    static func telemetry() throws -> TelemetryAnswer { try Solutions.DeliveryModes.telemetry() }
    static func sendParameters(ordered: Bool, maxRetransmits: Int?, maxPacketLifeTime: Int?) throws -> SCTPSendParameters {
        var right = try Solutions.DeliveryModes.sendParameters(
            ordered: ordered, maxRetransmits: maxRetransmits, maxPacketLifeTime: maxPacketLifeTime)
        switch right.prPolicy {
        case 1: right.prPolicy = 3
        case 3: right.prPolicy = 1
        default: break
        }
        return right
    }
    static func sendParameters(channelType: UInt8, reliabilityParameter: UInt32) throws -> SCTPSendParameters {
        var right = try Solutions.DeliveryModes.sendParameters(channelType: channelType, reliabilityParameter: reliabilityParameter)
        if right.prPolicy == 1 { right.prValue /= 1000 }
        return right
    }
}

/// Takes 0 for "no limit", trusts a reliable channel's parameter, inverts the DCEP unordered bit,
/// accepts both limits at once, and knows no more channel types than the low bits.
private enum ZeroIsReliable: DeliveryModeExercise {
    static func mode(for useCase: DeliveryUseCase) throws -> DeliveryMode { try Solutions.DeliveryModes.mode(for: useCase) }
    static func telemetry() throws -> TelemetryAnswer { try Solutions.DeliveryModes.telemetry() }
    static func sendParameters(ordered: Bool, maxRetransmits: Int?, maxPacketLifeTime: Int?) throws -> SCTPSendParameters {
        let count = maxRetransmits == 0 ? nil : maxRetransmits
        let time = maxPacketLifeTime == 0 ? nil : maxPacketLifeTime
        return try Solutions.DeliveryModes.sendParameters(ordered: ordered, maxRetransmits: count, maxPacketLifeTime: count == nil ? time : nil)
    }
    static func sendParameters(channelType: UInt8, reliabilityParameter: UInt32) throws -> SCTPSendParameters {
        var right = try Solutions.DeliveryModes.sendParameters(channelType: channelType & 0x83, reliabilityParameter: reliabilityParameter)
        right.unordered.toggle()
        if right.prPolicy == 0 { right.prValue = reliabilityParameter }
        return right
    }
}

/// "Reliable is always safe", with a true reason that does not decide.
private enum AlwaysReliable: DeliveryModeExercise {
    static func mode(for useCase: DeliveryUseCase) throws -> DeliveryMode { .reliableOrdered }
    static func telemetry() throws -> TelemetryAnswer { TelemetryAnswer(mode: .reliableUnordered, reason: .retransmissionsDelayFreshData) }
    static func sendParameters(ordered: Bool, maxRetransmits: Int?, maxPacketLifeTime: Int?) throws -> SCTPSendParameters {
        try Solutions.DeliveryModes.sendParameters(ordered: ordered, maxRetransmits: maxRetransmits, maxPacketLifeTime: maxPacketLifeTime)
    }
    static func sendParameters(channelType: UInt8, reliabilityParameter: UInt32) throws -> SCTPSendParameters {
        try Solutions.DeliveryModes.sendParameters(channelType: channelType, reliabilityParameter: reliabilityParameter)
    }
}

/// The exercise 06 checks bound to `exercise`, run, keyed by id.
private func outcomes<Exercise: DeliveryModeExercise>(_ exercise: Exercise.Type) -> [String: CheckOutcome] {
    Dictionary(uniqueKeysWithValues: DeliveryModeChecks.checks(exercise).map { ($0.descriptor.id, $0.run()) })
}

private func failures(_ results: [String: CheckOutcome]) -> [String: CheckFailure] {
    results.compactMapValues { if case .fail(let failure) = $0 { failure } else { nil } }
}

@Suite("Exercise 06: delivery modes")
struct Exercise06DeliveryModeTests {
    @Test("the policy numbers of the checks and of the reference answer are the installed usrsctp.h's")
    func policyNumbersMatchTheHeader() throws {
        #expect(DeliveryModeSendChecks.none == UInt16(SCTP_PR_SCTP_NONE))
        #expect(DeliveryModeSendChecks.ttl == UInt16(SCTP_PR_SCTP_TTL))
        #expect(DeliveryModeSendChecks.rtx == UInt16(SCTP_PR_SCTP_RTX))
        #expect(DeliveryModeSendChecks.policyName(UInt16(SCTP_PR_SCTP_BUF)) == "SCTP_PR_SCTP_BUF")
        let timed = try Solutions.DeliveryModes.sendParameters(ordered: true, maxRetransmits: nil, maxPacketLifeTime: 10)
        let counted = try Solutions.DeliveryModes.sendParameters(ordered: false, maxRetransmits: 2, maxPacketLifeTime: nil)
        #expect(timed.prPolicy == UInt16(SCTP_PR_SCTP_TTL) && counted.prPolicy == UInt16(SCTP_PR_SCTP_RTX))
    }

    @Test("every check passes on the reference answer and fails on the starter with notImplemented")
    func referenceAndStarter() {
        let reference = outcomes(Solutions.DeliveryModes.self)
        #expect(reference.count == 19 && reference.values.allSatisfy(\.passed), "\(failures(reference))")
        let starter = failures(outcomes(Exercises.DeliveryModes.self))
        #expect(starter.count == 19 && starter.values.allSatisfy { $0.actual.contains("notImplemented") })
        #expect(DeliveryModeChecks.descriptors.reduce(0) { $0 + $1.points } == 23)
        #expect(DeliveryModeChecks.descriptors.allSatisfy { $0.rule.contains("RFC") && $0.exerciseID == "06-delivery-modes" })
    }

    @Test("the reference's DCEP mapping equals its RTCDataChannelInit mapping for every channel type, and refuses the rest")
    func bothMappingsAgree() throws {
        for type in UInt8.min...UInt8.max {
            for parameter: UInt32 in [0, 1, 999, 65_536, UInt32.max] {
                let ordered = type & 0x80 == 0
                let equivalent: SCTPSendParameters? = switch type & 0x7F {
                case 0x00:
                    try Solutions.DeliveryModes.sendParameters(ordered: ordered, maxRetransmits: nil, maxPacketLifeTime: nil)
                case 0x01: try Solutions.DeliveryModes.sendParameters(ordered: ordered, maxRetransmits: Int(parameter), maxPacketLifeTime: nil)
                case 0x02: try Solutions.DeliveryModes.sendParameters(ordered: ordered, maxRetransmits: nil, maxPacketLifeTime: Int(parameter))
                default: nil
                }
                let call = { try Solutions.DeliveryModes.sendParameters(channelType: type, reliabilityParameter: parameter) }
                if let equivalent {
                    #expect(try call() == equivalent, "type \(type), parameter \(parameter)")
                } else {
                    #expect(throws: ExerciseError.self, "type \(type)") { try call() }
                }
            }
        }
    }

    @Test("swapped policies and a lifetime in seconds fail exactly their checks, and the failure names the mistake")
    func swappedPolicies() {
        let failed = failures(outcomes(SwappedPolicies.self))
        #expect(failed.keys.sorted() == ["06.dcep.partial-timed", "06.send.large-limits", "06.send.max-lifetime",
                                         "06.send.max-retransmits", "06.send.zero-limits"])
        #expect(failed["06.send.max-retransmits"]?.actual
            == "unordered: false, prPolicy: 1 (SCTP_PR_SCTP_TTL), prValue: 1 (TTL and RTX are swapped: a number of "
            + "retransmissions is SCTP_PR_SCTP_RTX, a lifetime SCTP_PR_SCTP_TTL)")
        #expect(failed["06.send.max-retransmits"]?.expected == "unordered: false, prPolicy: 3 (SCTP_PR_SCTP_RTX), prValue: 1")
        #expect(failed["06.dcep.partial-timed"]?.input == "SwappedPolicies.sendParameters(channelType: 0x02, reliabilityParameter: 150)")
        #expect(failed["06.dcep.partial-timed"]?.actual.hasSuffix("(pr_value is in milliseconds for SCTP_PR_SCTP_TTL, "
            + "like maxPacketLifeTime: no conversion)") == true)
    }

    @Test("0 taken for no limit, a trusted reliable parameter, an inverted bit and lax input fail exactly their checks")
    func zeroIsReliable() {
        let failed = failures(outcomes(ZeroIsReliable.self))
        #expect(failed.keys.sorted() == ["06.dcep.partial-rexmit", "06.dcep.partial-timed", "06.dcep.rejects-unknown-type",
                                         "06.dcep.reliable", "06.dcep.reliable-ignores-parameter",
                                         "06.send.rejects-both-limits", "06.send.zero-limits"])
        #expect(failed["06.send.zero-limits"]?.actual.hasSuffix(
            "(0 is a limit, not \"no limit\": send once and never resend; only a missing limit means reliable)") == true)
        #expect(failed["06.dcep.reliable"]?.actual.hasSuffix("(the unordered flag is inverted: SCTP_UNORDERED is set for "
            + "unordered channels, ordered ones leave it clear)") == true)
        #expect(failed["06.dcep.rejects-unknown-type"]?.input.contains("channelType: 0x04") == true)
        #expect(failed["06.send.rejects-both-limits"]?.actual == "returned a value instead of throwing")
    }

    @Test("a wrong choice is explained, never corrected: no failure of the quiz names the right answer")
    func quizExplainsWithoutTelling() {
        let failed = failures(outcomes(AlwaysReliable.self))
        #expect(failed.keys.sorted() == ["06.mode.file-chunks", "06.mode.game-state", "06.mode.latest-value-sensor",
                                         "06.telemetry.mode", "06.telemetry.reason"])
        #expect(failed["06.mode.file-chunks"]?.actual.hasPrefix(".reliableOrdered — it works, but each chunk carries its offset") == true)
        #expect(failed["06.telemetry.reason"]?.actual.hasPrefix(".retransmissionsDelayFreshData — true, but it only argues") == true)
        let answers = ["06.mode.file-chunks": "reliableUnordered", "06.mode.latest-value-sensor": "unreliableOrdered",
                       "06.mode.game-state": "unreliableUnordered", "06.telemetry.mode": "unreliableUnordered",
                       "06.telemetry.reason": DeliveryReason.receiverDropsStaleByTimestamp.rawValue]
        for (id, failure) in failed {
            let answer = answers[id] ?? "?"
            #expect(!failure.expected.contains(answer) && !failure.actual.contains(answer), "\(id) tells the answer")
        }
        // Every wrong choice has its own explanation, and none of them spells the right mode.
        for question in DeliveryModeChecks.questions {
            let wrong = DeliveryMode.allCases.filter { $0 != question.answer }
            #expect(Set(question.notes.keys) == Set(wrong), "\(question.useCase)")
            #expect(question.notes.values.allSatisfy { !$0.contains(question.answer.rawValue) })
        }
        #expect(Set(DeliveryModeChecks.telemetryModeNotes.keys) == Set(DeliveryMode.allCases.filter { $0 != .unreliableUnordered }))
        #expect(Set(DeliveryModeChecks.reasonNotes.keys)
            == Set(DeliveryReason.allCases.filter { $0 != .receiverDropsStaleByTimestamp }))
    }

    @Test("lab grade: a starter copy with only exercise 06 solved earns exactly exercise 06's points")
    func gradesASolvedCopy() throws {
        try GraderTestSupport.expectOnlySolvedExerciseEarns("06-delivery-modes", file: "DeliveryModes.swift", checks: 19, points: 23)
    }
}

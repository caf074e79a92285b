// Checks of exercise 06: choosing delivery modes (a quiz), and mapping a channel's settings
// to SCTP send parameters (coding, in DeliveryModeSendChecks.swift).
//
// The quiz answers never appear in a failure. What does appear, when a choice is wrong,
// is why that choice does not fit those messages: what it would cost or break (a
// dropped RPC, a hole in a file, a display going back in time, a stale resend). A wrong
// reason for the telemetry choice is answered the same way: false, or true but not the
// reason that decides.
import ExerciseInterfaces

enum DeliveryModeChecks {
    static let exerciseID = "06-delivery-modes"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    static let modesRule = "RFC 8831 §6.1: each channel is reliable, or partially reliable (messages abandoned after a lifetime, "
        + "RFC 3758, or a number of retransmissions, RFC 7496), and ordered or unordered (RFC 9260 §6.6: an unordered message "
        + "is delivered as soon as it is complete); RFC 8831 §6.4: each channel is its own pair of streams (one id, one stream each way), so its choice costs no other channel"
    static let reasonRule = "RFC 3758 §1 and RFC 8831 §6.1: pick the reason that is true of 100 ms telemetry AND rules out the "
        + "other three modes; a true statement that leaves another mode just as good does not decide"

    /// Each use case of the quiz, its check, and why each wrong mode does not fit.
    static let questions: [(useCase: DeliveryUseCase, topic: String, answer: DeliveryMode, notes: [DeliveryMode: String])] = [
        (.rpc, "rpc", .reliableOrdered, [
            .reliableUnordered: "every call arrives, but unordered delivery may hand \"move the file into it\" over before "
                + "\"create the folder\": calls that depend on earlier calls must be applied in the order sent",
            .unreliableOrdered: rpcDropNote,
            .unreliableUnordered: rpcDropNote,
        ]),
        (.fileChunks, "file-chunks", .reliableUnordered, [
            .reliableOrdered: "it works, but each chunk carries its offset, so transport order buys nothing, while an ordered "
                + "stream makes every later chunk wait behind one lost chunk's retransmission (head-of-line blocking)",
            .unreliableOrdered: fileHoleNote,
            .unreliableUnordered: fileHoleNote,
        ]),
        (.latestValueSensor, "latest-value-sensor", .unreliableOrdered, [
            .reliableOrdered: "a reading resent after a newer one was sent is stale when it arrives, and ordered delivery "
                + "holds the newer reading back until the stale one is through",
            .reliableUnordered: "a reading resent after a newer one was sent is stale when it arrives, and unordered it "
                + "lands after the newer one and overwrites it",
            .unreliableUnordered: "the readings carry no timestamp, so the receiver cannot tell an old one from a new one: "
                + "unordered delivery may hand an older reading over after a newer one, and the display would go back in time",
        ]),
        (.gameState, "game-state", .unreliableUnordered, [
            .reliableOrdered: staleSnapshotNote + ", and ordered delivery holds every newer snapshot back behind it",
            .reliableUnordered: staleSnapshotNote,
            .unreliableOrdered: "each snapshot is complete and numbered by its tick, so the client can drop old ticks "
                + "itself; ordered delivery only holds newer snapshots back behind a lost older one, until the sender "
                + "resends it or abandons it and says so (FORWARD-TSN)",
        ]),
    ]
    static let rpcDropNote = "a call the transport abandons is never executed, and its caller waits for a response "
        + "that never comes: no part of an RPC exchange is safe to drop"
    static let fileHoleNote = "an abandoned chunk is a hole in the file, and no chunk sent later can fill it"
    static let staleSnapshotNote = "a snapshot resent after newer ticks were sent is stale when it arrives: the next one "
        + "comes 33 ms later, sooner than any retransmission could"

    static let telemetryModeNotes: [DeliveryMode: String] = [
        .reliableOrdered: staleSampleNote + ", and ordered delivery holds the fresh samples back behind it",
        .reliableUnordered: staleSampleNote,
        .unreliableOrdered: "each sample carries its timestamp, so the graph can place a late one itself; ordered delivery "
            + "only holds newer samples back behind a lost older one, until the sender resends it or abandons it and "
            + "says so (FORWARD-TSN)",
    ]
    static let staleSampleNote = "a sample resent after the next one was taken is stale: the next comes 100 ms later, "
        + "sooner than a retransmission could"

    static let reasonNotes: [DeliveryReason: String] = [
        .newerSampleSupersedesOlder: "true, and it argues against resending, but a latest-value sensor's readings supersede "
            + "each other too, and they still need ordered delivery: it leaves unreliable-ordered standing. The deciding "
            + "reason says why this receiver can do without the transport's order",
        .everyByteMustArrive: "not true of telemetry: a lost sample leaves a 100 ms gap that the next sample covers; "
            + "nothing depends on having every one",
        .orderMattersForCorrectness: "not true here: each sample is complete, with its own timestamp, and builds on none before it",
        .retransmissionsDelayFreshData: "true, but it only argues against ORDERED reliable delivery: reliable-unordered has "
            + "no head-of-line blocking and still resends every lost sample. The deciding reason says why resending is pointless at all",
        .lossIsRareSoReliabilityIsFree: "not true: losses come in bursts (Wi-Fi, congestion), and each costs a retransmission "
            + "timeout, longer than the 100 ms between samples",
        .smallMessagesAreNeverLost: "not true: loss hits whole packets, and a 40-byte sample in a dropped packet is as lost "
            + "as a 1200-byte one",
    ]

    static func modeDescriptor(_ topic: String, _ useCase: DeliveryUseCase) -> CheckDescriptor {
        check("mode." + topic, points: 1, title: "mode(for: .\(useCase.rawValue)) fits those messages", rule: modesRule)
    }
    static let telemetryMode = check(
        "telemetry.mode", points: 1, title: "telemetry().mode fits CPU and memory samples sent every 100 ms", rule: modesRule)
    static let telemetryReason = check(
        "telemetry.reason", points: 2, title: "telemetry().reason is the reason that decides the telemetry mode", rule: reasonRule)

    static let descriptors = questions.map { modeDescriptor($0.topic, $0.useCase) } + [telemetryMode, telemetryReason]
        + DeliveryModeSendChecks.descriptors

    /// Shown as "expected" in every quiz failure: never the answer.
    static let hidden = "the mode the rule describes for these messages (not shown: this is the quiz)"

    static func checks<Exercise: DeliveryModeExercise>(_: Exercise.Type) -> [ExerciseCheck] {
        var checks: [ExerciseCheck] = questions.map { question in
            ExerciseCheck(modeDescriptor(question.topic, question.useCase)) {
                let failure = Verdict.answers(
                    "\(Exercise.self).mode(for: .\(question.useCase.rawValue))", expected: question.answer, shown: hidden,
                    rule: modesRule, render: { "." + $0.rawValue }, note: { note(question.notes[$0]) }
                ) { try Exercise.mode(for: question.useCase) }
                return failure.map(CheckOutcome.fail) ?? .pass
            }
        }
        let call = "\(Exercise.self).telemetry()"
        checks.append(ExerciseCheck(telemetryMode) {
            let failure = Verdict.answers(call + ".mode", expected: .unreliableUnordered, shown: hidden, rule: modesRule,
                                          render: { "." + $0.rawValue }, note: { note(telemetryModeNotes[$0]) }
            ) { try Exercise.telemetry().mode }
            return failure.map(CheckOutcome.fail) ?? .pass
        })
        checks.append(ExerciseCheck(telemetryReason) {
            let failure = Verdict.answers(
                call + ".reason", expected: .receiverDropsStaleByTimestamp,
                shown: "the one reason from DeliveryReason that decides the choice (not shown: this is the quiz)",
                rule: reasonRule, render: { "." + $0.rawValue }, note: { note(reasonNotes[$0]) }
            ) { try Exercise.telemetry().reason }
            return failure.map(CheckOutcome.fail) ?? .pass
        })
        return checks + DeliveryModeSendChecks.checks(Exercise.self)
    }

    /// " — why", or "" when there is nothing to say.
    static func note(_ text: String?) -> String { text.map { " — " + $0 } ?? "" }
}

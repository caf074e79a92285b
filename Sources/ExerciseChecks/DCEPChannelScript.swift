// Exercise 11's checks run scripts: a fresh channel, then events one by one, each with
// the actions and the state it must lead to. A failure shows the script up to the step
// that went wrong (with what the earlier steps answered), the expected and the actual
// answer of that step, and a word on the classic mistake when the difference is one.
import ExerciseInterfaces

/// One step: an event, and what the channel must answer and be in afterwards.
struct DCEPChannelStep {
    let event: DCEPChannelEvent
    let actions: [DCEPChannelAction]
    let state: DCEPChannelState
}

/// A fresh channel and the events fed to it, in order.
struct DCEPChannelScript {
    /// What the script plays, e.g. "an unordered channel we open sends early data ordered".
    let name: String
    let steps: [DCEPChannelStep]

    /// Plays the script on a new `Channel`; nil when every step answered as expected.
    func play<Channel: DCEPChannelExercise>(_: Channel.Type, rule: String) -> CheckFailure? {
        var channel = Channel()
        var transcript = ["\(Channel.self)() — \(name):"]
        for (index, step) in steps.enumerated() {
            let line = "  \(index + 1). handle(\(step.event))"
            let expected = Self.render(step.actions, state: step.state)
            do {
                let actions = try channel.handle(step.event)
                let state = channel.state
                guard actions == step.actions, state == step.state else {
                    return CheckFailure(
                        input: (transcript + [line + "   ← this step"]).joined(separator: "\n"),
                        expected: expected,
                        actual: Self.render(actions, state: state) + Self.diagnose(expected: step.actions, actual: actions),
                        rule: rule)
                }
                transcript.append(line + " → " + Self.render(actions, state: state))
            } catch {
                return CheckFailure(input: (transcript + [line + "   ← this step"]).joined(separator: "\n"),
                                    expected: expected, actual: Describe.thrown(error), rule: rule)
            }
        }
        return nil
    }

    /// `[.sendAck, .stateChanged(.open)], state .open`.
    static func render(_ actions: [DCEPChannelAction], state: DCEPChannelState) -> String {
        "[" + actions.map(\.description).joined(separator: ", ") + "], state ." + state.rawValue
    }

    /// A word on the classic mistakes this difference shows, or "".
    static func diagnose(expected: [DCEPChannelAction], actual: [DCEPChannelAction]) -> String {
        let sentOrdered = expected.contains { if case .sendData(_, true) = $0 { true } else { false } }
        let sentUnordered = actual.contains { if case .sendData(_, false) = $0 { true } else { false } }
        if sentOrdered, sentUnordered {
            return " (sent unordered: before the ACK an unordered message can overtake the OPEN, and the peer gets "
                + "data for a channel it does not know yet)"
        }
        if expected.contains(.resetOutgoingStream), !actual.contains(.resetOutgoingStream) {
            return " (no .resetOutgoingStream: the other direction is never reset, so the channel never gets to closed)"
        }
        if !expected.contains(.resetOutgoingStream), actual.filter({ $0 == .resetOutgoingStream }).count > 0 {
            return " (an extra .resetOutgoingStream: our side is reset once, by whoever closes first)"
        }
        let delivered = actual.contains { if case .deliver = $0 { true } else { false } }
        let shouldDeliver = expected.contains { if case .deliver = $0 { true } else { false } }
        if delivered, !shouldDeliver { return " (the message should have been dropped, not delivered)" }
        if shouldDeliver, !delivered { return " (the message was lost: it should have been delivered)" }
        if expected.contains(.sendAck), !actual.contains(.sendAck) {
            return " (no .sendAck: the opener waits for it, and sends ordered until it comes)"
        }
        if !expected.contains(.sendAck), actual.contains(.sendAck) {
            return " (an ACK answers only the first OPEN of a channel)"
        }
        if let index = actual.firstIndex(where: { if case .stateChanged = $0 { true } else { false } }),
           actual.lastIndex(where: { if case .stateChanged = $0 { true } else { false } }) != index {
            return " (two .stateChanged for one event: report only the state it ends in)"
        }
        if Set(expected) == Set(actual), expected != actual { return " (the right actions, in the wrong order)" }
        return ""
    }
}

// Runs one exercise-12 scenario on the student's receiver and on the model side by side,
// and writes the failure at the first input where their answers differ.
import ExerciseInterfaces

enum StreamReceiveVerdict {
    /// Inputs shown before the failing one (the earlier ones are counted, not shown).
    static let shownInputs = 40

    /// nil when `Receiver` answers every input of `scenario` as the model does.
    static func run<Receiver: StreamReceiveExercise>(
        _: Receiver.Type, _ scenario: StreamReceiveScenario, rule: String
    ) -> CheckFailure? {
        var student = Receiver(initialTSN: scenario.initialTSN, limits: scenario.limits)
        var model = StreamReceiveModel(initialTSN: scenario.initialTSN, limits: scenario.limits)
        var deliveredSoFar: Set<DeliveredMessage> = []
        let tracksDeliveries = scenario.inputs.count <= 5_000
        for (index, input) in scenario.inputs.enumerated() {
            let cumulativeBefore = model.cumulativeTSN
            let expected: Result<[DeliveredMessage], StreamReceiveError>
            do {
                expected = .success(try apply(input, to: &model))
            } catch let error as StreamReceiveError {
                expected = .failure(error)
            } catch {
                expected = .success([])   // the model throws nothing else
            }
            let actual: Result<[DeliveredMessage], any Error>
            do {
                actual = .success(try apply(input, to: &student))
            } catch {
                actual = .failure(error)
            }
            if let mismatch = compare(expected, actual) {
                return failure(scenario, at: index, rule: rule, expected: mismatch.expected,
                               actual: mismatch.actual + note(input, expected: expected, actual: actual,
                                                              deliveredSoFar: deliveredSoFar, cumulativeBefore: cumulativeBefore))
            }
            if scenario.checksCumulativeTSN, student.cumulativeTSN != model.cumulativeTSN {
                return failure(scenario, at: index, rule: rule,
                               expected: "afterwards cumulativeTSN == \(model.cumulativeTSN)",
                               actual: "cumulativeTSN == \(student.cumulativeTSN)"
                                   + (student.cumulativeTSN == cumulativeBefore ? " (it did not move)" : ""))
            }
            // Kept for the duplicate diagnosis only, and only where it costs little.
            if tracksDeliveries, case .success(let messages) = expected { deliveredSoFar.formUnion(messages) }
        }
        return nil
    }

    static func apply<Receiver: StreamReceiveExercise>(_ input: StreamReceiveInput, to receiver: inout Receiver) throws -> [DeliveredMessage] {
        switch input {
        case .fragment(let fragment): try receiver.receive(fragment)
        case .forward(let forward): try receiver.receive(forward)
        }
    }

    /// The two answers as text when they differ: deliveries compared stream by stream
    /// (the order between streams is free, the order within one is not); refusals by kind.
    static func compare(_ expected: Result<[DeliveredMessage], StreamReceiveError>,
                        _ actual: Result<[DeliveredMessage], any Error>) -> (expected: String, actual: String)? {
        switch (expected, actual) {
        case let (.success(want), .success(got)):
            return want == got || byStream(want) == byStream(got) ? nil : (list(want), list(got))
        case let (.failure(want), .failure(got as StreamReceiveError)):
            return sameKind(want, got) ? nil : (refusal(want), "throws \(got)")
        case let (.failure(want), .failure(got)):
            return (refusal(want), Describe.thrown(got))
        case let (.failure(want), .success(got)):
            return (refusal(want), list(got) + " (no refusal)")
        case let (.success(want), .failure(got)):
            return (list(want), Describe.thrown(got))
        }
    }

    static func sameKind(_ a: StreamReceiveError, _ b: StreamReceiveError) -> Bool {
        switch (a, b) {
        case (.bufferFull, .bufferFull), (.outsideWindow, .outsideWindow): true
        default: false
        }
    }

    static func refusal(_ error: StreamReceiveError) -> String {
        switch error {
        case .bufferFull: "throws StreamReceiveError.bufferFull(…) (state unchanged)"
        case .outsideWindow: "throws StreamReceiveError.outsideWindow(…) (state unchanged)"
        }
    }

    static func byStream(_ messages: [DeliveredMessage]) -> [UInt16: [DeliveredMessage]] {
        Dictionary(grouping: messages, by: \.stream)
    }

    /// `[s1#3 "m3:0|", s2 u "m4:0|"]`, or `[] (nothing delivered)`.
    static func list(_ messages: [DeliveredMessage]) -> String {
        messages.isEmpty ? "[] (nothing delivered)" : "[" + messages.map(\.description).joined(separator: ", ") + "]"
    }

    static func failure(_ scenario: StreamReceiveScenario, at index: Int, rule: String, expected: String, actual: String) -> CheckFailure {
        let first = max(0, index - shownInputs)
        var lines = ["\(scenario.name): a new receiver(initialTSN: \(scenario.initialTSN), limits: \(scenario.limits.maxBufferedBytes) B, "
                     + "window \(scenario.limits.tsnWindow) TSNs), then input \(index + 1) of \(scenario.inputs.count)"]
        lines.append("inputs so far" + (first > 0 ? " (the \(first) before #\(first + 1) not shown)" : "") + ":")
        for position in first..<index { lines.append("  #\(position + 1) \(scenario.inputs[position])") }
        lines.append("now #\(index + 1) receive(\(scenario.inputs[index]))")
        return CheckFailure(input: lines.joined(separator: "\n"), expected: expected, actual: actual, rule: rule)
    }

    /// A diagnosis of the classic mistakes the wrong answer shows, or "".
    static func note(_ input: StreamReceiveInput, expected: Result<[DeliveredMessage], StreamReceiveError>,
                     actual: Result<[DeliveredMessage], any Error>, deliveredSoFar: Set<DeliveredMessage>,
                     cumulativeBefore: UInt32) -> String {
        guard case .success(let got) = actual else { return "" }
        if got.contains(where: deliveredSoFar.contains) {
            return " — a message delivered before is delivered again: a duplicate fragment must be dropped, also when its "
                + "message is already out (remember the TSNs received above the cumulative TSN)"
        }
        if case .fragment(let fragment) = input, fragment.tsn < cumulativeBefore,
           fragment.tsn &- cumulativeBefore < 1 << 31, case .success(let want) = expected, !want.isEmpty, got.isEmpty {
            return " — TSN \(fragment.tsn) comes after the cumulative TSN \(cumulativeBefore) in serial arithmetic (it wrapped "
                + "past 4294967295): compare TSNs with `a &- b`, not `<`"
        }
        if case .success(let want) = expected {
            for (stream, messages) in byStream(got) where messages.first?.unordered == false {
                let wanted = byStream(want)[stream] ?? []
                if Set(messages) == Set(wanted), messages != wanted {
                    return " — the same messages in another order: an ordered stream delivers in SSN order"
                }
            }
            if got.contains(where: { !$0.unordered }), want.isEmpty {
                return " — an ordered message went out before the one with the next SSN"
            }
        }
        return ""
    }
}

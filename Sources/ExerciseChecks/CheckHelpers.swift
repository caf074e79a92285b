// Building blocks every exercise's checks share: declaring descriptors, and the two
// verdicts most check bodies reach (the right value, or the right refusal).
import ExerciseInterfaces

/// Makes the descriptors of one exercise, so a Checks file states only what differs
/// between its checks: every id starts with the exercise's number ("05.") and every
/// descriptor names the exercise's folder, which keeps the two from disagreeing.
struct DescriptorMaker {
    /// The exercise folder name, e.g. "05-dtls-fingerprint".
    let exerciseID: String

    /// The descriptor of check "<number>.<topic>", e.g. "05.fingerprint.ecdsa-sha256" for "fingerprint.ecdsa-sha256".
    func callAsFunction(_ topic: String, points: Int, title: String, rule: String) -> CheckDescriptor {
        let number = exerciseID.prefix(while: { $0 != "-" })
        return CheckDescriptor(id: number + "." + topic, exerciseID: exerciseID, points: points, title: title, rule: rule)
    }
}

/// The verdicts of a single call, as failures (nil means the call behaved).
enum Verdict {
    /// nil when `body` throws `ExerciseError.invalidInput`; otherwise the failure to report.
    static func rejects(_ call: String, rule: String, _ body: () throws -> Void) -> CheckFailure? {
        let expected = "throws ExerciseError.invalidInput(\"…why…\")"
        do {
            try body()
            return CheckFailure(input: call, expected: expected, actual: "returned a value instead of throwing", rule: rule)
        } catch ExerciseError.invalidInput {
            return nil
        } catch {
            return CheckFailure(input: call, expected: expected, actual: Describe.thrown(error), rule: rule)
        }
    }

    /// nil when `body` returns `expected`; otherwise the failure, showing the answer through
    /// `render` followed by `note(answer)` (a diagnosis of a classic mistake, or "").
    static func answers<Value: Equatable>(
        _ call: String, expected: Value, shown: String, rule: String, render: (Value) -> String,
        note: (Value) -> String = { _ in "" }, _ body: () throws -> Value
    ) -> CheckFailure? {
        do {
            let answer = try body()
            guard answer != expected else { return nil }
            return CheckFailure(input: call, expected: shown, actual: render(answer) + note(answer), rule: rule)
        } catch {
            return CheckFailure(input: call, expected: shown, actual: Describe.thrown(error), rule: rule)
        }
    }
}

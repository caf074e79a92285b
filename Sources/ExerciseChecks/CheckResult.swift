// The result record that crosses the process boundary between exercise-runner and the lab.
//
// The runner prints one JSON line per check; it stays Foundation-free (the JSON is written
// by hand below) so each student's runner links fast. The lab decodes it with Codable.

/// How a check ended.
public enum CheckStatus: String, Codable, Sendable, CaseIterable {
    /// The check passed.
    case passed
    /// The student's code gave a wrong answer.
    case failed
    /// The student's code trapped (or the runner died) while this check ran.
    case crashed
    /// The check did not finish within the time limit.
    case timedOut = "timed-out"
    /// The submission did not compile, so nothing could run.
    case notBuilt = "not-built"
}

/// The outcome of one check for one submission, with everything a report needs.
public struct CheckResult: Codable, Equatable, Sendable {
    /// The check's id.
    public var id: String
    /// The exercise folder name.
    public var exercise: String
    /// The check's title.
    public var title: String
    /// Points available.
    public var points: Int
    /// Points earned: `points` when passed, otherwise 0.
    public var earned: Int
    /// How the check ended.
    public var status: CheckStatus
    /// For `.failed`: what the student's code was given.
    public var input: String?
    /// For `.failed`: the correct answer.
    public var expected: String?
    /// For `.failed`: the student's answer.
    public var actual: String?
    /// The RFC rule the check enforces.
    public var rule: String
    /// For `.crashed`, `.timedOut`, `.notBuilt`: why nothing could be graded.
    public var reason: String?

    /// A result computed in-process from a check's verdict.
    public init(_ descriptor: CheckDescriptor, outcome: CheckOutcome) {
        self.init(descriptor, status: outcome.passed ? .passed : .failed, reason: nil)
        if case .fail(let failure) = outcome {
            input = failure.input
            expected = failure.expected
            actual = failure.actual
            rule = failure.rule
        }
    }

    /// A result decided outside the check (crash, time-out, build failure): scores 0 unless passed.
    public init(_ descriptor: CheckDescriptor, status: CheckStatus, reason: String?) {
        id = descriptor.id
        exercise = descriptor.exerciseID
        title = descriptor.title
        points = descriptor.points
        earned = status == .passed ? descriptor.points : 0
        self.status = status
        rule = descriptor.rule
        self.reason = reason
    }

    /// True when the check passed.
    public var passed: Bool { status == .passed }

    /// The result as one line of JSON (keys in a fixed order, no trailing newline).
    public var jsonLine: String {
        var fields: [(String, String)] = [
            ("id", JSON.string(id)), ("exercise", JSON.string(exercise)), ("title", JSON.string(title)),
            ("points", String(points)), ("earned", String(earned)), ("status", JSON.string(status.rawValue)),
        ]
        for (key, value) in [("input", input), ("expected", expected), ("actual", actual)] {
            if let value { fields.append((key, JSON.string(value))) }
        }
        fields.append(("rule", JSON.string(rule)))
        if let reason { fields.append(("reason", JSON.string(reason))) }
        return JSON.object(fields)
    }
}

extension CheckDescriptor {
    /// The descriptor as one JSON object (used by `exercise-runner --list`).
    public var json: String {
        JSON.object([
            ("id", JSON.string(id)), ("exercise", JSON.string(exerciseID)), ("points", String(points)),
            ("title", JSON.string(title)), ("rule", JSON.string(rule)),
        ])
    }
}

/// Minimal JSON writing (RFC 8259 string escaping), enough for the runner's flat records.
public enum JSON {
    /// `text` as a quoted JSON string.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// An object from already-encoded values, keys in the given order.
    public static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}

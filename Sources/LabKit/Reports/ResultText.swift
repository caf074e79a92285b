import ExerciseChecks

/// How a check result reads on a terminal and in report "output" fields.
public enum ResultText {
    /// "✓" / "✗" / "⏱" / "💥" / "–" by status.
    public static func mark(_ status: CheckStatus) -> String {
        switch status {
        case .passed: return "✓"
        case .failed: return "✗"
        case .timedOut: return "⏱"
        case .crashed: return "✗"
        case .notBuilt: return "–"
        }
    }

    /// "✗ 02.decode.rfc5769-ipv4  decodes the RFC 5769 … (0/2)".
    public static func headline(_ result: CheckResult) -> String {
        "\(mark(result.status)) \(result.id)  \(result.title)  (\(result.earned)/\(result.points))"
    }

    /// The explanation under a headline: input / expected / actual / rule for a wrong
    /// answer (plus its reason when the grading sandbox refused something), the reason for a
    /// crash, time-out or failed build; empty for a pass.
    public static func details(_ result: CheckResult) -> [String] {
        switch result.status {
        case .passed:
            return []
        case .failed:
            return [
                "input:    " + (result.input ?? "?"),
                "expected: " + (result.expected ?? "?"),
                "actual:   " + (result.actual ?? "?"),
                "rule:     " + result.rule,
            ] + (result.reason.map { ["reason:   " + $0] } ?? [])
        case .crashed, .timedOut, .notBuilt:
            return (result.reason ?? result.status.rawValue).split(separator: "\n").map(String.init) + ["rule:     " + result.rule]
        }
    }

    /// Headline and indented details, as `lab check` prints them.
    public static func block(_ result: CheckResult, indent: String = "    ") -> String {
        ([headline(result)] + details(result).map { indent + $0 }).joined(separator: "\n")
    }
}

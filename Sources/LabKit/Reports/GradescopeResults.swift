import ExerciseChecks
import Foundation

/// One submission's results in the Gradescope autograder format (results.json).
///
/// Gradescope reads `score` (the total), `tests[]` with `name`, `score`, `max_score`,
/// `status` and `output`, plus optional top-level `output` and `execution_time`.
/// On Gradescope, grade the one submission with `lab grade` and copy
/// `gradescope/<name>/results.json` to /autograder/results/results.json.
public struct GradescopeResults: Codable, Equatable, Sendable {
    /// One test (check) as Gradescope shows it.
    public struct Test: Codable, Equatable, Sendable {
        /// "02.decode.rfc5769-ipv4: decodes the RFC 5769 …".
        public var name: String
        /// The check id, shown by Gradescope as the test number.
        public var number: String
        /// Points earned.
        public var score: Double
        /// Points available.
        public var max_score: Double
        /// "passed" or "failed".
        public var status: String
        /// Input, expected, actual and rule; or why the check could not run.
        public var output: String
    }

    /// Total points earned.
    public var score: Double
    /// Total points available (Gradescope ignores it; kept for other readers).
    public var max_score: Double
    /// Seconds spent building and checking.
    public var execution_time: Double
    /// Summary shown above the tests (build outcome).
    public var output: String
    /// One entry per check.
    public var tests: [Test]

    /// The results of `report`.
    public init(_ report: SubmissionReport) {
        score = Double(report.earned)
        max_score = Double(report.possible)
        execution_time = (Format.secondsValue(report.buildDuration + report.checksDuration) * 1000).rounded() / 1000
        switch report.build {
        case .built:
            output = "Built in \(Format.seconds(report.buildDuration)); \(report.results.filter(\.passed).count) of \(report.results.count) checks passed."
        case .failed(let reason):
            output = "The submission could not be graded: \(reason)"
        }
        tests = report.results.map { result in
            Test(name: "\(result.id): \(result.title)", number: result.id, score: Double(result.earned),
                 max_score: Double(result.points), status: result.passed ? "passed" : "failed",
                 output: result.passed ? "Passed." : ResultText.details(result).joined(separator: "\n"))
        }
    }

    /// Pretty-printed JSON with stable key order.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

import ExerciseChecks
import Foundation

/// One submission's results in the Gradescope autograder format (results.json).
///
/// Gradescope reads `score` (the total), `tests[]` with `name`, `score`, `max_score`,
/// `status` and `output`, plus optional top-level `output` and `execution_time`.
///
/// Written answers become tests too, one per question, for manual grading: `max_score` is the
/// question's points, `score` and `status` are left out (the spec makes a test's score
/// optional when the top-level `score` is given, and that score stays the checks' total), the
/// answer is the `output`, and `tags` holds "written". The instructor scores them by hand.
/// On Gradescope, grade the one submission with `lab grade` and copy
/// `gradescope/<name>/results.json` to /autograder/results/results.json.
public struct GradescopeResults: Codable, Equatable, Sendable {
    /// One test (check) as Gradescope shows it.
    public struct Test: Codable, Equatable, Sendable {
        /// "02.decode.rfc5769-ipv4: decodes the RFC 5769 …".
        public var name: String
        /// The check id, shown by Gradescope as the test number.
        public var number: String
        /// Points earned; nil (left out) for a written answer, which the instructor scores.
        public var score: Double?
        /// Points available.
        public var max_score: Double
        /// "passed" or "failed"; nil (left out) for a written answer.
        public var status: String?
        /// Input, expected, actual and rule; or why the check could not run; or the answer.
        public var output: String
        /// "visible" for written answers (a student sees what was handed in); nil for checks.
        public var visibility: String?
        /// ["written", "<exercise>"] for written answers; nil for checks.
        public var tags: [String]?
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
        tests += report.writeups.flatMap { writeup in writeup.answers.map { Self.manualTest(writeup, $0) } }
        if !report.writeups.isEmpty {
            let answered = report.writeups.reduce(0) { $0 + $1.answeredCount }
            let asked = report.writeups.reduce(0) { $0 + $1.answers.count }
            output += " Written answers: \(answered) of \(asked) questions answered, scored by your instructor."
        }
    }

    /// A written answer as a test for manual grading.
    static func manualTest(_ writeup: ExerciseWriteup, _ answer: WrittenAnswer) -> Test {
        let number = String(writeup.exerciseID.prefix { $0 != "-" })
        let question = answer.question
        var lines = ["Written answer, scored by your instructor (up to \(question.points) points).", ""]
        switch answer.state {
        case .answered: lines.append(WriteupsReport.capped(answer.text))
        case .empty: lines.append("No answer: \(question.label) holds only the empty marker.")
        case .headingMissing: lines.append("No answer found: the heading of \(question.label) is missing from \(writeup.exerciseID)/\(Writeups.answersFileName).")
        case .noFile: lines.append("No answer: \(writeup.fileProblem ?? "no file").")
        }
        return Test(name: "\(number).\(question.label): \(question.title) (written answer)",
                    number: "\(number).written.\(question.label)", score: nil, max_score: Double(question.points),
                    status: nil, output: lines.joined(separator: "\n"), visibility: "visible",
                    tags: ["written", writeup.exerciseID])
    }

    /// Pretty-printed JSON with stable key order.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

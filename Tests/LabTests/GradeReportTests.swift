import ExerciseChecks
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import LabKit

/// A two-student class built by hand: one with a wrong answer, one that did not compile.
private func sampleReports() -> [SubmissionReport] {
    let catalog = Array(CheckSuite.catalog.prefix(3))
    let good = SubmissionReport(
        name: "ada, \"the\" first", path: "/x/ada", build: .built, buildDuration: .milliseconds(2500),
        checksDuration: .milliseconds(300),
        results: [
            CheckResult(catalog[0], outcome: .pass),
            CheckResult(catalog[1], outcome: .fail(CheckFailure(input: "in <put>", expected: "a & b", actual: "c", rule: "RFC 1 §1"))),
            CheckResult(catalog[2], status: .timedOut, reason: "timed out: still running"),
        ],
        checkDurations: [catalog[0].id: .milliseconds(12)])
    let broken = SubmissionReport(
        name: "bob", path: "/x/bob", build: .failed(reason: "does not compile: X.swift:1:1: error: nope"),
        buildDuration: .seconds(1), checksDuration: .zero,
        results: catalog.map { CheckResult($0, status: .notBuilt, reason: "does not compile: X.swift:1:1: error: nope") },
        checkDurations: [:])
    return [good, broken]
}

@Suite("Grade reports")
struct GradeReportTests {
    @Test("the gradebook has one column per check and quotes fields with commas and quotes")
    func gradebook() {
        let csv = GradebookCSV.render(sampleReports())
        let rows = csv.components(separatedBy: "\r\n")
        let ids = CheckSuite.catalog.prefix(3).map(\.id).joined(separator: ",")
        #expect(rows[0] == "student,score,max_score,build," + ids + ",notes")
        #expect(rows[1] == "\"ada, \"\"the\"\" first\",1,4,ok,1,0,0,timed out: still running (\(CheckSuite.catalog[2].id))")
        #expect(rows[2] == "bob,0,4,failed,0,0,0,does not compile: X.swift:1:1: error: nope")
        #expect(rows.count == 4 && rows[3].isEmpty)
    }

    @Test("JUnit tells wrong answers (failure) from code that could not run (error), escaped")
    func junit() throws {
        let xml = JUnitReport.render(sampleReports())
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"lab grade\" tests=\"6\" failures=\"1\" errors=\"4\""))
        #expect(xml.contains("<testsuite name=\"ada, &quot;the&quot; first\" tests=\"3\" failures=\"1\" errors=\"1\" time=\"2.800\">"))
        #expect(xml.contains("<failure type=\"failed\" message=\"expected a &amp; b, got c\">input:    in &lt;put&gt;&#10;"))
        #expect(xml.contains("<error type=\"timed-out\" message=\"timed out: still running\">"))
        #expect(xml.contains("<testsuite name=\"bob\" tests=\"3\" failures=\"0\" errors=\"3\""))
        #expect(xml.contains("<property name=\"score\" value=\"1\"/>"))
        GraderTestSupport.expectWellFormedXML(xml)
    }

    @Test("Gradescope results carry total score and one test per check with its output")
    func gradescope() throws {
        let data = try GradescopeResults(sampleReports()[0]).encoded()
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["score"] as? Double == 1)
        #expect(json["execution_time"] as? Double == 2.8)
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.count == 3)
        #expect(tests[0]["score"] as? Double == 1 && tests[0]["max_score"] as? Double == 1)
        #expect(tests[0]["status"] as? String == "passed")
        #expect(tests[1]["status"] as? String == "failed")
        #expect((tests[1]["output"] as? String)?.contains("expected: a & b") == true)
        #expect((tests[1]["name"] as? String)?.hasPrefix(CheckSuite.catalog[1].id + ": ") == true)
        #expect((tests[2]["output"] as? String)?.hasPrefix("timed out: still running") == true)
        let broken = GradescopeResults(sampleReports()[1])
        #expect(broken.output.hasPrefix("The submission could not be graded: does not compile"))
    }

    @Test("progress records each exercise of a check and survives a save and load")
    func progress() throws {
        let directory = try GraderTestSupport.temporaryDirectory("lab-state-")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = LabStateStore(directory: directory + "/.lab")
        #expect(try store.loadProgress() == LabProgress())
        var progress = LabProgress()
        let when = Date(timeIntervalSince1970: 1_700_000_000)
        progress.record(sampleReports()[0], at: when)
        try store.save(progress)
        let loaded = try store.loadProgress()
        #expect(loaded == progress)
        let entry = try #require(loaded.exercises["01-protocol-stack"])
        #expect(entry.earned == 1 && entry.possible == 4 && entry.passed == [CheckSuite.catalog[0].id])
        #expect(entry.failed == CheckSuite.catalog[1...2].map(\.id) && entry.buildFailure == nil)
        try store.saveRevealedHints(["02-stun-coding": 2])
        #expect(try store.loadRevealedHints() == ["02-stun-coding": 2])
        try "{".write(toFile: directory + "/.lab/progress.json", atomically: true, encoding: .utf8)
        #expect(throws: LabError.self) { try store.loadProgress() }
    }

    @Test("hints are read from each exercise README, in order, folded in <details>")
    func hints() throws {
        let repository = try LabRepository(root: GraderTestSupport.repositoryRoot)
        for exercise in ExerciseCatalog.all {
            let hints = try ExerciseHints.load(exercise, repository: repository).hints
            #expect(hints.count >= 3, "\(exercise.id) has \(hints.count) hints")
            for (index, hint) in hints.enumerated() {
                #expect(hint.title.hasPrefix("Hint \(index + 1):"))
                #expect(!hint.body.isEmpty && !hint.body.contains("<details>"))
            }
        }
        let parsed = ExerciseHints.parse(markdown: """
            ## Task
            <details><summary>not a hint</summary>
            x
            </details>
            ## Hints
            <details><summary>Hint 1: one</summary>

            first

            </details>
            ## After
            """)
        #expect(parsed.hints == [ExerciseHints.Hint(title: "Hint 1: one", body: "first")])
    }
}

/// Helpers shared by the grader's tests (namespaced: all LabTests files share one module).
enum GraderTestSupport {
    /// The repository this test file lives in.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Fails the test unless `xml` parses.
    static func expectWellFormedXML(_ xml: String) {
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "the XML does not parse: \(parser.parserError.map { "\($0)" } ?? "?")")
    }
}

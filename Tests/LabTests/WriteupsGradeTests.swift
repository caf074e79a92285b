import ExerciseChecks
import Foundation
import Testing
@testable import LabKit

// Written answers through the grader and the `lab` binary: a class of three synthetic
// students (one complete, one partial, one who wrote nothing) graded on the three exercises
// that ask for prose, the writeups pages and Gradescope entries that come out, the automatic
// scores left exactly as the checks give them; `lab check` naming the empty answers and `lab`
// counting them. The writeups pages are kept under the build directory
// (lab-writeups-sample/) and printed, so a run leaves a sample to read.

/// The exercises with written questions, graded here (the others only slow the test down).
private let writtenExercises = ["01-protocol-stack", "06-delivery-modes", "08-mesh-cost"]

/// Runs the built `lab` executable (it sits next to the test bundle).
private func lab(_ arguments: [String]) throws -> ChildOutcome {
    let executable = GraderTestSupport.buildDirectory + "/lab"
    try #require(FileManager.default.isExecutableFile(atPath: executable), "\(executable) is missing: build the package first")
    return try ChildProcess.run([executable] + arguments, environment: ProcessInfo.processInfo.environment, timeout: .seconds(600))
}

/// Ada: the reference code and answers of her own; Bob: exercise 06 solved, some answers,
/// one heading renamed and one deleted, exercise 01's file gone; Cy: the untouched starter.
private struct ThreeStudents {
    let directory: String
    let submissions: String

    init() throws {
        let root = GraderTestSupport.repositoryRoot
        let manager = FileManager.default
        directory = try GraderTestSupport.temporaryDirectory("lab-writeups-class-")
        submissions = directory + "/class"
        try manager.createDirectory(atPath: submissions, withIntermediateDirectories: true)
        try manager.copyItem(atPath: root + "/solutions", toPath: submissions + "/ada")
        try manager.copyItem(atPath: root + "/exercises", toPath: submissions + "/bob")
        try manager.copyItem(atPath: root + "/exercises", toPath: submissions + "/cy")

        for file in ["ANSWERS.md", "RUBRIC.md"] {
            for exercise in writtenExercises { try? manager.removeItem(atPath: submissions + "/ada/\(exercise)/\(file)") }
        }
        for exercise in writtenExercises {
            try manager.copyItem(atPath: root + "/exercises/\(exercise)/ANSWERS.md", toPath: submissions + "/ada/\(exercise)/ANSWERS.md")
        }
        try Self.answer(submissions + "/ada/06-delivery-modes/ANSWERS.md", [
            1: "Reliable-ordered: everything arrives, in order, so one lost packet stalls the messages behind it until the retransmission lands (head-of-line blocking). Reliable-unordered: everything arrives, each message as soon as it is complete, so a loss only delays itself. Unreliable-unordered: SCTP gives up after maxRetransmits or maxPacketLifeTime and delivers in arrival order: nothing waits, but messages can go missing.",
            2: "Requests and replies must all arrive (a lost task is never done) and a cancel must not overtake its request, so reliable and ordered. The messages are small and loss is rare, so the head-of-line blocking costs little.",
            3: "Unreliable-unordered, maxRetransmits 0, on its own channel: a sample is stale after 100 ms, so resending it is wasted and waiting for order stalls fresh samples. The timestamp orders them: a late sample is plotted at its time and never replaces a newer current value.",
        ])
        try Self.answer(submissions + "/ada/01-protocol-stack/ANSWERS.md", [
            1: "Gives the messages their meaning and picks a channel for each kind.", 2: "Named channels with their settings, opened by DCEP.",
            3: "Messages on independent streams, reliable or not, ordered or not.", 4: "Encrypts, and checks the peer's certificate against the SDP fingerprint.",
            5: "Finds and checks a working pair of candidates.", 6: "STUN finds the public address, TURN relays.",
            7: "Datagrams between ports; no head-of-line blocking as with TCP.",
        ])
        try Self.answer(submissions + "/ada/08-mesh-cost/ANSWERS.md", [
            1: "Signaling through the registry, then ICE checks, the DTLS and SCTP handshakes and the OPEN. Locally the key generation and ICE pacing dominate; over the internet the round trips and ICE.",
            2: "10 connections, 50 to 100 s one after another; the demo overlaps the pairs but agents arrive in turn and share the CPU.",
            3: "10 to 20 ms per message, paid back after 100 to 200 messages; HTTP's own handshakes and the per-message latency are left out.",
        ])

        try manager.removeItem(atPath: submissions + "/bob/06-delivery-modes/DeliveryModes.swift")
        try manager.copyItem(atPath: root + "/solutions/06-delivery-modes/DeliveryModes.swift",
                             toPath: submissions + "/bob/06-delivery-modes/DeliveryModes.swift")
        try Self.answer(submissions + "/bob/06-delivery-modes/ANSWERS.md", [
            1: "Ordered waits for lost messages, unordered does not; unreliable drops them.",
            3: "Unreliable-unordered: old samples are useless. <b>Timestamps</b> fix the order.",
        ])
        try Self.edit(submissions + "/bob/06-delivery-modes/ANSWERS.md") {
            $0.replacingOccurrences(of: "## Q3: Live telemetry (2 points)", with: "### q3) telemetry, my take")
        }
        try Self.edit(submissions + "/bob/08-mesh-cost/ANSWERS.md") {
            $0.replacingOccurrences(of: "## Q2: A five-agent mesh (3 points)\n", with: "")
        }
        try manager.removeItem(atPath: submissions + "/bob/01-protocol-stack/ANSWERS.md")
    }

    /// Writes `answers` (by question number) in place of the empty markers of `path`.
    static func answer(_ path: String, _ answers: [Int: String]) throws {
        try edit(path) { text in
            var question = 0
            return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                if line.hasPrefix("## Q") { question = Int(line.dropFirst(4).prefix { $0.isNumber }) ?? 0 }
                guard line == "_(write your answer here)_", let answer = answers[question] else { return String(line) }
                return answer
            }.joined(separator: "\n")
        }
    }

    static func edit(_ path: String, _ change: (String) throws -> String) throws {
        try change(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
    }
}

@Suite("Written answers: grading a class and the lab command", .serialized)
struct WriteupsGradeTests {
    private let root = GraderTestSupport.repositoryRoot
    // One workspace for both tests (the suite is serialized), apart from every other suite's.
    private let workspace = GraderTestSupport.scratchDirectory("lab-writeups-workspace")

    @Test("lab grade on three students: writeups pages, manual Gradescope entries, automatic scores unchanged")
    func gradeThreeStudents() throws {
        let students = try ThreeStudents()
        defer { try? FileManager.default.removeItem(atPath: students.directory) }
        var options = GradingOptions()
        options.checkTimeout = .seconds(10)
        options.exercises = writtenExercises
        let grader = ClassGrader(grader: SubmissionGrader(
            workspace: GradingWorkspace(repository: try LabRepository(root: root), directory: workspace), options: options))
        let reports = try grader.gradeAll(in: students.submissions)
        #expect(reports.map(\.name) == ["ada", "bob", "cy"])

        // Automatic points: exactly the checks', whatever was written.
        let points = { (exercise: String) in CheckSuite.catalog(forExercise: exercise).reduce(0) { $0 + $1.points } }
        let possible = writtenExercises.map(points).reduce(0, +)
        #expect(reports.map(\.earned) == [possible, points("06-delivery-modes"), 0])
        #expect(reports.allSatisfy { $0.possible == possible && $0.build == .built })
        var stripped = reports
        for index in stripped.indices { stripped[index].writeups = [] }
        #expect(GradebookCSV.render(reports) == GradebookCSV.render(stripped))
        #expect(JUnitReport.render(reports) == JUnitReport.render(stripped))

        // What each student wrote, as the grader read it.
        let byName = Dictionary(uniqueKeysWithValues: reports.map { ($0.name, $0) })
        func states(_ name: String, _ exercise: String) -> [WrittenAnswer.State] {
            byName[name]?.writeups.first { $0.exerciseID == exercise }?.answers.map(\.state) ?? []
        }
        #expect(reports.allSatisfy { $0.writeups.map(\.exerciseID) == writtenExercises })
        #expect(states("ada", "01-protocol-stack") == Array(repeating: .answered, count: 7))
        #expect(states("ada", "06-delivery-modes") == [.answered, .answered, .answered])
        #expect(states("bob", "01-protocol-stack") == Array(repeating: .noFile, count: 7))
        #expect(states("bob", "06-delivery-modes") == [.answered, .empty, .answered])
        #expect(states("bob", "08-mesh-cost") == [.empty, .headingMissing, .empty])
        #expect(states("cy", "06-delivery-modes") == [.empty, .empty, .empty])

        let out = students.directory + "/grades"
        let written = try GradeReportWriter.write(reports, to: out)
        #expect(written.writeups.keys.sorted() == writtenExercises)

        // Gradescope: the checks as before, then one manual entry per question.
        for report in reports {
            let data = try Data(contentsOf: URL(fileURLWithPath: try #require(written.gradescope[report.name])))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(json["score"] as? Double == Double(report.earned))
            let tests = try #require(json["tests"] as? [[String: Any]])
            let checks = tests.filter { $0["tags"] == nil }
            let manual = tests.filter { ($0["tags"] as? [String])?.first == "written" }
            #expect(checks.count == report.results.count && manual.count == 13)
            #expect(checks.map { $0["score"] as? Double } == report.results.map { Double($0.earned) })
            #expect(manual.allSatisfy { !$0.keys.contains("score") && $0["visibility"] as? String == "visible" })
            let manualPoints: [Double] = manual.map { ($0["max_score"] as? Double) ?? 0 }
            #expect(manualPoints.reduce(0, +) == 24, "7 + 7 + 10 points of written answers")
        }
        let bobJSON = try String(contentsOfFile: try #require(written.gradescope["bob"]), encoding: .utf8)
        #expect(bobJSON.contains("<b>Timestamps</b> fix the order."))
        #expect(bobJSON.contains("No answer: there is no 01-protocol-stack/ANSWERS.md."))
        #expect(bobJSON.contains("No answer found: the heading of Q2 is missing from 08-mesh-cost/ANSWERS.md."))

        // The writeups pages: every student under every question, with the rubric.
        let sample = GraderTestSupport.scratchDirectory("lab-writeups-sample")
        try? FileManager.default.removeItem(atPath: sample)
        try FileManager.default.createDirectory(atPath: sample, withIntermediateDirectories: true)
        for exercise in writtenExercises {
            let path = try #require(written.writeups[exercise])
            let page = try String(contentsOfFile: path, encoding: .utf8)
            try page.write(toFile: sample + "/" + exercise + ".md", atomically: true, encoding: .utf8)
            print("──── writeups/\(exercise).md ────\n" + page)
        }
        let page06 = try String(contentsOfFile: try #require(written.writeups["06-delivery-modes"]), encoding: .utf8)
        #expect(page06.contains("| ada | ✓ | ✓ | ✓ | 3/3 |\n| bob | ✓ | empty | ✓ | 2/3 |\n| cy | empty | empty | empty | 0/3 |"))
        #expect(page06.contains("**Full credit** (rubric):\n- Reliable-ordered: every message, once, in send order;"))
        #expect(page06.contains("### bob: 9 words, score: ___ / 2\n\n```text\nUnreliable-unordered: old samples are useless. <b>Timestamps</b> fix the order.\n```"))
        #expect(page06.contains("### cy: no answer (only the empty marker), score: 0 / 3"))
        let q1 = try #require(page06.range(of: "## Q1: "))
        let q2 = try #require(page06.range(of: "## Q2: "))
        let firstQuestion = page06[q1.lowerBound..<q2.lowerBound]
        #expect(["### ada: ", "### bob: ", "### cy: "].allSatisfy { firstQuestion.contains($0) })
        let page08 = try String(contentsOfFile: try #require(written.writeups["08-mesh-cost"]), encoding: .utf8)
        #expect(page08.contains("| bob | empty | no heading | empty | 0/3 |"))
        #expect(page08.contains("- bob: the heading of Q2 is missing: put \\`\\#\\# Q2: A five-agent mesh\\` back above its answer"))
        let page01 = try String(contentsOfFile: try #require(written.writeups["01-protocol-stack"]), encoding: .utf8)
        #expect(page01.contains("| bob | – | – | – | – | – | – | – | no file |"))
    }

    @Test("lab check names the empty answers without failing the checks; lab counts them; help explains them")
    func checkAndList() throws {
        let students = try ThreeStudents()
        defer { try? FileManager.default.removeItem(atPath: students.directory) }
        let check = try lab(["check", "06", "--dir", students.submissions + "/bob", "--root", root, "--workspace", workspace])
        #expect(check.termination == .exited(0), "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("""
              Written answers (06-delivery-modes/ANSWERS.md, 7 points scored by your instructor, not by the checks): 2 of 3 written
                still empty: Q2 Why the mesh is reliable and ordered
            """))
        let missing = try lab(["check", "01", "--dir", students.submissions + "/bob", "--root", root, "--workspace", workspace, "--brief"])
        #expect(missing.stdout.contains("Written answers (01-protocol-stack/ANSWERS.md, 7 points scored by your instructor, not by the checks): none read\n"
                                        + "    there is no 01-protocol-stack/ANSWERS.md; the starter's copy has the questions"))

        // `lab` reads the answers of the repository it is given: a minimal copy with bob's 06.
        let fake = students.directory + "/fake-root"
        let manager = FileManager.default
        try manager.createDirectory(atPath: fake + "/Sources/ExerciseChecks", withIntermediateDirectories: true)
        try "// a stand-in root\n".write(toFile: fake + "/Package.swift", atomically: true, encoding: .utf8)
        try manager.createDirectory(atPath: fake + "/exercises", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: fake + "/solutions", withIntermediateDirectories: true)
        try manager.copyItem(atPath: students.submissions + "/bob/06-delivery-modes", toPath: fake + "/exercises/06-delivery-modes")
        try manager.copyItem(atPath: root + "/solutions/06-delivery-modes", toPath: fake + "/solutions/06-delivery-modes")
        let list = try lab(["--root", fake])
        #expect(list.termination == .exited(0), "\(list.stderr)")
        let line = list.stdout.split(separator: "\n").first { $0.hasPrefix("  06  ") }
        #expect(line?.hasSuffix("not checked yet; written 2/3") == true, "\(list.stdout)")
        #expect(list.stdout.contains("\"written N/M\": answers in the exercise's ANSWERS.md, scored by your instructor"))

        let help = try lab(["grade", "--help"])
        #expect(help.stdout.contains("writeups/<exercise>.md") && help.stdout.contains("manual grading"))
        let top = try lab(["--help"])
        #expect(top.stdout.contains("ANSWERS.md"))
    }
}

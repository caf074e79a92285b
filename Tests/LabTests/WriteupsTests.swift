import ExerciseChecks
import Foundation
import Testing
@testable import LabKit
#if canImport(Glibc)
import Glibc
#endif

// Written answers: parsing ANSWERS.md (empty and filled, edited headings, fences, comments),
// the repository's own question files, hostile files, the writeups page and the Gradescope
// entries for manual grading. The class of three graded end to end is in
// WriteupsGradeTests.swift.

/// A small sheet built from strings, independent of the repository's wording.
private func sampleSheet() throws -> WriteupSheet {
    try WriteupSheet.make(
        exerciseID: "06-delivery-modes", exerciseTitle: "Delivery modes",
        examples: """
            # examples
            ## Q1: Modes (3 points)
            > Explain the modes.

            Reliable-ordered waits for every loss; the others do not.
            ## Q2: Telemetry (2 points)
            > Which mode for telemetry?

            Unreliable-unordered, since samples carry their timestamp and go stale.
            """,
        rubric: """
            # rubric
            ## Q1: Modes (3 points)
            ### Full credit
            - head-of-line blocking
              explained for ordered delivery
            - one point per mode
            ### Common wrong answers
            - unordered is faster without loss
            ## Q2: Telemetry (2 points)
            ### Full credit
            - unreliable-unordered
            """,
        source: "test")
}

@Suite("Written answers: parsing and files")
struct WriteupsTests {
    private let root = GraderTestSupport.repositoryRoot

    @Test("a starter's sections are empty; written text, edited headings and duplicates are found by number")
    func parsing() throws {
        let starter = WriteupDocument.parse("""
            # Exercise 06
            Intro that mentions Q1 but is no heading.
            ## Q1: Modes (3 points)

            > Explain the modes.
            > Two lines of question.

            _(write your answer here)_

            ## Q2: Telemetry (2 points)
            > Which mode?

            <!-- instructions for the student -->
            *(Write your answer here)*
            """)
        #expect(starter.sections.map(\.number) == [1, 2])
        #expect(starter.sections.map(\.title) == ["Modes", "Telemetry"])
        #expect(starter.sections.map(\.points) == [3, 2])
        #expect(starter.sections[0].prompt == "Explain the modes.\nTwo lines of question.")
        #expect(starter.sections.allSatisfy { $0.body.isEmpty })
        #expect(starter.sections.map(\.line) == [3, 10])

        let filled = WriteupDocument.parse("""
            ### q1) my own title for the modes
            > Explain the modes.
            _(write your answer here)_
            Ordered delivery waits.
            ```
            ## Q2: inside a code block, not a heading
            ```
            # Question 2 - Telemetry
            Unordered, <!-- a hidden remark --> unreliable.
            ## Q12abc not a heading either
            ## Q3 extra
            text
            """)
        #expect(filled.sections.map(\.number) == [1, 2, 3])
        #expect(filled.sections[0].title == "my own title for the modes")
        #expect(filled.sections[0].body == "Ordered delivery waits.\n```\n## Q2: inside a code block, not a heading\n```")
        #expect(filled.sections[1].body == "Unordered,  unreliable.\n## Q12abc not a heading either")

        let sheet = try sampleSheet()
        let writeup = sheet.answers(in: filled, path: "x/ANSWERS.md")
        #expect(writeup.answers.map(\.state) == [.answered, .answered])
        #expect(writeup.answeredCount == 2 && writeup.totalPoints == 5)
        #expect(writeup.notes == ["Q3 (line 11) is not a question of this exercise: it is not graded"])

        let partial = sheet.answers(in: WriteupDocument.parse("""
            ## Q1: Modes
            first part
            ## Q1: Modes again
            second part
            """), path: "x/ANSWERS.md")
        #expect(partial.answers.map(\.state) == [.answered, .headingMissing])
        #expect(partial.answers[0].text == "first part\n\nsecond part")
        #expect(partial.notes == ["Q1 appears 2 times (lines 1, 3): its parts are read as one answer",
                                  "the heading of Q2 is missing: put `## Q2: Telemetry` back above its answer"])
        #expect(WriteupStatusText.lines(partial) == [
            "Written answers (06-delivery-modes/ANSWERS.md, 5 points scored by your instructor, not by the checks): 1 of 2 written",
            "  still empty: Q2 Telemetry",
            "  note: Q1 appears 2 times (lines 1, 3): its parts are read as one answer",
            "  note: the heading of Q2 is missing: put `## Q2: Telemetry` back above its answer",
        ])
        #expect(sheet.questions[0].keyPoints == ["head-of-line blocking explained for ordered delivery", "one point per mode"])
        #expect(sheet.questions[0].wrongAnswers == ["unordered is faster without loss"])
    }

    @Test("the repository's written questions: starters empty, solutions answered, rubric for every question")
    func repositoryFiles() throws {
        let repository = try LabRepository(root: root)
        let sheets = try WriteupSheet.loadAll(repository: repository)
        let ids = sheets.map(\.exerciseID)
        for expected in ["01-protocol-stack", "06-delivery-modes", "08-mesh-cost"] {
            #expect(ids.contains(expected), "\(expected) has no written questions")
        }
        for sheet in sheets {
            let starter = try String(contentsOfFile: root + "/exercises/\(sheet.exerciseID)/ANSWERS.md", encoding: .utf8)
            let sections = WriteupDocument.parse(starter).sections
            #expect(sections.map(\.number) == sheet.questions.map(\.number), "\(sheet.exerciseID)")
            #expect(sections.map(\.title) == sheet.questions.map(\.title), "\(sheet.exerciseID): starter and solution titles differ")
            #expect(sections.map(\.prompt) == sheet.questions.map(\.prompt), "\(sheet.exerciseID): starter and solution questions differ")
            #expect(sections.map(\.points) == sheet.questions.map { Optional($0.points) }, "\(sheet.exerciseID): points differ from RUBRIC.md")
            #expect(starter.contains(Writeups.emptyMarker))
            let fromStarter = sheet.read(submission: root + "/exercises")
            #expect(fromStarter.fileProblem == nil && fromStarter.answers.allSatisfy { $0.state == .empty })
            let fromSolution = sheet.read(submission: root + "/solutions")
            #expect(fromSolution.answers.allSatisfy { $0.state == .answered } && fromSolution.notes.isEmpty)
            #expect(sheet.questions.allSatisfy { !$0.keyPoints.isEmpty && !$0.wrongAnswers.isEmpty && $0.points > 0 })
        }
        // A rubric that lost its points is the lab's bug, reported as such.
        #expect(throws: LabError.self) {
            try WriteupSheet.make(exerciseID: "x", exerciseTitle: "x", examples: "## Q1: a\n> q?\n\nanswer",
                                  rubric: "## Q1: a\n### Full credit\n- x", source: "solutions/x")
        }
    }

    @Test("hostile ANSWERS.md: missing, huge, binary, not UTF-8, a link, a directory, a FIFO, escape codes")
    func hostileFiles() throws {
        let directory = try GraderTestSupport.temporaryDirectory("lab-writeups-hostile-")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sheet = try sampleSheet()
        func submission(_ name: String, _ make: (String) throws -> Void) throws -> ExerciseWriteup {
            let folder = directory + "/" + name
            try FileManager.default.createDirectory(atPath: folder + "/06-delivery-modes", withIntermediateDirectories: true)
            try make(folder + "/06-delivery-modes/ANSWERS.md")
            return sheet.read(submission: folder)
        }

        let missing = try submission("missing") { _ in }
        #expect(missing.fileProblem == "there is no 06-delivery-modes/ANSWERS.md")
        #expect(missing.answers.allSatisfy { $0.state == .noFile })

        let huge = try submission("huge") { path in
            let answer = String(repeating: "word ", count: 40_000)  // 200 000 bytes
            try ("## Q1: Modes\n" + answer + "\n## Q2: Telemetry\nlost past the limit\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(huge.fileProblem == nil)
        #expect(huge.notes.first == "06-delivery-modes/ANSWERS.md: it is 195.3 KiB, more than the 64 KiB read: only the beginning was read")
        #expect(huge.answers.map(\.state) == [.answered, .headingMissing])
        #expect(huge.answers[0].text.utf8.count < Writeups.maximumFileBytes)

        let binary = try submission("binary") { path in
            try Data([0x23, 0x23, 0x20, 0x51, 0x31, 0x0A, 0x00, 0xFF, 0x00]).write(to: URL(fileURLWithPath: path))
        }
        #expect(binary.fileProblem == "06-delivery-modes/ANSWERS.md was not read: it looks binary (it contains NUL bytes), not like text")

        let latin1 = try submission("latin1") { path in
            try Data("## Q1: Modes\nd\u{E9}j\u{E0} vu\n## Q2: T\n".data(using: .isoLatin1)!).write(to: URL(fileURLWithPath: path))
        }
        #expect(latin1.answers[0].text == "d\u{FFFD}j\u{FFFD} vu")
        #expect(latin1.notes.first?.contains("not valid UTF-8") == true)

        let link = try submission("link") { path in
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/etc/passwd")
        }
        #expect(link.fileProblem == "06-delivery-modes/ANSWERS.md was not read: it is a symbolic link; only a plain file is read")

        let folder = try submission("folder") { path in
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        #expect(folder.fileProblem?.hasSuffix("it is not a plain file (a directory or a device?)") == true)

        // A FIFO would block a plain open() until a writer appears; O_NONBLOCK keeps us moving.
        let fifo = try submission("fifo") { path in #expect(mkfifo(path, 0o644) == 0) }
        #expect(fifo.fileProblem?.hasSuffix("it is not a plain file (a directory or a device?)") == true)

        let escapes = try submission("escapes") { path in
            try "## Q1: Modes\r\n\u{1B}[2Jcleared\u{7}\r\nline two\r## Q2: T\n\u{FEFF}".write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(escapes.answers[0].text == "[2Jcleared\nline two")
    }

    @Test("the writeups page shows every student under each question, with the rubric, escaped and bounded")
    func reportPage() throws {
        let sheet = try sampleSheet()
        let hostile = "Looks like ```` a fence\n## Q9: forged heading\n<script>alert(1)</script> " + String(repeating: "x", count: 7000)
        let copied = "Reliable-ordered waits for every loss; the others do not."
        var ada = sheet.answers(in: WriteupDocument.parse("## Q1: Modes\n\(copied)\n## Q2: Telemetry\nsoon"), path: "a")
        ada.answers[1].text = hostile  // as if parsed: a forged heading in a file would start a section of its own
        let students: [(name: String, writeup: ExerciseWriteup)] = [
            ("ada *star*", ada),
            ("bob", sheet.answers(in: WriteupDocument.parse("## Q1: Modes\n\(copied)\n## Q2: Telemetry\n_(write your answer here)_"), path: "b")),
            ("cy", sheet.read(submission: "/nonexistent")),
        ]
        let page = WriteupsReport.render(sheet: sheet, students: students)
        #expect(page.hasPrefix("# Written answers: 06-delivery-modes, Delivery modes\n\n3 submissions, 2 questions, 5 points scored by hand."))
        #expect(page.contains("| ada \\*star\\* | ✓ | ✓ | 2/2 |"))
        #expect(page.contains("| bob | ✓ | empty | 1/2 |"))
        #expect(page.contains("| cy | – | – | no file |"))
        #expect(page.contains("## Q1: Modes (3 points)\n\n> Explain the modes.\n\n**Full credit** (rubric):\n- head-of-line blocking"))
        #expect(page.contains("### ada \\*star\\*: 9 words, score: ___ / 3\n\n⚠ same text as the example answer in solutions/; same text as bob\n\n```text\n\(copied)\n```"))
        #expect(page.contains("### bob: no answer (only the empty marker), score: 0 / 2"))
        #expect(page.contains("### cy: no answer (there is no 06-delivery-modes/ANSWERS.md), score: 0 / 3"))
        // The hostile answer stays inside a five-backtick fence: its own fence, heading and tag are text.
        #expect(page.contains("`````text\nLooks like ```` a fence\n## Q9: forged heading\n<script>alert(1)</script>"))
        #expect(page.contains("[… \(hostile.count - WriteupsReport.answerDisplayLimit) more characters not shown]\n`````"))
        let prose = Substring(String(repeating: "a sentence of prose, ", count: 30))
        let wrapped = WriteupsReport.wrap(prose)
        #expect(wrapped.count >= 7 && wrapped.allSatisfy { $0.count <= WriteupsReport.wrapWidth })
        #expect(wrapped.joined(separator: " ") == prose)
    }

    @Test("Gradescope gets one manual-grading test per question: max_score, no score, the answer as output")
    func gradescopeEntries() throws {
        let sheet = try sampleSheet()
        let check = try #require(CheckSuite.catalog.first { $0.exerciseID == "06-delivery-modes" })
        var report = SubmissionReport(name: "ada", path: "/x/ada", build: .built, buildDuration: .seconds(1),
                                      checksDuration: .zero, results: [CheckResult(check, outcome: .pass)], checkDurations: [:])
        report.writeups = [sheet.answers(in: WriteupDocument.parse("## Q1: Modes\nOrdered waits.\n## Q2: T\n"), path: "x")]
        let json = try #require(try JSONSerialization.jsonObject(with: GradescopeResults(report).encoded()) as? [String: Any])
        #expect(json["score"] as? Double == Double(check.points))
        #expect((json["output"] as? String)?.hasSuffix("Written answers: 1 of 2 questions answered, scored by your instructor.") == true)
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.count == 3)
        #expect(tests[0]["score"] as? Double == Double(check.points) && tests[0]["visibility"] == nil && tests[0]["tags"] == nil)
        let q1 = tests[1]
        #expect(q1["name"] as? String == "06.Q1: Modes (written answer)" && q1["number"] as? String == "06.written.Q1")
        #expect(q1["max_score"] as? Double == 3 && q1.keys.contains("score") == false && q1.keys.contains("status") == false)
        #expect(q1["output"] as? String == "Written answer, scored by your instructor (up to 3 points).\n\nOrdered waits.")
        #expect(q1["visibility"] as? String == "visible" && q1["tags"] as? [String] == ["written", "06-delivery-modes"])
        #expect((tests[2]["output"] as? String)?.hasSuffix("No answer: Q2 holds only the empty marker.") == true)
    }
}

import Foundation
import Testing
@testable import LabKit

/// Builds markdown with ``` fences without fighting Swift's string escapes.
private func md(_ text: String) -> String {
    text.replacingOccurrences(of: "''''", with: "````").replacingOccurrences(of: "'''", with: "```")
}

private func parse(_ text: String, path: String = "lessons/07-sample.md") throws -> Lesson {
    try LessonParser.parse(markdown: md(text), path: path)
}

/// The reason of the malformed-lesson LabError thrown by parsing `text`, or nil if it threw nothing or something else.
private func parseError(_ text: String, path: String = "lessons/07-sample.md") -> String? {
    do {
        _ = try parse(text, path: path)
        return nil
    } catch let error as LabError {
        return error.code == .malformedLesson ? error.reason : nil
    } catch {
        return nil
    }
}

@Suite("Lesson markdown parser")
struct LessonParserTests {
    @Test("reads id, title, exercise links and a run block with its expectations")
    func parsesBasicLesson() throws {
        let lesson = try parse("""
            # Lesson 07: Sample

            Try [exercise 07](../exercises/07-sample-work/README.md) and exercises/08-more.

            '''sh {run}
            echo hello
            echo world
            '''

            Notice:

            '''text {expect}
            hello
            /w.rld/
            /HELLO/i
            ! error
            '''
            """)
        #expect(lesson.id == "07")
        #expect(lesson.title == "Sample")
        #expect(lesson.path == "lessons/07-sample.md")
        #expect(lesson.fileName == "07-sample.md")
        #expect(lesson.exerciseIDs == ["07-sample-work", "08-more"])
        #expect(lesson.blocks.count == 1)
        let block = try #require(lesson.blocks.first)
        #expect(block.index == 1)
        #expect(block.line == 5)
        #expect(block.script == "echo hello\necho world")
        #expect(block.expectedExit == .status(0))
        #expect(block.timeout == nil)
        #expect(block.expectations == [
            Expectation(pattern: .substring("hello"), line: 13),
            Expectation(pattern: .regex(source: "w.rld", caseInsensitive: false), line: 14),
            Expectation(pattern: .regex(source: "HELLO", caseInsensitive: true), line: 15),
            Expectation(pattern: .substring("error"), negated: true, line: 16),
        ])
    }

    @Test("reads exit=N, exit=nonzero and timeout= attributes")
    func parsesAttributes() throws {
        let lesson = try parse("""
            # T
            '''bash {run exit=3 timeout=5}
            exit 3
            '''
            '''text {expect}
            x
            '''
            ~~~console {run exit=nonzero}
            false
            ~~~
            ~~~ {expect}
            y
            ~~~
            """)
        #expect(lesson.blocks.map(\.expectedExit) == [.status(3), .nonZero])
        #expect(lesson.blocks.map(\.timeout) == [.seconds(5), nil])
        #expect(lesson.blocks.map(\.index) == [1, 2])
    }

    @Test("ignores illustration blocks, including headings and markers inside them")
    func ignoresIllustrations() throws {
        let lesson = try parse("""
            ''''markdown
            # Not the title
            '''sh {run}
            not run
            '''
            ''''
            # Real title
            '''
            plain
            '''
            """)
        #expect(lesson.title == "Real title")
        #expect(lesson.blocks.isEmpty)
    }

    @Test("keeps indented blocks' content relative to the fence")
    func stripsFenceIndent() throws {
        let lesson = try parse("""
            # T
            1. Run:

               '''sh {run}
               echo a
                 echo b
               '''
               '''text {expect}
               a
               '''
            """)
        #expect(lesson.blocks.first?.script == "echo a\n  echo b")
    }

    @Test("rejects a run block with no expect block after it")
    func missingExpect() {
        let reason = parseError("""
            # T
            '''sh {run}
            echo hi
            '''
            """)
        #expect(reason?.contains("lessons/07-sample.md:2") == true)
        #expect(reason?.contains("not followed by an {expect} block") == true)
    }

    @Test("rejects a run block followed by another fenced block instead of its expect block")
    func illustrationBetween() {
        let reason = parseError("""
            # T
            '''sh {run}
            echo hi
            '''
            '''
            diagram
            '''
            '''text {expect}
            hi
            '''
            """)
        #expect(reason?.contains("line 5") == true)
    }

    @Test("rejects two run blocks in a row")
    func twoRuns() {
        let reason = parseError("""
            # T
            '''sh {run}
            a
            '''
            '''sh {run}
            b
            '''
            '''text {expect}
            b
            '''
            """)
        #expect(reason?.contains("another {run} block starts at line 5") == true)
    }

    @Test("rejects an expect block with no run block before it")
    func orphanExpect() {
        #expect(parseError("# T\n'''text {expect}\nx\n'''\n")?.contains(":2: an {expect} block must follow") == true)
    }

    @Test("rejects an empty expect block and an empty run block")
    func emptyBlocks() {
        #expect(parseError("# T\n'''sh {run}\necho\n'''\n'''text {expect}\n\n'''\n")?.contains("empty") == true)
        #expect(parseError("# T\n'''sh {run}\n   \n'''\n'''text {expect}\nx\n'''\n")?.contains("no commands") == true)
    }

    @Test("rejects invalid regexes, unknown attributes, misspelt markers and unclosed fences")
    func otherErrors() {
        #expect(parseError("# T\n'''sh {run}\necho\n'''\n'''text {expect}\n/a(b/\n'''\n")?.contains(":6: invalid regular expression") == true)
        #expect(parseError("# T\n'''sh {run retries=3}\necho\n'''\n")?.contains("unknown {run} attribute 'retries=3'") == true)
        #expect(parseError("# T\n'''sh {run exit=300}\necho\n'''\n")?.contains("exit=") == true)
        #expect(parseError("# T\n'''sh {runn}\necho\n'''\n")?.contains("did you mean") == true)
        #expect(parseError("# T\n'''sh {run}\necho\n")?.contains("never closed") == true)
        #expect(parseError("# T\n'''sh {run}\necho\n'''\n'''text {expect}\n!\n'''\n")?.contains("'!' must be followed") == true)
    }

    @Test("rejects a lesson without a title or with a badly named file")
    func titleAndName() {
        #expect(parseError("no heading here\n")?.contains("no '# Title' heading") == true)
        #expect(parseError("# T\n", path: "lessons/intro.md")?.contains("NN-topic.md") == true)
    }

    @Test("treats text that only starts with a slash as a substring")
    func slashSubstring() throws {
        let lesson = try parse("# T\n'''sh {run}\necho\n'''\n'''text {expect}\n/usr/bin\n/\n'''\n")
        #expect(lesson.blocks.first?.expectations.map(\.pattern) == [.substring("/usr/bin"), .substring("/")])
    }
}

@Suite("Expectation matching")
struct ExpectationMatchingTests {
    let lines = ["XOR-MAPPED-ADDRESS: 127.0.0.1:5000", "rtt 0.4 ms"]

    @Test("substrings and regexes match within a single line")
    func matching() {
        #expect(Expectation(pattern: .substring("127.0.0.1"), line: 1).holds(in: lines))
        #expect(!Expectation(pattern: .substring("10.0.0.1"), line: 1).holds(in: lines))
        #expect(Expectation(pattern: .regex(source: #"^rtt [0-9.]+ ms$"#, caseInsensitive: false), line: 1).holds(in: lines))
        #expect(!Expectation(pattern: .regex(source: "ADDRESS.*rtt", caseInsensitive: false), line: 1).holds(in: lines))
        #expect(Expectation(pattern: .regex(source: "xor-mapped", caseInsensitive: true), line: 1).holds(in: lines))
        #expect(!Expectation(pattern: .regex(source: "xor-mapped", caseInsensitive: false), line: 1).holds(in: lines))
    }

    @Test("a negated expectation holds only when nothing matches")
    func negation() {
        #expect(Expectation(pattern: .substring("error"), negated: true, line: 1).holds(in: lines))
        #expect(!Expectation(pattern: .substring("rtt"), negated: true, line: 1).holds(in: lines))
    }
}

@Suite("Lesson runner")
struct LessonRunnerTests {
    /// A scratch repository root with a `bin/` directory, removed by the caller. Its name
    /// has a space and a quote in it, to prove the runner's `cd` quoting.
    private func scratch() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lesson runner's \(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        return root
    }

    private func run(_ text: String, root: String, bin: String? = nil) throws -> LessonResult {
        let lesson = try parse(text)
        return try LessonRunner(repositoryRoot: root, executableDirectory: bin).run(lesson)
    }

    @Test("runs blocks from the repository root, with stderr captured and $LAB_TMP shared")
    func runsBlocks() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try run("""
            # T
            '''sh {run}
            pwd
            echo "to stderr" >&2
            echo saved > "$LAB_TMP/note.txt"
            '''
            '''text {expect}
            \(root)
            to stderr
            '''
            '''sh {run}
            cat "$LAB_TMP/note.txt"
            '''
            '''text {expect}
            /^saved$/
            ! No such file
            '''
            """, root: root)
        #expect(result.passed, "\(result.failures)")
        #expect(result.blocks.count == 2)
        #expect(result.blocks[0].termination == .exited(0))
    }

    @Test("puts the executable directory first on PATH")
    func pathPrefix() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A symlink, not a script we write: writing an executable while parallel tests
        // spawn processes can make exec fail with "Text file busy".
        try FileManager.default.createSymbolicLink(atPath: root + "/bin/lab-sample-tool", withDestinationPath: "/bin/echo")
        let result = try run("# T\n'''sh {run}\nlab-sample-tool sample tool ran with 42\ncommand -v lab-sample-tool\n'''\n'''text {expect}\nsample tool ran with 42\n\(root)/bin/lab-sample-tool\n'''\n",
                             root: root, bin: root + "/bin")
        #expect(result.passed, "\(result.failures)")
    }

    @Test("reports a failing expectation with lesson, block, expectation and output")
    func reportsFailure() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try run("# T\n'''sh {run}\necho 'mapped 127.0.0.1:9'\n'''\n'''text {expect}\nmapped\n/10\\.0\\.0\\.[0-9]+/\n! mapped\n'''\n",
                             root: root)
        #expect(!result.passed)
        let block = try #require(result.blocks.first)
        #expect(block.exitHeld)
        #expect(block.expectations.map(\.held) == [true, false, false])
        let report = try #require(result.failures.first)
        #expect(report.contains("lessons/07-sample.md:2: block 1 failed: echo 'mapped 127.0.0.1:9'"))
        #expect(report.contains("expectation at line 7 `/10\\.0\\.0\\.[0-9]+/`: no output line matches"))
        #expect(report.contains("expectation at line 8 `! mapped`: must not appear"))
        #expect(report.contains("    | mapped 127.0.0.1:9"))
        #expect(!report.contains("line 6"))
    }

    @Test("checks the exit status: zero by default, exit=N and exit=nonzero on request")
    func exitStatus() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try run("""
            # T
            '''sh {run}
            echo before; exit 3
            '''
            '''text {expect}
            before
            '''
            '''sh {run exit=3}
            exit 3
            '''
            '''text {expect}
            ! anything
            '''
            '''sh {run exit=nonzero}
            false | cat
            echo not reached
            '''
            '''text {expect}
            ! not reached
            '''
            """, root: root)
        #expect(result.blocks.map(\.passed) == [false, true, true])
        #expect(result.blocks.map(\.termination) == [.exited(3), .exited(3), .exited(1)])
        #expect(result.failures.first?.contains("expected exit status 0, got: exit status 3") == true)
    }

    @Test("kills a block that runs past its timeout, quickly")
    func timeout() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let started = ContinuousClock.now
        let result = try run("# T\n'''sh {run timeout=1}\necho started\nsleep 30\n'''\n'''text {expect}\nstarted\n'''\n", root: root)
        // The block sleeps 30 s: anything well under that shows it was not waited for, under any load.
        #expect(ContinuousClock.now - started < .seconds(25))
        let block = try #require(result.blocks.first)
        #expect(block.termination == .timedOut(.seconds(1)))
        #expect(!block.passed)
        #expect(block.expectations.allSatisfy { $0.held })
        #expect(result.failures.first?.contains("got: \(ChildTermination.timedOut(.seconds(1)))") == true)
    }

    @Test("does not wait for background processes a block leaves behind")
    func backgroundProcesses() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let started = ContinuousClock.now
        let result = try run("# T\n'''sh {run}\nsleep 30 &\necho left one running\n'''\n'''text {expect}\nleft one running\n'''\n", root: root)
        #expect(result.passed, "\(result.failures)")
        // The block sleeps 30 s: anything well under that shows it was not waited for, under any load.
        #expect(ContinuousClock.now - started < .seconds(25))
    }
}

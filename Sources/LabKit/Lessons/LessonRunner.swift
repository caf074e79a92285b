import Foundation

/// Runs a lesson's blocks the way a student would, and checks what they print.
///
/// Each block runs in its own `bash -e -o pipefail` (via `ChildProcess`: own process
/// group, time limit, and anything the block leaves running in the background is
/// killed when it ends) from the repository root, with the
/// directory of the built tools first on `PATH` and `$LAB_TMP` pointing at a temporary
/// directory shared by all blocks of one lesson run (so a capture written by one block
/// can be read by the next). The directory is removed afterwards.
public struct LessonRunner: Sendable {
    /// The checkout whose `lessons/` are run; blocks start in this directory.
    public var repositoryRoot: String
    /// Where `stun-probe`, `lab`, ... were built (e.g. `.build/debug`); put first on PATH.
    public var executableDirectory: String?
    /// Time limit for blocks without their own `timeout=`.
    public var defaultTimeout: Duration
    /// Extra environment variables for every block (they win over the inherited ones).
    public var extraEnvironment: [String: String]

    /// Creates a runner; see the properties for the meaning of each argument.
    public init(repositoryRoot: String, executableDirectory: String?,
                defaultTimeout: Duration = LessonParser.defaultTimeout,
                extraEnvironment: [String: String] = [:]) {
        self.repositoryRoot = repositoryRoot
        self.executableDirectory = executableDirectory
        self.defaultTimeout = defaultTimeout
        self.extraEnvironment = extraEnvironment
    }

    /// Runs every block of `lesson` in order. `progress` is called after each block
    /// (the CLI prints as it goes; tests pass nothing).
    public func run(_ lesson: Lesson, progress: (BlockResult) -> Void = { _ in }) throws -> LessonResult {
        let temporary = try makeTemporaryDirectory(prefix: "lab-lesson-\(lesson.id)-")
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        var results: [BlockResult] = []
        for block in lesson.blocks {
            let result = try run(block, temporaryDirectory: temporary)
            progress(result)
            results.append(result)
        }
        return LessonResult(lesson: lesson, blocks: results)
    }

    /// Runs one block with `$LAB_TMP` set to `temporaryDirectory`.
    public func run(_ block: RunnableBlock, temporaryDirectory: String) throws -> BlockResult {
        var environment = ProcessInfo.processInfo.environment
        let inheritedPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        if let directory = executableDirectory {
            environment["PATH"] = directory + ":" + inheritedPath
        }
        environment["LAB_TMP"] = temporaryDirectory
        for (key, value) in extraEnvironment { environment[key] = value }
        let outcome = try ChildProcess.run(Self.bashArguments(script: block.script, directory: repositoryRoot),
                                           environment: environment, timeout: block.timeout ?? defaultTimeout)
        // stderr is already merged into stdout by the script prefix; anything left there
        // came from bash before that point (a failed `cd`), and belongs in the report too.
        let output = outcome.stdout + outcome.stderr
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let checks = block.expectations.map { ExpectationResult(expectation: $0, held: $0.holds(in: lines)) }
        return BlockResult(block: block, output: output, termination: outcome.termination,
                           duration: outcome.duration, expectations: checks)
    }

    /// `bash -e -o pipefail -c` with a two-line prefix: `cd` to the repository root
    /// (posix_spawn has no portable chdir action) and `exec 2>&1`, so stdout and stderr
    /// share one stream and interleave exactly as a student sees them in a terminal.
    static func bashArguments(script: String, directory: String) -> [String] {
        var quoted = "'"
        for character in directory {
            if character == "'" { quoted += "'\\''" } else { quoted.append(character) }
        }
        quoted += "'"
        return ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c",
                "cd -- \(quoted) || exit 125\nexec 2>&1\n" + script]
    }

    private func makeTemporaryDirectory(prefix: String) throws -> String {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array((base as NSString).appendingPathComponent(prefix + "XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw LabError(.cannotRun, "cannot create a temporary directory under \(base)")
        }
        return String(cString: made)
    }
}

extension Expectation {
    /// Whether the output (split into lines) satisfies this expectation.
    public func holds(in lines: [String]) -> Bool {
        let found: Bool
        switch pattern {
        case .substring(let text):
            found = lines.contains { $0.contains(text) }
        case .regex(let source, let insensitive):
            // The parser already proved the source compiles; a failure here cannot match.
            guard var regex = try? Regex(source) else { return false }
            if insensitive { regex = regex.ignoresCase() }
            found = lines.contains { $0.contains(regex) }
        }
        return found != negated
    }
}

/// The verdict on one expectation line.
public struct ExpectationResult: Sendable {
    /// The line from the `{expect}` block.
    public let expectation: Expectation
    /// Whether it held for this run's output.
    public let held: Bool
}

/// What one block printed and which of its expectations held.
public struct BlockResult: Sendable {
    /// The block that ran.
    public let block: RunnableBlock
    /// stdout and stderr, interleaved as a terminal would show them.
    public let output: String
    /// How bash ended.
    public let termination: ChildTermination
    /// Wall-clock time the block took.
    public let duration: Duration
    /// One verdict per expectation line, in order.
    public let expectations: [ExpectationResult]

    /// Whether the block ended the way its `{run}` marker says.
    public var exitHeld: Bool {
        if case .exited(let status) = termination { return block.expectedExit.accepts(status) }
        return false
    }

    /// Whether the exit status and every expectation held.
    public var passed: Bool { exitHeld && expectations.allSatisfy(\.held) }
}

/// The outcome of running a whole lesson.
public struct LessonResult: Sendable {
    /// The lesson that ran.
    public let lesson: Lesson
    /// One result per block, in order.
    public let blocks: [BlockResult]

    /// Whether every block passed.
    public var passed: Bool { blocks.allSatisfy(\.passed) }

    /// Readable failure reports, one per failed block (empty when everything passed).
    public var failures: [String] {
        blocks.filter { !$0.passed }.map { $0.failureReport(lessonPath: lesson.path) }
    }
}

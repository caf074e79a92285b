// Runnable lessons: theory of operation.
//
// A lesson is a markdown file in `lessons/` named `NN-topic.md`. Most of it is prose
// for students, but some fenced code blocks are marked runnable:
//
//     ```sh {run}                 a bash script, run from the repository root
//     stun-probe --json
//     ```
//     ```text {expect}            what the reader should notice in its output
//     "mapped_address"            a substring some output line must contain
//     /127\.0\.0\.1:[0-9]+/       a regular expression some output line must match
//     ! error                     no output line may contain this
//     ```
//
// The runner executes every runnable block and checks its expectations, so a lesson
// whose commands stop working fails CI instead of silently lying to students.
// Expectations are deliberately loose (lines to notice, not full-text snapshots):
// RTTs, ports and transaction ids change on every run. The full convention is
// documented for authors in lessons/README.md; keep the two in step.

/// One lesson of the lab: a markdown file under `lessons/` plus its runnable blocks.
public struct Lesson: Sendable, Equatable {
    /// Two-digit lesson number taken from the file name, e.g. `"01"`.
    public let id: String
    /// The first level-1 heading without a leading `Lesson NN:`, e.g. `"UDP and STUN"`
    /// for `# Lesson 02: UDP and STUN`.
    public let title: String
    /// Path of the markdown file relative to the repository root, e.g.
    /// `"lessons/01-protocol-stack.md"` (relative so it reads well in listings).
    public let path: String
    /// Exercises the lesson links to (`exercises/<id>` links), in order of first mention,
    /// e.g. `["01-protocol-stack"]`.
    public let exerciseIDs: [String]
    /// The runnable blocks, in document order.
    public let blocks: [RunnableBlock]

    /// File name without directory, e.g. `"01-protocol-stack.md"`.
    public var fileName: String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// Creates a lesson from already-parsed parts (the parser and tests use this).
    public init(id: String, title: String, path: String, exerciseIDs: [String], blocks: [RunnableBlock]) {
        self.id = id
        self.title = title
        self.path = path
        self.exerciseIDs = exerciseIDs
        self.blocks = blocks
    }
}

/// A fenced block marked `{run}`: a bash script and what its output must show.
public struct RunnableBlock: Sendable, Equatable {
    /// 1-based position among the lesson's runnable blocks (used in reports).
    public let index: Int
    /// 1-based line number of the opening fence in the markdown file.
    public let line: Int
    /// The script exactly as the student would paste it into a shell.
    public let script: String
    /// The exit status the script must end with.
    public let expectedExit: ExpectedExit
    /// Per-block time limit; `nil` means the runner's default.
    public let timeout: Duration?
    /// The lines of the following `{expect}` block.
    public let expectations: [Expectation]

    /// Creates a block (the parser and tests use this).
    public init(index: Int, line: Int, script: String, expectedExit: ExpectedExit = .status(0),
                timeout: Duration? = nil, expectations: [Expectation]) {
        self.index = index
        self.line = line
        self.script = script
        self.expectedExit = expectedExit
        self.timeout = timeout
        self.expectations = expectations
    }

    /// The first non-empty script line, for one-line summaries in reports.
    public var summary: String {
        let lines = script.split(separator: "\n").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard let first = lines.first else { return "(empty)" }
        return lines.count > 1 ? "\(first) … (+\(lines.count - 1) lines)" : first
    }
}

/// The exit status a runnable block must finish with.
public enum ExpectedExit: Sendable, Equatable, CustomStringConvertible {
    /// Exactly this status (`{run}` means `.status(0)`; `{run exit=3}` means `.status(3)`).
    case status(Int32)
    /// Any status except 0 (`{run exit=nonzero}`), for commands that are meant to fail.
    case nonZero

    /// Whether a process that exited with `status` satisfies this expectation.
    public func accepts(_ status: Int32) -> Bool {
        switch self {
        case .status(let wanted): return status == wanted
        case .nonZero: return status != 0
        }
    }

    public var description: String {
        switch self {
        case .status(let wanted): return "exit status \(wanted)"
        case .nonZero: return "a non-zero exit status"
        }
    }
}

/// One line of an `{expect}` block: something some output line must (or must not) show.
public struct Expectation: Sendable, Equatable, CustomStringConvertible {
    /// How the line is matched.
    public enum Pattern: Sendable, Equatable {
        /// Some output line contains this text (case-sensitive).
        case substring(String)
        /// Some output line matches this regular expression (written `/…/` or `/…/i`).
        case regex(source: String, caseInsensitive: Bool)
    }

    /// What to look for.
    public let pattern: Pattern
    /// `true` for lines written `! …`: no output line may match.
    public let negated: Bool
    /// 1-based line number in the markdown file.
    public let line: Int

    /// Creates an expectation (the parser and tests use this).
    public init(pattern: Pattern, negated: Bool = false, line: Int) {
        self.pattern = pattern
        self.negated = negated
        self.line = line
    }

    /// The expectation as the author wrote it, e.g. `/127\.0\.0\.1/` or `! error`.
    public var description: String {
        let body: String
        switch pattern {
        case .substring(let text): body = text
        case .regex(let source, let insensitive): body = "/\(source)/" + (insensitive ? "i" : "")
        }
        return negated ? "! \(body)" : body
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed()
            .drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
}

extension String {
    func trimmingWhitespace() -> String { self[...].trimmingWhitespace() }
}

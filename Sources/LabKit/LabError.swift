/// Everything that can stop a `lab` command, as one readable sentence.
///
/// A student's broken code is NOT a `LabError`: it is a graded result (0 points with a
/// reason). These errors are about the lab itself: wrong arguments, a missing repository,
/// a workspace that cannot be written.
public struct LabError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// Stable short name, e.g. "unknown-exercise".
        public let rawValue: String
        /// Creates a code.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No lab repository above the current directory (and no usable --root).
        public static let notInRepository = Code("not-in-repository")
        /// The user named an exercise that does not exist.
        public static let unknownExercise = Code("unknown-exercise")
        /// A path the user gave is missing or of the wrong kind.
        public static let badPath = Code("bad-path")
        /// A directory of submissions holds no submission folders.
        public static let noSubmissions = Code("no-submissions")
        /// A process (swift, the runner) could not be started at all.
        public static let cannotRun = Code("cannot-run")
        /// Reading or writing the lab's own files failed.
        public static let io = Code("io")
        /// The repository's written questions (solutions/NN/ANSWERS.md, RUBRIC.md) are inconsistent.
        public static let writeups = Code("writeups")
    }

    /// The failure kind.
    public let code: Code
    /// One sentence for humans.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}

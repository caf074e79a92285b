import ExerciseChecks

/// Knobs of a grading run.
public struct GradingOptions: Sendable {
    /// Time limit of one check's process (student code that loops forever is killed after it).
    public var checkTimeout: Duration = .seconds(10)
    /// Time limit of one submission's build.
    public var buildTimeout: Duration = .seconds(900)
    /// How many check processes run at once.
    public var parallelChecks: Int = 2
    /// Exercises to grade (folder names); empty means all.
    public var exercises: [String] = []
    /// The jail each check's process runs in (`lab grade` requires one unless --no-sandbox);
    /// nil runs checks directly, as `lab check` does on the student's own machine.
    public var sandbox: Sandbox?

    /// Options with the defaults above.
    public init() {}

    /// The checks these options select, in grading order.
    public var selectedChecks: [CheckDescriptor] {
        CheckSuite.catalog.filter { exercises.isEmpty || exercises.contains($0.exerciseID) }
    }
}

/// How building one submission went.
public enum BuildStatus: Sendable, Equatable {
    /// It compiled; checks ran.
    case built
    /// It did not compile (or the build timed out); every check scored 0 with this reason.
    case failed(reason: String)

    /// True for `.built`.
    public var succeeded: Bool { self == .built }
}

/// The graded result of one submission.
public struct SubmissionReport: Sendable {
    /// The submission's folder name (the student).
    public var name: String
    /// The folder graded.
    public var path: String
    /// Whether it compiled.
    public var build: BuildStatus
    /// Wall time of its build.
    public var buildDuration: Duration
    /// Wall time of its checks.
    public var checksDuration: Duration
    /// One result per selected check, in grading order.
    public var results: [CheckResult]
    /// Per-check wall time, by check id (0 for checks that never ran).
    public var checkDurations: [String: Duration]
    /// The written answers of the graded exercises that ask for them (not scored here:
    /// the instructor scores them from the writeups report).
    public var writeups: [ExerciseWriteup] = []

    /// Points earned.
    public var earned: Int { results.reduce(0) { $0 + $1.earned } }
    /// Points available.
    public var possible: Int { results.reduce(0) { $0 + $1.points } }
    /// Results of one exercise.
    public func results(forExercise id: String) -> [CheckResult] { results.filter { $0.exercise == id } }
}

/// What happened, as it happens, for progress on a terminal.
public enum GradingEvent: Sendable {
    /// Submission `index` (1-based) of `count` is starting.
    case submissionStarted(name: String, index: Int, count: Int)
    /// Its build finished.
    case buildFinished(name: String, status: BuildStatus, duration: Duration)
    /// One of its checks finished (`completed` of `total`).
    case checkFinished(name: String, result: CheckResult, completed: Int, total: Int)
    /// It is fully graded.
    case submissionFinished(SubmissionReport)
}

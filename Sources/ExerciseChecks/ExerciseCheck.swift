// The check model: what a check is, and what it can answer.
import ExerciseInterfaces

/// What a check is, independent of any implementation under test.
public struct CheckDescriptor: Equatable, Hashable, Codable, Sendable {
    /// Stable id, "<exercise number>.<topic>.<detail>", e.g. "02.decode.rfc5769-ipv4".
    public let id: String
    /// The exercise folder name, e.g. "02-stun-coding".
    public let exerciseID: String
    /// Points awarded when the check passes (all or nothing per check).
    public let points: Int
    /// One line saying what is checked, phrased as the behaviour expected.
    public let title: String
    /// The protocol rule the check enforces, citing the RFC section.
    public let rule: String

    /// Creates a descriptor.
    public init(id: String, exerciseID: String, points: Int, title: String, rule: String) {
        self.id = id
        self.exerciseID = exerciseID
        self.points = points
        self.title = title
        self.rule = rule
    }
}

/// Why a check failed, in four parts a student can act on.
public struct CheckFailure: Equatable, Sendable {
    /// What the student's function was called with.
    public var input: String
    /// What a correct implementation returns (or throws).
    public var expected: String
    /// What the student's function returned (or threw).
    public var actual: String
    /// The RFC rule that decides between the two.
    public var rule: String

    /// Creates a failure report.
    public init(input: String, expected: String, actual: String, rule: String) {
        self.input = input
        self.expected = expected
        self.actual = actual
        self.rule = rule
    }
}

/// The verdict of one check.
public enum CheckOutcome: Equatable, Sendable {
    /// The implementation behaves as the rule says.
    case pass
    /// It does not; the failure says how.
    case fail(CheckFailure)

    /// True for `.pass`.
    public var passed: Bool { self == .pass }
}

/// A check bound to an implementation: a descriptor plus the code that exercises it.
public struct ExerciseCheck {
    /// What the check is.
    public let descriptor: CheckDescriptor
    private let body: () -> CheckOutcome

    /// Binds `body` to `descriptor`.
    init(_ descriptor: CheckDescriptor, body: @escaping () -> CheckOutcome) {
        self.descriptor = descriptor
        self.body = body
    }

    /// Runs the check in the current process; a trap or hang in the code under test is not caught here.
    public func run() -> CheckOutcome { body() }

    /// Runs the check and packages the verdict with the descriptor, as the runner reports it.
    public func result() -> CheckResult { CheckResult(descriptor, outcome: run()) }
}

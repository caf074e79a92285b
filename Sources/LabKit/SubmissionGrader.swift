import ExerciseChecks
import Foundation

/// Builds submissions in a `GradingWorkspace` and runs each check in its own process.
public struct SubmissionGrader: Sendable {
    /// The scratch package submissions are built in.
    public let workspace: GradingWorkspace
    /// Limits and selection.
    public let options: GradingOptions

    /// A grader using `workspace` with `options`.
    public init(workspace: GradingWorkspace, options: GradingOptions = GradingOptions()) {
        self.workspace = workspace
        self.options = options
    }

    /// The environment for builds and runners: ours, with Swift's crash backtracer off (it
    /// can take seconds per crash and its report is noise to a student) and no inherited
    /// SwiftPM test-host variables that could redirect a nested build.
    static var childEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        for key in environment.keys where key.hasPrefix("XCTest") || key.hasPrefix("SWIFT_TESTING") {
            environment[key] = nil
        }
        return environment
    }

    /// Grades one submission folder (shaped like exercises/); never throws for the
    /// student's faults, only when the workspace itself cannot be prepared.
    public func grade(submission: String, name: String, progress: (GradingEvent) -> Void = { _ in }) throws -> SubmissionReport {
        let checks = options.selectedChecks
        var report = SubmissionReport(name: name, path: submission, build: .built, buildDuration: .zero,
                                      checksDuration: .zero, results: [], checkDurations: [:])
        // Written answers need no build: read them first, so a submission that does not
        // compile still hands its prose to the instructor.
        let sheets = try WriteupSheet.loadAll(repository: workspace.repository, exerciseIDs: options.exercises)
        report.writeups = sheets.map { $0.read(submission: submission) }
        let fileCount = try workspace.sync(submission: submission)
        let build: GradingWorkspace.Build
        if fileCount == 0 {
            build = .init(succeeded: false, duration: .zero, errors: ["no .swift files in the submission"], log: "")
        } else {
            build = try workspace.build(timeout: options.buildTimeout, environment: Self.childEnvironment)
        }
        report.buildDuration = build.duration
        guard build.succeeded else {
            let shown = build.errors.prefix(3).joined(separator: "\n")
            let more = build.errors.count > 3 ? "\n(+\(build.errors.count - 3) more errors)" : ""
            report.build = .failed(reason: "does not compile: " + shown + more)
            progress(.buildFinished(name: name, status: report.build, duration: build.duration))
            report.results = checks.map { CheckResult($0, status: .notBuilt, reason: "does not compile: " + shown + more) }
            progress(.submissionFinished(report))
            return report
        }
        progress(.buildFinished(name: name, status: .built, duration: build.duration))

        let started = ContinuousClock.now
        let outcomes = runChecks(checks) { result, completed in
            progress(.checkFinished(name: name, result: result, completed: completed, total: checks.count))
        }
        report.checksDuration = started.duration(to: .now)
        report.results = outcomes.map(\.result)
        report.checkDurations = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.result.id, $0.duration) })
        progress(.submissionFinished(report))
        return report
    }

    /// Runs `checks` over `parallelChecks` worker threads; results come back in input order.
    /// Progress callbacks are serialized on the calling thread's behalf by a lock.
    private func runChecks(_ checks: [CheckDescriptor],
                           progress: (CheckResult, Int) -> Void) -> [(result: CheckResult, duration: Duration)] {
        let results = CheckResultsBox(count: checks.count)
        let width = max(1, min(options.parallelChecks, checks.count))
        let runner = workspace.runnerPath
        let timeout = options.checkTimeout
        let environment = Self.childEnvironment
        let sandbox = options.sandbox
        withoutActuallyEscaping(progress) { progress in
            let report = UnsafeProgress(progress)
            DispatchQueue.concurrentPerform(iterations: width) { worker in
                for index in stride(from: worker, to: checks.count, by: width) {
                    let outcome = Self.runOne(checks[index], runner: runner, timeout: timeout, environment: environment,
                                             sandbox: sandbox)
                    let completed = results.store(outcome, at: index)
                    results.serialized { report.call(outcome.result, completed) }
                }
            }
        }
        return results.all
    }

    /// Runs one check in its own process (in `sandbox` when given) and turns whatever
    /// happened into a result; a result the sandbox caused says so in its reason.
    ///
    /// Only this run is sandboxed, not the build: the workspace's Package.swift is the
    /// grader's own (GradingWorkspace.manifest: plain targets, no plugins, no build-tool or
    /// macro targets), so compiling a submission runs the compiler on the student's text but
    /// never executes any of it; student code first runs here.
    static func runOne(_ check: CheckDescriptor, runner: String, timeout: Duration,
                       environment: [String: String], sandbox: Sandbox? = nil) -> (result: CheckResult, duration: Duration) {
        let outcome: ChildOutcome
        let seal: ResultSeal
        do {
            seal = try ResultSeal.make()
        } catch {
            return (CheckResult(check, status: .crashed, reason: "the check could not be prepared: \(error)"), .zero)
        }
        defer { seal.remove() }
        let arguments = ["--check", check.id, "--sealed"]
        do {
            if let sandbox {
                // The jail sets its own small environment (bwrap --clearenv): nothing of ours leaks in.
                outcome = try ChildProcess.run(sandbox.command(program: runner, arguments: arguments),
                                               environment: [:], timeout: timeout,
                                               outputLimit: SandboxRefusal.outputLimit, standardInput: seal.file,
                                               stopAtOutputLimit: true)
            } else {
                outcome = try ChildProcess.run([runner] + arguments, environment: environment,
                                               timeout: timeout, outputLimit: SandboxRefusal.outputLimit,
                                               standardInput: seal.file)
            }
        } catch {
            return (CheckResult(check, status: .crashed, reason: "the runner could not be started: \(error)"), .zero)
        }
        var (result, duration) = classify(check, outcome, seal: seal, sandboxed: sandbox != nil)
        if let sandbox, !result.passed, let refusal = SandboxRefusal.explain(outcome, limits: sandbox.limits) {
            // The refusal first: it is what the instructor needs; the generic reason follows.
            result.reason = refusal + (result.reason.map { "; " + $0 } ?? "")
        }
        return (result, duration)
    }

    /// The result a check's process left: its result line, or why there is none.
    private static func classify(_ check: CheckDescriptor, _ outcome: ChildOutcome, seal: ResultSeal,
                                 sandboxed: Bool) -> (result: CheckResult, duration: Duration) {
        var termination = outcome.termination
        if sandboxed, case .exited(let status) = termination, let signal = SandboxRefusal.signal(fromExitStatus: status) {
            termination = .signalled(signal)
        }
        switch termination {
        case .timedOut(let limit):
            return (CheckResult(check, status: .timedOut,
                                reason: "timed out: the check was still running after \(Format.seconds(limit)) (an endless loop?) and was stopped"),
                    outcome.duration)
        case .signalled(let signal):
            return (CheckResult(check, status: .crashed,
                                reason: "crashed: \(crashMessage(outcome.stderr) ?? ChildProcess.signalName(signal))"),
                    outcome.duration)
        case .exited(let status):
            if status == 0, let line = seal.sealedResult(in: outcome.stdout),
               let decoded = try? JSONDecoder().decode(CheckResult.self, from: Data(line.utf8)), decoded.id == check.id {
                // Points come from the catalog, never from the child's output.
                var result = decoded
                result.points = check.points
                result.earned = result.status == .passed ? check.points : 0
                return (result, outcome.duration)
            }
            if status == 0, ResultSeal.hasUnsealedResultLine(outcome.stdout) {
                // Only the runner knows the seal: this line came from the code under test.
                return (CheckResult(check, status: .failed,
                                    reason: "forged result: the output has a result line without the grader's seal, and the check's own result never came"),
                        outcome.duration)
            }
            let detail = crashMessage(outcome.stderr) ?? "exit status \(status) with no result line"
            return (CheckResult(check, status: .crashed, reason: "crashed: \(detail)"), outcome.duration)
        }
    }

    /// The Swift runtime's one-line reason ("Fatal error: Index out of range"), if it printed one.
    static func crashMessage(_ stderr: String) -> String? {
        let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        if let fatal = lines.first(where: { $0.contains("Fatal error") || $0.contains("Precondition failed") }) {
            // "Exercises/STUNCoding.swift:40: Fatal error: boom" → keep the file, drop the workspace path.
            return fatal.replacingOccurrences(of: "Sources/Exercises/", with: "")
        }
        return lines.last(where: { !$0.isEmpty && !$0.hasPrefix("💣") && !$0.hasPrefix("*** ") })
    }
}

/// Results written by several worker threads at distinct indices.
private final class CheckResultsBox: @unchecked Sendable {
    // Safe because every access to `slots` and `completed` holds `lock`, and `serialized`
    // runs its body under a second lock so progress callbacks never overlap.
    private let lock = NSLock()
    private let callbackLock = NSLock()
    private var slots: [(result: CheckResult, duration: Duration)?]
    private var completed = 0

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ value: (result: CheckResult, duration: Duration), at index: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = value
        completed += 1
        return completed
    }

    func serialized(_ body: () -> Void) {
        callbackLock.lock()
        defer { callbackLock.unlock() }
        body()
    }

    var all: [(result: CheckResult, duration: Duration)] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}

/// Carries a non-Sendable progress closure into the worker threads.
private struct UnsafeProgress: @unchecked Sendable {
    // Safe because the closure is only ever called inside `CheckResultsBox.serialized`
    // (one call at a time) and only while `runChecks` is still on the stack.
    let call: (CheckResult, Int) -> Void
    init(_ call: @escaping (CheckResult, Int) -> Void) { self.call = call }
}

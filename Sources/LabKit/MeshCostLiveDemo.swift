import ExerciseChecks
import Foundation

/// `lab check 08`'s second opinion: the student's mesh-cost model against a live run of
/// `datachannel-chat demo --json`, after the graded checks passed on the recorded runs.
///
/// Why live as well as recorded: the recorded reports make grading the same everywhere,
/// but a student should see the model predict *their* machine's mesh too. Why not graded:
/// a live run depends on the tool being built and on the machine, and a grade must not.
/// The demo runs as a child process (its own process group, a time limit); its report is
/// saved in the grading workspace and fed to the student's own `exercise-runner
/// --demo-report` on stdin, so the student's code runs in its own process here too.
public struct MeshCostLiveDemo: Sendable {
    /// The exercise this comparison belongs to.
    public static let exerciseID = "08-mesh-cost"
    /// The ids of the checks that run on the live report (the graded ones on the recorded reports).
    public static var checkIDs: [String] {
        CheckSuite.catalog(forExercise: exerciseID).map(\.id).filter { $0.hasPrefix("08.demo.") }
    }

    /// How the comparison ended.
    public enum Outcome: Sendable, Equatable {
        /// `datachannel-chat` is not built next to `lab`; nothing ran.
        case toolMissing(path: String)
        /// The demo did not produce a report (the tool's problem, not the student's).
        case demoFailed(command: String, reason: String)
        /// The demo ran, and the student's model was checked against its report.
        case compared(command: String, results: [CheckResult])
    }

    /// The number of agents of the live mesh.
    public var agents: Int
    /// Time limit for the demo (it takes a few seconds; this only bounds a hang).
    public var demoTimeout: Duration
    /// Time limit for the student's runner.
    public var checkTimeout: Duration

    /// A comparison with `agents` agents (the source lesson's 5 by default).
    public init(agents: Int = 5, demoTimeout: Duration = .seconds(120), checkTimeout: Duration = .seconds(10)) {
        self.agents = agents
        self.demoTimeout = demoTimeout
        self.checkTimeout = checkTimeout
    }

    /// Runs `datachannel-chat` from `toolDirectory`, then the runner already built in
    /// `workspace` (by `SubmissionGrader.grade`) on its report.
    public func run(workspace: GradingWorkspace, toolDirectory: String) -> Outcome {
        let tool = (toolDirectory as NSString).appendingPathComponent("datachannel-chat")
        guard FileManager.default.isExecutableFile(atPath: tool) else { return .toolMissing(path: tool) }
        let arguments = [tool, "demo", "--json", "--agents", String(agents)]
        let command = "datachannel-chat demo --json --agents \(agents)"
        let environment = SubmissionGrader.childEnvironment

        let demo: ChildOutcome
        do {
            demo = try ChildProcess.run(arguments, environment: environment, timeout: demoTimeout)
        } catch {
            return .demoFailed(command: command, reason: "it could not be started: \(error)")
        }
        guard demo.termination == .exited(0) else {
            let last = demo.stderr.split(separator: "\n").last.map(String.init) ?? ""
            return .demoFailed(command: command, reason: "it ended with \(demo.termination)\(last.isEmpty ? "" : ": " + last)")
        }
        // The report is the JSON object on stdout; anything around it is not the report's.
        guard let open = demo.stdout.firstIndex(of: "{"), let close = demo.stdout.lastIndex(of: "}") , open < close else {
            return .demoFailed(command: command, reason: "it printed no JSON report on stdout")
        }
        let report = String(demo.stdout[open...close]) + "\n"
        let reportPath = (workspace.directory as NSString).appendingPathComponent("demo-report.json")
        do {
            try Data(report.utf8).write(to: URL(fileURLWithPath: reportPath))
        } catch {
            return .demoFailed(command: command, reason: "its report could not be saved to \(reportPath): \(error.localizedDescription)")
        }
        return .compared(command: command, results: check(reportAt: reportPath, runner: workspace.runnerPath,
                                                          environment: environment))
    }

    /// The student's runner on the report at `reportPath`, one result per demo check; a crash
    /// or a hang of the student's code becomes a crashed or timed-out result for every check.
    func check(reportAt reportPath: String, runner: String, environment: [String: String]) -> [CheckResult] {
        let descriptors = CheckSuite.catalog.filter { Self.checkIDs.contains($0.id) }
        let outcome: ChildOutcome
        do {
            outcome = try ChildProcess.run([runner, "--demo-report"], environment: environment, timeout: checkTimeout,
                                           outputLimit: 256 * 1024, standardInput: reportPath)
        } catch {
            return descriptors.map { CheckResult($0, status: .crashed, reason: "the runner could not be started: \(error)") }
        }
        switch outcome.termination {
        case .timedOut(let limit):
            return descriptors.map {
                CheckResult($0, status: .timedOut, reason: "timed out: still running after \(Format.seconds(limit)) and stopped")
            }
        case .signalled(let signal):
            let why = SubmissionGrader.crashMessage(outcome.stderr) ?? ChildProcess.signalName(signal)
            return descriptors.map { CheckResult($0, status: .crashed, reason: "crashed: \(why)") }
        case .exited(let status):
            let decoded = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("{\"id\":") }.compactMap {
                try? JSONDecoder().decode(CheckResult.self, from: Data($0.utf8))
            }
            return descriptors.map { descriptor in
                guard status == 0, var result = decoded.first(where: { $0.id == descriptor.id }) else {
                    return CheckResult(descriptor, status: .crashed, reason: "crashed: exit status \(status) with no result line")
                }
                // Not graded: a live run earns nothing, whatever the child printed.
                result.points = 0
                result.earned = 0
                return result
            }
        }
    }
}

import Foundation

/// `lab check`'s tool runs: build each tool the selected exercises plug into, with the
/// student's code, run it once, and judge it for each exercise it covers.
///
/// A tool run happens only for an exercise whose checks all pass: the checks explain a
/// wrong answer precisely (input, expected, actual, rule), while a tool run on unfinished
/// code fails far from the cause, and costs a build. A failed tool run fails `lab check`.
public struct ToolRuns: Sendable {
    /// Builds the tools.
    public let builder: ToolBuilder
    /// Runs them.
    public let runner: ToolRunner

    /// Tool runs building with `builder` (the runner uses its products).
    public init(builder: ToolBuilder) {
        self.builder = builder
        runner = ToolRunner(repository: builder.repository, binaries: builder.binaries)
    }

    /// What happens, as it happens.
    public enum Event: Sendable {
        /// `swift build --product tool` is starting.
        case building(tool: String)
        /// It finished.
        case built(ToolBuilder.Build)
        /// A run is starting.
        case running(ToolRunPlan)
        /// A run was judged for its exercises.
        case judged([ToolRunResult])
    }

    /// Builds and runs the tools of `exerciseIDs` (each tool built once, each run once).
    public func run(exerciseIDs: [String], plans: [ToolRunPlan]? = nil, progress: (Event) -> Void = { _ in }) -> [ToolRunResult] {
        var results: [ToolRunResult] = []
        var builds: [String: ToolBuilder.Build] = [:]
        for plan in plans ?? ToolRunPlan.plans(for: exerciseIDs) {
            let judged = exerciseIDs.filter(plan.exerciseIDs.contains)
            let build: ToolBuilder.Build
            if let done = builds[plan.tool] {
                build = done
            } else {
                progress(.building(tool: plan.tool))
                build = builder.build(plan.tool)
                builds[plan.tool] = build
                progress(.built(build))
            }
            guard build.succeeded else {
                let failed = judged.map {
                    ToolRunResult(exerciseID: $0, passed: false, command: "swift build --product \(plan.tool)", peer: plan.peerDescription,
                                  summary: "\(plan.tool) did not build with your code", exit: nil, outputTail: build.errors)
                }
                progress(.judged(failed))
                results += failed
                continue
            }
            progress(.running(plan))
            let verdicts = ToolRunJudge.judge(runner.run(plan), exerciseIDs: judged)
            progress(.judged(verdicts))
            results += verdicts
        }
        return results
    }
}

/// `lab check capstone`: `datachannel-chat echo --use-exercise` against headless Chromium,
/// with every piece of the student's that the echo client can take swapped in at once.
public struct Capstone: Sendable {
    /// The pieces the echo client runs (`datachannel-chat echo --help` lists them).
    public static let pieceIDs = ToolRunPlan.echoChromium.exerciseIDs

    /// The capstone's verdict.
    public struct Result: Sendable {
        /// True when every message round-tripped and every piece was the student's.
        public var passed: Bool
        /// The echo's command and peer.
        public var command: String
        public var peer: String
        /// One sentence.
        public var summary: String
        /// Each piece and who ran it ("yours", or why the library's did).
        public var pieces: [(id: String, ran: String)]
        /// Echo steps passed, of all.
        public var steps: (passed: Int, total: Int)
        /// On failure: the tool's last lines.
        public var outputTail: [String]
        /// How the tool ended.
        public var exit: String?
    }

    /// Judges one capstone run.
    public static func judge(_ outcome: ToolRunOutcome) -> Result {
        let line = ToolRunJudge.lastJSONLine(outcome.stdout)
        let reported = ToolRunJudge.echoPieces(outcome)
        let pieces = pieceIDs.map { (id: $0, ran: reported[$0] ?? "unknown: the echo stopped before saying") }
        let steps = line?["steps"] as? [[String: Any]] ?? []
        let passedSteps = steps.filter { $0["ok"] as? Bool == true }.count
        let allMine = pieces.allSatisfy { $0.ran == "yours" }
        let echoed = outcome.termination == .exited(0) && line?["ok"] as? Bool == true
        var summary: String
        if let setup = outcome.setupFailure {
            summary = "the capstone could not start: \(setup)"
        } else if echoed && allMine {
            summary = "every message round-tripped through Chromium with all your pieces in the stack"
            // The echo's own account of exercises 10, 09 and 12 (its "checklist", "transactions"
            // and "stream receive" steps), which the steps count hides.
            for name in ["checklist", "transactions", "stream receive"] {
                if let detail = steps.first(where: { $0["step"] as? String == name })?["detail"] as? String {
                    summary += "; " + detail
                }
            }
        } else if echoed {
            summary = "the messages round-tripped, but not every piece was yours: write the missing ones, then run the capstone again"
        } else if line == nil {
            summary = "the tool stopped before any traffic: " + (ToolRunJudge.firstErrorLine(outcome) ?? "it printed no reason")
        } else if let step = line?["step"] as? String {
            summary = "the echo failed at step \(step): \(line?["error"] as? String ?? "?")"
        } else {
            summary = "the echo did not run (see the tool's last words)"
        }
        let passed = echoed && allMine && outcome.setupFailure == nil
        return Result(passed: passed, command: outcome.command, peer: outcome.peer, summary: summary, pieces: pieces,
                      steps: (passedSteps, steps.count), outputTail: passed ? [] : ToolRunJudge.tail(outcome),
                      exit: outcome.termination?.description)
    }
}

import ArgumentParser
import ExerciseChecks
import Foundation
import LabKit

/// `lab check [ID]`: build the student's exercises in isolation and explain every failure.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Build your exercises/ and run the checks, explaining each failure.",
        discussion: """
            Your exercises/ folder is copied into a scratch package (.build-lab/workspace)
            and built there, so nothing else in the repository needs to compile. Each
            check runs in its own process: a crash or an endless loop in your code fails
            only that check. A failure shows the input, the expected and the actual
            answer, and the RFC rule. Exercise 08 is also compared with a live
            `datachannel-chat demo --json --agents 5` when that tool is built and the
            graded checks on the recorded demo runs pass (not graded). Exercises with
            written questions (an ANSWERS.md in their folder) also get a line saying which
            answers are still empty. Those answers are scored by your instructor, not
            here: they never change your points or the exit status.

            Tool runs: your code has to carry real traffic too. Once all the checks of an
            exercise pass, the tool that exercise plugs into is built from this repository
            with your exercises/ (`swift build --product TOOL`, in the repository's .build
            unless --tools-scratch-path says otherwise) and run with --use-exercise on
            loopback.
            Each run is one line like a check: PASS or FAIL, what ran and against whom,
            and on failure the tool's exit status and its last lines. A failed tool run
            fails `lab check`. Tool runs wait for the checks because the checks explain a
            wrong answer precisely, while a tool run fails far from the cause and costs a
            build.
              02, 09  stun-probe against coturn on a free loopback port (its own
                      embedded server when coturn is missing; the line says
                      which); the first two sends of each transaction are dropped,
                      so your retransmissions must carry the probe
              03, 10  ice-check --simulate symmetric,full-cone (simulated NATs)
              05      dtls-handshake (both fingerprints yours, then checked)
              07, 11  datachannel-chat echo against aiortc's echo server (.venv)
              12      sctp-streams (your receiver delivers under 3 % loss)
            A tool that covers two exercises runs once and is judged for each: an
            exercise's line passes when its piece ran and the traffic got through, even if
            the other piece is not written yet (the line says so). --no-tools skips the
            tool runs, for quick iteration.

            Capstone: `lab check capstone` builds datachannel-chat and runs its echo
            client with --use-exercise against headless Chromium
            (scripts/interop/chromium_echo.py), every piece of yours the echo can take
            swapped in at once: exercise 07's OPEN codec, 09's STUN transaction (it times
            the client's ICE checks; the answer to the first is lost on purpose, so your
            retransmission carries it), 10's checklist (it chooses those checks), 11's
            channel state machine and 12's receiver (the channels get the messages it
            puts together from the DATA chunks). It passes when every message
            round-trips, each piece agrees with the library on the real traffic, and
            every piece ran as yours; the report lists which pieces ran.

            Exit status: 0 when every selected check and tool run passes, 1 otherwise.

            Examples:
              lab check            all exercises
              lab check 02         only exercise 02 (also: lab check 02-stun-coding)
              lab check 09 --no-tools    the checks only
              lab check capstone   the final run against Chromium
            """)

    @Argument(help: "Exercise number or folder name (default: all exercises).")
    var exercise: String?

    @Option(help: "Check this folder instead of the repository's exercises/ (progress is then not recorded).")
    var dir: String?

    @Option(help: "Time limit per check, in seconds.")
    var timeout: Double = 10

    @Flag(help: "Only one line per check, no explanations.")
    var brief = false

    @Option(help: "Scratch package used for building (default: .build-lab/workspace in the repository).")
    var workspace: String?

    @Option(help: "The lab's repository root (default: found from the current directory).")
    var root: String?

    @Flag(name: .customLong("no-tools"), help: "Skip the tool runs (your code on real traffic): checks only, for quick iteration.")
    var noTools = false

    @Option(name: .customLong("tools-scratch-path"),
            help: "SwiftPM scratch path for building the tools (default: the repository's .build, as `swift build` uses).")
    var toolsScratchPath: String?

    func run() throws {
        let repository = try LabRepository.resolve(root: root)
        if exercise?.lowercased() == "capstone" {
            return try CapstoneRun(repository: repository, scratchPath: toolsScratchPath).run()
        }
        var options = GradingOptions()
        options.checkTimeout = try seconds(timeout, "--timeout")
        if let exercise { options.exercises = [try repository.exercise(exercise).id] }
        let folder = dir.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? repository.exercisesDirectory
        let grader = SubmissionGrader(workspace: GradingWorkspace(repository: repository, directory: workspace), options: options)

        emit("Building \(folder) … ", terminator: "")
        let report = try grader.grade(submission: folder, name: "you") { event in
            if case .buildFinished(_, let status, let duration) = event {
                emit(status.succeeded ? "built in \(Format.seconds(duration))." : "FAILED after \(Format.seconds(duration)).")
            }
        }
        if case .failed(let reason) = report.build {
            emit("\nYour exercises do not compile, so no check could run:")
            emit(reason.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }

        for exercise in ExerciseCatalog.all where options.exercises.isEmpty || options.exercises.contains(exercise.id) {
            let results = report.results(forExercise: exercise.id)
            let earned = results.reduce(0) { $0 + $1.earned }
            emit("\n\(exercise.id) — \(exercise.title): \(earned)/\(exercise.totalPoints) points")
            if report.build.succeeded {
                for result in results {
                    emit("  " + (brief ? ResultText.headline(result) : ResultText.block(result, indent: "      ")))
                }
            }
            if let writeup = report.writeups.first(where: { $0.exerciseID == exercise.id }) {
                emit(WriteupStatusText.lines(writeup).map { "  " + $0 }.joined(separator: "\n"))
            }
        }
        let passed = report.results.filter(\.passed).count
        emit("\nTotal: \(report.earned)/\(report.possible) points, \(passed) of \(report.results.count) checks pass.")
        let liveDemoPasses = compareWithLiveDemo(report, options: options, workspace: grader.workspace)
        let toolRunsPass = runTools(report, options: options, repository: repository)

        if dir == nil {
            let store = LabStateStore(repository: repository)
            var progress = try store.loadProgress()
            progress.record(report, at: Date())
            try store.save(progress)
        }
        if passed < report.results.count {
            if let first = report.results.first(where: { !$0.passed }), report.build.succeeded {
                let number = ExerciseCatalog.find(first.exercise)?.number ?? first.exercise
                emit("Stuck? `lab hint \(number)` reveals one hint at a time.")
            }
            throw ExitCode.failure
        }
        if !liveDemoPasses || !toolRunsPass { throw ExitCode.failure }
    }

    /// The tool runs of the selected exercises whose checks all pass; false when one fails.
    private func runTools(_ report: SubmissionReport, options: GradingOptions, repository: LabRepository) -> Bool {
        let selected = ExerciseCatalog.all.map(\.id).filter { options.exercises.isEmpty || options.exercises.contains($0) }
        let withTools = selected.filter(ToolRunPlan.hasToolRun)
        guard !withTools.isEmpty, report.build.succeeded else { return true }
        if noTools {
            emit("\nTool runs skipped (--no-tools).")
            return true
        }
        emit("\nTool runs (your code carrying real traffic):")
        if dir != nil {
            emit("  skipped: the tools are built from the repository's exercises/, not from --dir.")
            return true
        }
        let ready = withTools.filter { id in
            let results = report.results(forExercise: id)
            return !results.isEmpty && results.allSatisfy(\.passed)
        }
        for id in withTools where !ready.contains(id) {
            let tool = ToolRunPlan.plans(for: [id]).map(\.tool).joined(separator: ", ")
            emit("  --   \(id)  \(tool): runs once all of \(id)'s checks pass")
        }
        guard !ready.isEmpty else { return true }
        let runs = ToolRuns(builder: ToolBuilder(repository: repository, scratchPath: toolsScratchPath))
        let results = runs.run(exerciseIDs: ready) { event in
            switch event {
            case .building(let tool):
                emit("  building \(tool) with your code… ", terminator: "")
            case .built(let build):
                emit(build.succeeded ? "built in \(Format.seconds(build.duration))." : "FAILED after \(Format.seconds(build.duration)).")
            case .running(let plan):
                emit("  running \(plan.tool)\(plan.tool == "datachannel-chat" ? " echo" : "") --use-exercise against \(plan.peerDescription)…")
            case .judged(let verdicts):
                for verdict in verdicts { emit(ToolRunText.block(verdict, brief: brief)) }
            }
        }
        return results.allSatisfy(\.passed)
    }

    /// Exercise 08 once more, on a live run of `datachannel-chat demo` (not graded), once its
    /// graded checks on the recorded runs pass; false when the model disagrees with the live run.
    private func compareWithLiveDemo(_ report: SubmissionReport, options: GradingOptions, workspace: GradingWorkspace) -> Bool {
        let exercise = MeshCostLiveDemo.exerciseID
        guard options.exercises.isEmpty || options.exercises.contains(exercise), report.build.succeeded else { return true }
        let graded = report.results.filter { MeshCostLiveDemo.checkIDs.contains($0.id) }
        guard !graded.isEmpty, graded.allSatisfy(\.passed) else { return true }
        guard let tools = LessonRunner.directoryOfRunningExecutable() else { return true }
        emit("\n\(exercise) against a live run of the demo (not graded):")
        switch MeshCostLiveDemo().run(workspace: workspace, toolDirectory: tools) {
        case .toolMissing(let path):
            emit("  \(path) is not built: run `swift build` to compare your model with a live run too.")
            return true
        case .demoFailed(let command, let reason):
            emit("  `\(command)` gave no report (\(reason)); your graded checks are not affected.")
            return true
        case .compared(let command, let results):
            emit("  `\(command)` measured a mesh on this machine; your model predicts it:")
            for result in results {
                let headline = "\(ResultText.mark(result.status)) \(result.id)  \(result.title)  (live run)"
                emit("  " + ([headline] + ResultText.details(result).map { "      " + $0 }).joined(separator: "\n"))
            }
            return results.allSatisfy(\.passed)
        }
    }
}

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
            Your exercises/ folder is copied into a scratch package (.build-lab/workspace) and built
            there, so nothing else in the repository needs to compile. Each check runs in its own
            process: a crash or an endless loop in your code fails only that check.
            A failure shows the input, the expected and the actual answer, and the RFC rule.
            Exercise 08 is also compared with a live `datachannel-chat demo --json --agents 5` when
            that tool is built and the graded checks on the recorded demo runs pass (not graded).
            Exit status: 0 when every selected check passes, 1 otherwise.

            Examples:
              lab check            all exercises
              lab check 02         only exercise 02 (also: lab check 02-stun-coding)
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

    func run() throws {
        let repository = try LabRepository.resolve(root: root)
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
            guard report.build.succeeded else { continue }
            for result in results {
                emit("  " + (brief ? ResultText.headline(result) : ResultText.block(result, indent: "      ")))
            }
        }
        let passed = report.results.filter(\.passed).count
        emit("\nTotal: \(report.earned)/\(report.possible) points, \(passed) of \(report.results.count) checks pass.")
        let liveDemoPasses = compareWithLiveDemo(report, options: options, workspace: grader.workspace)

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
        if !liveDemoPasses { throw ExitCode.failure }
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

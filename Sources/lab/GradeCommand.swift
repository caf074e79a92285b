import ArgumentParser
import ExerciseChecks
import Foundation
import LabKit

/// `lab grade DIR`: the instructor's batch grader.
struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a folder of submissions; write a gradebook CSV, Gradescope results, JUnit XML and the written answers.",
        discussion: """
            DIR holds one folder per student, each a copy of exercises/ (a folder
            containing an exercises/ folder is graded there). Every submission is built in
            isolation in one reused scratch package and each check runs in its own process
            with a time limit. A submission that does not compile, crashes or hangs scores
            0 on the checks it affects, with the reason; the run always goes on to the
            next student.

            Outputs (in --out, default DIR-grades next to DIR):
              gradebook.csv                      one row per student, one column per check
              junit.xml                          one <testsuite> per student
              gradescope/<student>/results.json  Gradescope autograder format
              writeups/<exercise>.md             every student's written answers, per question

            Written answers: exercises whose solution has an ANSWERS.md ask questions in
            prose (exercises/NN/ANSWERS.md). They are not scored here.
            writeups/<exercise>.md puts every student's answer under each question, next
            to the rubric's key points and common wrong answers (solutions/NN/RUBRIC.md),
            with a score line to fill in. In results.json each question is one more test
            for manual grading: its max_score is the question's points, it has no score
            (the top-level score stays the checks' total) and its output is the answer. A
            missing, huge (over 64 KiB), binary or linked ANSWERS.md is reported, never
            followed or read past the limit.

            Sandboxed grading: every check runs in a bubblewrap jail (`bwrap`, Debian
            package bubblewrap; scripts/setup.sh installs it) with no network (its own
            network namespace holds only loopback), its own pid, ipc and uts namespaces,
            no capabilities, an empty environment and, read-only, only /usr, the Swift
            runtime libraries and the check runner; a private 128 MiB /tmp is its
            working directory. Other submissions, DIR, this repository and your home are not
            there. Limits per check: --timeout, 1 GiB of address space, 64 processes,
            64 MiB per file written, 256 KiB of output per stream (then it is stopped).
            When grading as root (Gradescope), each check also runs as a fresh
            unprivileged uid, since root is exempt from the process limit. A check the
            sandbox stopped fails, and its reason in the gradebook notes, results.json
            and junit.xml says what was refused ("refused: no network in grading",
            "refused by the sandbox: the process limit (fork bomb?)", …). Builds are not
            sandboxed: the scratch package's Package.swift is lab's own, so compiling
            runs no student code.
            If bwrap is missing or cannot create namespaces here, `lab grade` stops with
            the reason; --no-sandbox runs the checks unsandboxed with your privileges
            (only for code you trust, or inside a throw-away container).

            On Gradescope: put the submission in DIR/submission, run `lab grade
            DIR`, and copy gradescope/submission/results.json to
            /autograder/results/results.json.
            """)

    @Argument(help: "Folder with one sub-folder per student.")
    var directory: String

    @Option(help: "Where to write the reports (default: DIR-grades next to DIR).")
    var out: String?

    @Option(help: "Time limit per check, in seconds.")
    var timeout: Double = 10

    @Option(name: .customLong("build-timeout"), help: "Time limit per submission build, in seconds.")
    var buildTimeout: Double = 900

    @Option(help: "Checks run at the same time (each in its own process).")
    var jobs: Int = 2

    @Option(name: .customLong("exercise"), help: "Grade only this exercise (repeatable; default: all).")
    var exercises: [String] = []

    @Option(help: "Scratch package used for building (default: .build-lab/workspace in the repository).")
    var workspace: String?

    @Option(help: "The lab's repository root (default: found from the current directory).")
    var root: String?

    @Flag(name: .customLong("no-sandbox"),
          help: "Run the checks without the bubblewrap sandbox, with your privileges (for machines without user namespaces; only for trusted code).")
    var noSandbox = false

    func run() throws {
        guard jobs > 0 else { throw ValidationError("--jobs must be at least 1") }
        let repository = try LabRepository.resolve(root: root)
        var options = GradingOptions()
        options.checkTimeout = try seconds(timeout, "--timeout")
        options.buildTimeout = try seconds(buildTimeout, "--build-timeout")
        options.parallelChecks = jobs
        options.exercises = try exercises.map { try repository.exercise($0).id }
        let submissionsPath = URL(fileURLWithPath: directory).standardizedFileURL.path
        let outPath = out.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? submissionsPath + "-grades"
        let submissions = try ClassGrader.submissions(in: submissionsPath)
        // Never fall back to unsandboxed runs on our own: a missing bwrap is an error.
        options.sandbox = noSandbox ? nil : try Sandbox.prepare()
        let grader = ClassGrader(grader: SubmissionGrader(
            workspace: GradingWorkspace(repository: repository, directory: workspace), options: options))

        emit("Grading \(submissions.count) submissions in \(submissionsPath): \(options.selectedChecks.count) checks, "
             + "\(Format.seconds(options.checkTimeout)) per check, \(jobs) at a time, "
             + (noSandbox ? "NOT sandboxed (--no-sandbox)." : "each in a bubblewrap sandbox."))
        let started = ContinuousClock.now
        let reports = try grader.gradeAll(in: submissionsPath) { event in
            switch event {
            case .submissionStarted(let name, let index, let count):
                emit("[\(index)/\(count)] \(name): build … ", terminator: "")
            case .buildFinished(_, let status, let duration):
                emit(status.succeeded ? "ok (\(Format.seconds(duration))); checks " : "FAILED (\(Format.seconds(duration)))",
                     terminator: status.succeeded ? "" : "\n")
            case .checkFinished(_, let result, _, _):
                emit(result.status == .passed ? "." : result.status == .failed ? "x" : result.status == .timedOut ? "T" : "C",
                     terminator: "")
            case .submissionFinished(let report):
                if report.build.succeeded { emit("") }
                emit("        \(report.earned)/\(report.possible) points" + summary(report) + writtenSummary(report))
            }
        }
        let written = try GradeReportWriter.write(reports, to: outPath)
        emit("\nGraded \(reports.count) submissions in \(Format.seconds(started.duration(to: .now))).")
        emit("  gradebook: \(written.gradebook)")
        emit("  JUnit:     \(written.junit)")
        emit("  Gradescope: \(outPath)/gradescope/<student>/results.json")
        for (exercise, file) in written.writeups.sorted(by: { $0.key < $1.key }) {
            emit("  written answers of \(exercise): \(file)")
        }
    }

    /// "; written answers 4 of 13" when the graded exercises ask for any.
    private func writtenSummary(_ report: SubmissionReport) -> String {
        guard !report.writeups.isEmpty else { return "" }
        let answered = report.writeups.reduce(0) { $0 + $1.answeredCount }
        return "; written answers \(answered) of \(report.writeups.reduce(0) { $0 + $1.answers.count })"
    }

    private func summary(_ report: SubmissionReport) -> String {
        if case .failed(let reason) = report.build {
            return " — " + (reason.split(separator: "\n").prefix(2).joined(separator: " "))
        }
        let crashed = report.results.filter { $0.status == .crashed }.count
        let timedOut = report.results.filter { $0.status == .timedOut }.count
        var notes: [String] = []
        if crashed > 0 { notes.append("\(crashed) crashed") }
        if timedOut > 0 { notes.append("\(timedOut) timed out") }
        return notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")"
    }
}

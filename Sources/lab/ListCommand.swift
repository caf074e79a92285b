import ArgumentParser
import ExerciseChecks
import Foundation
import LabKit

/// `lab` / `lab list`: lessons, exercises and the student's progress.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the lessons and exercises with your progress (the default command).",
        discussion: """
            Progress comes from your last `lab check`, stored in .lab/progress.json
            (git-ignored). "written N/M" counts the answered questions of an exercise's
            ANSWERS.md, read as it is now. The last line is the capstone: `lab check
            capstone` runs datachannel-chat's echo client against headless Chromium with
            all your pieces swapped in at once (see `lab check --help`).
            """)

    @Option(help: "The lab's repository root (default: found from the current directory).")
    var root: String?

    func run() throws {
        let repository = try LabRepository.resolve(root: root)
        let progress = try LabStateStore(repository: repository).loadProgress()
        emit("WebRTC lab — \(repository.root)\n")

        emit("Lessons")
        do {
            let lessons = try LessonCatalog.load(repositoryRoot: repository.root)
            if lessons.isEmpty { emit("  (none yet)") }
            let width = lessons.map(\.title.count).max() ?? 0
            let pathWidth = lessons.map(\.path.count).max() ?? 0
            for lesson in lessons {
                let exercises = lesson.exerciseIDs.map { ExerciseCatalog.find($0)?.number ?? $0 }
                let path = exercises.isEmpty ? lesson.path : lesson.path.padding(toLength: pathWidth, withPad: " ", startingAt: 0)
                let suffix = exercises.isEmpty ? "" : "   exercises: " + exercises.joined(separator: ", ")
                emit("  \(lesson.id)  \(lesson.title.padding(toLength: width, withPad: " ", startingAt: 0))   \(path)\(suffix)")
            }
        } catch {
            emit("  cannot list the lessons: \(error)")
        }

        emit("\nExercises (progress from your last `lab check`)")
        let width = ExerciseCatalog.all.map(\.title.count).max() ?? 0
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        // Written answers are read now, from the files (they need no build and no check).
        let writeups: [String: ExerciseWriteup]
        do {
            writeups = Dictionary(uniqueKeysWithValues: try WriteupSheet.loadAll(repository: repository).map {
                ($0.exerciseID, $0.read(submission: repository.exercisesDirectory))
            })
        } catch {
            writeups = [:]
            emit("  cannot read the written questions: \(error)")
        }
        for exercise in ExerciseCatalog.all {
            let title = exercise.title.padding(toLength: width, withPad: " ", startingAt: 0)
            let written = writeups[exercise.id].map { "; " + WriteupStatusText.short($0) } ?? ""
            guard let entry = progress.exercises[exercise.id] else {
                emit("  \(exercise.number)  \(title)   -/\(exercise.totalPoints)  \(bar(0, exercise.totalPoints))  not checked yet\(written)")
                continue
            }
            let state = entry.buildFailure != nil ? "did not compile"
                : entry.failed.isEmpty ? "done" : "\(entry.failed.count) checks to go"
            let score = "\(entry.earned)/\(entry.possible)"
            emit("  \(exercise.number)  \(title)   \(score)  \(bar(entry.earned, entry.possible))  \(state), checked \(formatter.string(from: entry.checkedAt))\(written)")
        }
        let numbers = Capstone.pieceIDs.map { String($0.prefix(2)) }
        let listed = numbers.count < 2 ? numbers.joined() : numbers.dropLast().joined(separator: ", ") + " and " + numbers.last!
        emit("  capstone  your exercises \(listed) in one stack, "
             + "echoing with Chromium: `lab check capstone`")
        if writeups.values.contains(where: { !$0.unanswered.isEmpty }) {
            emit("\n\"written N/M\": answers in the exercise's ANSWERS.md, scored by your instructor; `lab check NN` lists the empty ones.")
        }
        let next = ExerciseCatalog.all.first { progress.exercises[$0.id]?.failed.isEmpty != true }
        if let next {
            emit("\nNext: read `lab lesson` for the lessons, then `lab check \(next.number)`; `lab hint \(next.number)` when stuck.")
        } else {
            emit("\nEvery exercise passes all its checks. Well done.")
        }
    }

    private func bar(_ earned: Int, _ possible: Int) -> String {
        let cells = 10
        let filled = possible > 0 ? earned * cells / possible : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled) + "]"
    }
}

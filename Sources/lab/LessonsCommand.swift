import ArgumentParser
import Foundation
import LabKit

/// `lab lesson [N] [--run]`: list the lessons, print one, or run its commands and show
/// which of the things it says to notice actually appeared.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "List the lessons, print one, or run its commands and check their output.",
        discussion: """
            Examples:
              lab lesson             list the lessons
              lab lesson 02          print lesson 02 (its file is lessons/02-*.md)
              lab lesson 02 --run    run every command of lesson 02 and show what to notice

            --run uses the tools built next to this `lab` executable (swift build first).
            """)

    @Argument(help: "Lesson number or file name, e.g. 02. Omit to list the lessons.")
    var lesson: String?

    @Flag(name: .customLong("run"), help: "Run the lesson's commands and check each expectation.")
    var runBlocks = false

    @Flag(help: "Print only the path of the lesson's markdown file.")
    var path = false

    @Flag(help: "With --run, hide the commands' output and show only the checklist.")
    var quiet = false

    @Option(help: "The lab's repository root (default: found from the current directory).")
    var root: String?

    @Option(help: "Directory holding the built tools (default: the directory of this executable).")
    var bin: String?

    mutating func run() throws {
        let repositoryRoot = try LabRepository.resolve(root: root).root
        guard let query = lesson else {
            guard !runBlocks, !path else { throw ValidationError("--run and --path need a lesson number, e.g. lab lesson 02 --run") }
            try list(repositoryRoot: repositoryRoot)
            return
        }
        let found = try LessonCatalog.lesson(query, repositoryRoot: repositoryRoot)
        if path {
            print(found.path)
        } else if runBlocks {
            try runLesson(found, repositoryRoot: repositoryRoot)
        } else {
            let file = (repositoryRoot as NSString).appendingPathComponent(found.path)
            print("\(found.path)\n")
            print(try String(contentsOfFile: file, encoding: .utf8))
        }
    }

    private func list(repositoryRoot: String) throws {
        let lessons = try LessonCatalog.load(repositoryRoot: repositoryRoot)
        let width = lessons.map(\.title.count).max() ?? 0
        for lesson in lessons {
            let title = lesson.title.padding(toLength: width, withPad: " ", startingAt: 0)
            let blocks = lesson.blocks.count == 1 ? "1 runnable block" : "\(lesson.blocks.count) runnable blocks"
            let exercises = lesson.exerciseIDs.isEmpty ? "" : "   exercises: " + lesson.exerciseIDs.joined(separator: ", ")
            print("\(lesson.id)  \(title)   \(lesson.path), \(blocks)\(exercises)")
        }
        print("\nRead one with `lab lesson 01`; run its commands with `lab lesson 01 --run`.")
    }

    private func runLesson(_ lesson: Lesson, repositoryRoot: String) throws {
        let directory = bin ?? LessonRunner.directoryOfRunningExecutable()
        let runner = LessonRunner(repositoryRoot: repositoryRoot, executableDirectory: directory)
        print("\(lesson.title) (\(lesson.path)): \(lesson.blocks.count) runnable blocks, tools from \(directory ?? "PATH")\n")
        let result = try runner.run(lesson) { block in
            print("── block \(block.block.index), line \(block.block.line) ──")
            print(block.block.script.split(separator: "\n").map { "$ " + $0 }.joined(separator: "\n"))
            if !quiet { print(block.indentedOutput(limit: 200), terminator: "") }
            print("notice:")
            print(block.checklist)
        }
        let passed = result.blocks.filter(\.passed).count
        print("\(passed)/\(result.blocks.count) blocks showed everything the lesson says to notice.")
        guard result.passed else {
            print("\nFailures:\n" + result.failures.joined(separator: "\n"))
            throw ExitCode.failure
        }
    }
}

import ArgumentParser
import ExerciseChecks
import LabKit

/// `lab hint ID`: reveal an exercise's hints one at a time.
struct HintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hint",
        abstract: "Reveal the next hint of an exercise (hints you have seen are shown again).",
        discussion: """
            Hints come from the "Hints" section of the exercise's README.md and get more
            specific as you go. How many you have revealed is kept in .lab/hints.json.

            Examples:
              lab hint 02          the hints seen so far plus the next one
              lab hint 02 --all    every hint
              lab hint 02 --reset  forget what was revealed
            """)

    @Argument(help: "Exercise number or folder name, e.g. 02.")
    var exercise: String

    @Flag(help: "Show every hint at once.")
    var all = false

    @Flag(help: "Start again from the first hint.")
    var reset = false

    @Option(help: "The lab's repository root (default: found from the current directory).")
    var root: String?

    func run() throws {
        let repository = try LabRepository.resolve(root: root)
        let info = try repository.exercise(exercise)
        let store = LabStateStore(repository: repository)
        var revealed = try store.loadRevealedHints()
        if reset {
            revealed[info.id] = nil
            try store.saveRevealedHints(revealed)
            emit("Hints of \(info.id) are hidden again.")
            return
        }
        let hints = try ExerciseHints.load(info, repository: repository).hints
        let count = all ? hints.count : min(hints.count, (revealed[info.id] ?? 0) + 1)
        revealed[info.id] = max(count, revealed[info.id] ?? 0)
        try store.saveRevealedHints(revealed)

        emit("\(info.id) — \(info.title)")
        for (index, hint) in hints.prefix(count).enumerated() {
            emit("\n\(hint.title)" + (index == count - 1 && !all ? "   (new)" : ""))
            emit(hint.body.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
        }
        emit(count < hints.count
             ? "\n\(count) of \(hints.count) hints shown; run `lab hint \(info.number)` again for the next."
             : "\nAll \(hints.count) hints shown.")
    }
}

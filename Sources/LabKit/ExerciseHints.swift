import ExerciseChecks
import Foundation

/// The hints of an exercise, read from the "## Hints" section of its README.md.
///
/// Each hint is a folded HTML block, so a reader browsing the README on a forge is not
/// shown them all at once, and `lab hint` can reveal them one at a time:
///
///     <details><summary>Hint 1: where the type bits go</summary>
///
///     Text of the hint (markdown).
///
///     </details>
public struct ExerciseHints: Sendable, Equatable {
    /// One hint.
    public struct Hint: Sendable, Equatable {
        /// The summary line ("Hint 1: where the type bits go").
        public var title: String
        /// The text under it.
        public var body: String
    }

    /// In reveal order.
    public var hints: [Hint]

    /// The hints of `exercise` in `repository` (from exercises/<id>/README.md).
    public static func load(_ exercise: ExerciseInfo, repository: LabRepository) throws -> ExerciseHints {
        let path = repository.exercisesDirectory + "/" + exercise.id + "/README.md"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LabError(.badPath, "cannot read \(path)")
        }
        let hints = parse(markdown: String(decoding: data, as: UTF8.self))
        guard !hints.hints.isEmpty else {
            throw LabError(.badPath, "\(path) has no hints (a \"## Hints\" section with <details> blocks)")
        }
        return hints
    }

    /// Parses the `<details>` blocks that follow a "## Hints" heading (until the next "## ").
    public static func parse(markdown: String) -> ExerciseHints {
        var hints: [Hint] = []
        var inSection = false
        var current: (title: String, body: [String])?
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("## ") {
                inSection = line.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("hints")
                continue
            }
            guard inSection else { continue }
            if line.hasPrefix("<details>") {
                let summary = line.range(of: "<summary>").flatMap { open in
                    line.range(of: "</summary>").map { close in String(line[open.upperBound..<close.lowerBound]) }
                }
                current = (summary ?? "Hint \(hints.count + 1)", [])
            } else if line.hasPrefix("</details>"), let open = current {
                let body = open.body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                hints.append(Hint(title: open.title.trimmingCharacters(in: .whitespaces), body: body))
                current = nil
            } else if current != nil {
                current!.body.append(String(rawLine))
            }
        }
        return ExerciseHints(hints: hints)
    }
}

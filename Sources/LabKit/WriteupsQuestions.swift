import ExerciseChecks
import Foundation

/// One written question of an exercise, as the repository's solutions/ define it.
public struct WriteupQuestion: Sendable, Equatable {
    /// n of `Qn`.
    public var number: Int
    /// Its heading's title.
    public var title: String
    /// The question itself.
    public var prompt: String
    /// Points the instructor awards at most (from RUBRIC.md).
    public var points: Int
    /// What a full-credit answer contains (RUBRIC.md, "### Full credit").
    public var keyPoints: [String]
    /// Mistakes to look for (RUBRIC.md, "### Common wrong answers").
    public var wrongAnswers: [String]
    /// The example answer of solutions/NN/ANSWERS.md.
    public var example: String

    /// "Q2".
    public var label: String { "Q\(number)" }
}

/// The written questions of one exercise, read from solutions/NN/ANSWERS.md (questions and
/// example answers) and solutions/NN/RUBRIC.md (points, key points, wrong answers).
///
/// Both are the repository's files, never the student's: a student's copy of ANSWERS.md
/// only supplies answers, matched to these questions by number.
public struct WriteupSheet: Sendable, Equatable {
    /// The exercise folder ("06-delivery-modes").
    public var exerciseID: String
    /// The exercise's title.
    public var exerciseTitle: String
    /// In order, numbered 1, 2, 3…
    public var questions: [WriteupQuestion]

    /// Sum of the questions' points.
    public var totalPoints: Int { questions.reduce(0) { $0 + $1.points } }

    /// The sheet of `exercise`, or nil when its solution has no ANSWERS.md (no written part).
    /// Throws when the repository's own files are inconsistent: that is the lab's bug, and
    /// grading on would misreport every student.
    public static func load(_ exercise: ExerciseInfo, repository: LabRepository) throws -> WriteupSheet? {
        let folder = repository.solutionsDirectory + "/" + exercise.id
        let answersPath = folder + "/" + Writeups.answersFileName
        guard FileManager.default.fileExists(atPath: answersPath) else { return nil }
        let rubricPath = folder + "/" + Writeups.rubricFileName
        return try make(exerciseID: exercise.id, exerciseTitle: exercise.title,
                        examples: try repositoryText(answersPath), rubric: try repositoryText(rubricPath),
                        source: "solutions/\(exercise.id)")
    }

    /// The sheets of the exercises in `exerciseIDs` (all exercises when empty), in catalog order.
    public static func loadAll(repository: LabRepository, exerciseIDs: [String] = []) throws -> [WriteupSheet] {
        try ExerciseCatalog.all.filter { exerciseIDs.isEmpty || exerciseIDs.contains($0.id) }
            .compactMap { try load($0, repository: repository) }
    }

    /// A sheet from the text of the example answers and of the rubric; `source` names their
    /// folder in error messages.
    public static func make(exerciseID: String, exerciseTitle: String, examples: String, rubric: String,
                            source: String) throws -> WriteupSheet {
        let exampleSections = WriteupDocument.parse(examples).sections
        let rubricSections = WriteupDocument.parse(rubric).sections
        func fail(_ reason: String) -> LabError { LabError(.writeups, "\(source): \(reason)") }
        guard !exampleSections.isEmpty else { throw fail("ANSWERS.md has no `## Q1: …` question") }
        var questions: [WriteupQuestion] = []
        for (index, section) in exampleSections.enumerated() {
            guard section.number == index + 1 else {
                throw fail("ANSWERS.md line \(section.line): expected Q\(index + 1), found Q\(section.number) (questions are numbered 1, 2, 3… once each)")
            }
            guard !section.prompt.isEmpty, !section.body.isEmpty else {
                throw fail("ANSWERS.md Q\(section.number) needs a question (a `>` block quote) and an example answer")
            }
            guard let entry = rubricSections.first(where: { $0.number == section.number }) else {
                throw fail("RUBRIC.md has no section Q\(section.number)")
            }
            guard let points = entry.points, points > 0 else {
                throw fail("RUBRIC.md Q\(section.number) has no points: end its heading with \"(N points)\"")
            }
            let parts = subsections(entry.body)
            questions.append(WriteupQuestion(
                number: section.number, title: section.title, prompt: section.prompt, points: points,
                keyPoints: parts["full credit"] ?? [], wrongAnswers: parts["common wrong answers"] ?? [],
                example: section.body))
        }
        if let extra = rubricSections.first(where: { $0.number > questions.count }) {
            throw fail("RUBRIC.md has Q\(extra.number), which ANSWERS.md does not ask")
        }
        return WriteupSheet(exerciseID: exerciseID, exerciseTitle: exerciseTitle, questions: questions)
    }

    /// `### Name` subsections of a rubric section, each as its list items (lower-cased names).
    static func subsections(_ body: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        var name: String?
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.writeupTrimmed()
            if trimmed.hasPrefix("### ") {
                name = trimmed.dropFirst(4).writeupTrimmed().lowercased()
                result[name!] = []
            } else if let open = name {
                if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                    result[open]!.append(String(trimmed.dropFirst(2)))
                } else if !trimmed.isEmpty, !result[open]!.isEmpty {
                    result[open]![result[open]!.count - 1] += " " + trimmed
                }
            }
        }
        return result
    }

    private static func repositoryText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LabError(.writeups, "cannot read \(path)")
        }
        return WriteupFileContent.clean(String(decoding: data, as: UTF8.self))
    }

    /// The answers in `folder`/<exercise>/ANSWERS.md (a folder shaped like exercises/).
    public func read(submission folder: String) -> ExerciseWriteup {
        let path = folder + "/" + exerciseID + "/" + Writeups.answersFileName
        switch WriteupFileContent.read(path) {
        case .missing:
            return unanswered(path, "there is no \(exerciseID)/\(Writeups.answersFileName)")
        case .unreadable(let reason):
            return unanswered(path, "\(exerciseID)/\(Writeups.answersFileName) was not read: \(reason)")
        case .text(let text, let notes):
            var writeup = answers(in: WriteupDocument.parse(text), path: path)
            writeup.notes = notes.map { "\(exerciseID)/\(Writeups.answersFileName): \($0)" } + writeup.notes
            return writeup
        }
    }

    /// Matches the sections of a student's document to the questions, by number.
    public func answers(in document: WriteupDocument, path: String) -> ExerciseWriteup {
        var notes: [String] = []
        let answers = questions.map { question -> WrittenAnswer in
            let sections = document.sections.filter { $0.number == question.number }
            guard !sections.isEmpty else {
                notes.append("the heading of \(question.label) is missing: put `## \(question.label): \(question.title)` back above its answer")
                return WrittenAnswer(question: question, state: .headingMissing, text: "")
            }
            if sections.count > 1 {
                notes.append("\(question.label) appears \(sections.count) times (lines \(sections.map { String($0.line) }.joined(separator: ", "))): its parts are read as one answer")
            }
            let text = sections.map { withoutQuotedQuestions($0.body) }.filter { !$0.isEmpty }.joined(separator: "\n\n")
            return WrittenAnswer(question: question, state: text.isEmpty ? .empty : .answered, text: text)
        }
        for section in document.sections where !questions.contains(where: { $0.number == section.number }) {
            notes.append("Q\(section.number) (line \(section.line)) is not a question of this exercise: it is not graded")
        }
        return ExerciseWriteup(exerciseID: exerciseID, exerciseTitle: exerciseTitle, path: path, fileProblem: nil,
                               answers: answers, notes: notes)
    }

    /// `body` without block-quote lines that repeat a question: when a student deletes the
    /// next question's heading, its question text lands in this section and is not an answer.
    func withoutQuotedQuestions(_ body: String) -> String {
        let questionLines = Set(questions.flatMap { $0.prompt.split(separator: "\n").map { $0.writeupTrimmed() } })
        return body.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            let trimmed = line.writeupTrimmed()
            return !(trimmed.hasPrefix(">") && questionLines.contains(trimmed.dropFirst().writeupTrimmed()))
        }.joined(separator: "\n").writeupTrimmed()
    }

    private func unanswered(_ path: String, _ problem: String) -> ExerciseWriteup {
        ExerciseWriteup(exerciseID: exerciseID, exerciseTitle: exerciseTitle, path: path, fileProblem: problem,
                        answers: questions.map { WrittenAnswer(question: $0, state: .noFile, text: "") }, notes: [])
    }
}

/// One student's answer to one written question.
public struct WrittenAnswer: Sendable, Equatable {
    /// Whether there is something to read.
    public enum State: String, Sendable, Equatable {
        /// Text was written under the question.
        case answered
        /// The question's section holds nothing but the empty marker.
        case empty
        /// The file has no section for this question (its heading was deleted or mangled).
        case headingMissing = "heading-missing"
        /// The file is missing or was not read (see `ExerciseWriteup.fileProblem`).
        case noFile = "no-file"
    }

    /// The question answered.
    public var question: WriteupQuestion
    /// Whether there is something to read.
    public var state: State
    /// The answer ("" unless answered).
    public var text: String
}

/// One student's written answers for one exercise.
public struct ExerciseWriteup: Sendable, Equatable {
    /// The exercise folder.
    public var exerciseID: String
    /// The exercise's title.
    public var exerciseTitle: String
    /// The ANSWERS.md read (or looked for).
    public var path: String
    /// Why nothing was read (missing, binary, a link…); nil when the file was read.
    public var fileProblem: String?
    /// One per question, in order.
    public var answers: [WrittenAnswer]
    /// What the instructor and the student should know: a cut file, a missing heading, a
    /// duplicated or unknown section.
    public var notes: [String]

    /// How many questions have an answer.
    public var answeredCount: Int { answers.filter { $0.state == .answered }.count }
    /// The questions still without one.
    public var unanswered: [WrittenAnswer] { answers.filter { $0.state != .answered } }
    /// Points the instructor can award for this exercise.
    public var totalPoints: Int { answers.reduce(0) { $0 + $1.question.points } }
}

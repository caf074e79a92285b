/// One exercise's written answers for the whole class, as one Markdown page the instructor
/// reads top to bottom: a table of who answered what, then each question with its rubric
/// (key points and common wrong answers) and every student's answer under it, with a blank
/// score to fill in.
///
/// Student text is untrusted Markdown: it could close a code block, forge a heading or carry
/// raw HTML. So every answer sits in a fenced block whose fence is longer than any run of
/// backticks inside it (CommonMark: such a block ends only at a fence at least as long), which
/// shows it verbatim; names and titles outside blocks have their Markdown characters escaped.
public enum WriteupsReport {
    /// An answer longer than this is cut in reports (the file itself is already bounded).
    public static let answerDisplayLimit = 6000
    /// Lines of an answer are wrapped at spaces to this width, for reading in a terminal too.
    public static let wrapWidth = 100
    /// Identical answers shorter than this are not flagged (short answers coincide honestly).
    static let sameTextMinimum = 40

    /// The page for one exercise: `students` are the submissions in report order, each with its answers.
    public static func render(sheet: WriteupSheet, students: [(name: String, writeup: ExerciseWriteup)]) -> String {
        var lines = ["# Written answers: \(escape(sheet.exerciseID)), \(escape(sheet.exerciseTitle))", ""]
        lines.append("\(students.count) submission\(students.count == 1 ? "" : "s"), \(sheet.questions.count) questions, "
                     + "\(sheet.totalPoints) points scored by hand. The checks' points are in gradebook.csv; these are not in it.")
        lines.append("")
        lines += summaryTable(sheet, students)
        let notes = students.flatMap { student in
            ((student.writeup.fileProblem.map { [$0] } ?? []) + student.writeup.notes)
                .map { "\(escape(student.name)): \(escape($0))" }
        }
        if !notes.isEmpty {
            lines += ["", "Notes:"] + notes.map { "- " + $0 }
        }
        for question in sheet.questions {
            lines += ["", "---", ""] + questionBlock(question, students)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table: one row per student, a mark per question.
    private static func summaryTable(_ sheet: WriteupSheet, _ students: [(name: String, writeup: ExerciseWriteup)]) -> [String] {
        let labels = sheet.questions.map(\.label)
        var rows = ["| student | " + labels.joined(separator: " | ") + " | answered |",
                    "| --- | " + labels.map { _ in "---" }.joined(separator: " | ") + " | --- |"]
        for student in students {
            let marks = student.writeup.answers.map { answer -> String in
                switch answer.state {
                case .answered: return "✓"
                case .empty: return "empty"
                case .headingMissing: return "no heading"
                case .noFile: return "–"
                }
            }
            let total = student.writeup.fileProblem == nil
                ? "\(student.writeup.answeredCount)/\(sheet.questions.count)" : "no file"
            rows.append("| \(escape(student.name)) | " + marks.joined(separator: " | ") + " | \(total) |")
        }
        rows.append("")
        rows.append("✓ answered · empty: only the starter's marker · no heading: the `## Qn` heading is gone · –: no file read")
        return rows
    }

    /// A question, its rubric, and every student's answer.
    private static func questionBlock(_ question: WriteupQuestion, _ students: [(name: String, writeup: ExerciseWriteup)]) -> [String] {
        var lines = ["## \(question.label): \(escape(question.title)) (\(question.points) points)", ""]
        lines += question.prompt.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }
        if !question.keyPoints.isEmpty {
            lines += ["", "**Full credit** (rubric):"] + question.keyPoints.map { "- " + $0 }
        }
        if !question.wrongAnswers.isEmpty {
            lines += ["", "**Common wrong answers:**"] + question.wrongAnswers.map { "- " + $0 }
        }
        let texts = students.map { student in
            student.writeup.answers.first { $0.question.number == question.number }.map { normalised($0) } ?? ""
        }
        let example = normalised(question.example)
        for (index, student) in students.enumerated() {
            guard let answer = student.writeup.answers.first(where: { $0.question.number == question.number }) else { continue }
            lines.append("")
            switch answer.state {
            case .answered:
                var flags: [String] = []
                let text = texts[index]
                if text.count >= sameTextMinimum {
                    if text == example { flags.append("same text as the example answer in solutions/") }
                    let twins = students.indices.filter { $0 != index && texts[$0] == text }.map { escape(students[$0].name) }
                    if !twins.isEmpty { flags.append("same text as " + twins.joined(separator: ", ")) }
                }
                let words = answer.text.split(whereSeparator: \.isWhitespace).count
                lines.append("### \(escape(student.name)): \(words) words, score: ___ / \(question.points)")
                if !flags.isEmpty { lines += ["", "⚠ " + flags.joined(separator: "; ")] }
                lines += [""] + fenced(capped(answer.text))
            case .empty:
                lines.append("### \(escape(student.name)): no answer (only the empty marker), score: 0 / \(question.points)")
            case .headingMissing:
                lines.append("### \(escape(student.name)): no answer found (the `## \(question.label)` heading is missing), score: 0 / \(question.points)")
            case .noFile:
                lines.append("### \(escape(student.name)): no answer (\(escape(student.writeup.fileProblem ?? "no file"))), score: 0 / \(question.points)")
            }
        }
        return lines
    }

    /// `text` cut to `answerDisplayLimit` characters, saying how much was left out.
    public static func capped(_ text: String) -> String {
        guard text.count > answerDisplayLimit else { return text }
        return String(text.prefix(answerDisplayLimit)) + "\n[… \(text.count - answerDisplayLimit) more characters not shown]"
    }

    /// A fenced block that shows `text` verbatim, lines wrapped at `wrapWidth`.
    static func fenced(_ text: String) -> [String] {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let body = text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrap($0) }
        return [fence + "text"] + body + [fence]
    }

    /// One line as lines of at most `wrapWidth` characters, broken at spaces (a longer word
    /// stays whole).
    static func wrap(_ line: Substring) -> [String] {
        guard line.count > wrapWidth else { return [String(line)] }
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty, current.count + 1 + word.count > wrapWidth {
                lines.append(current)
                current = String(word)
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        lines.append(current)
        return lines
    }

    /// Markdown punctuation escaped with backslashes, so a name or note stays plain text.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<>#|~!&".contains(character) { out.append("\\") }
            out.append(character == "\n" ? " " : character)
        }
        return out
    }

    /// Lower case, whitespace collapsed: how two answers are compared.
    static func normalised(_ answer: WrittenAnswer) -> String {
        answer.state == .answered ? normalised(answer.text) : ""
    }

    static func normalised(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

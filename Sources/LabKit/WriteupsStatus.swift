/// How a student's written answers read on a terminal (`lab check`, `lab`).
public enum WriteupStatusText {
    /// "Written answers (…, 7 points scored by your instructor): 1 of 3 written", then the
    /// questions still empty and any note about the file, one per line.
    public static func lines(_ writeup: ExerciseWriteup) -> [String] {
        let file = "\(writeup.exerciseID)/\(Writeups.answersFileName)"
        let head = "Written answers (\(file), \(writeup.totalPoints) points scored by your instructor, not by the checks)"
        if let problem = writeup.fileProblem {
            return [head + ": none read", "  \(problem); the starter's copy has the questions"]
        }
        var lines = [head + ": \(writeup.answeredCount) of \(writeup.answers.count) written"]
        let unanswered = writeup.unanswered
        if !unanswered.isEmpty {
            lines.append("  still empty: " + unanswered.map { "\($0.question.label) \($0.question.title)" }.joined(separator: "; "))
        }
        lines += writeup.notes.map { "  note: " + $0 }
        return lines
    }

    /// "written 1/3" (or "written: no file") for the one-line progress of `lab`.
    public static func short(_ writeup: ExerciseWriteup) -> String {
        writeup.fileProblem == nil ? "written \(writeup.answeredCount)/\(writeup.answers.count)" : "written: no ANSWERS.md"
    }
}

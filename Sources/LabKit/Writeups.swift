// Written answers ("writeups"): the questions of an exercise that ask for reasoning rather
// than a value a check can compare. The source lesson asks for one sentence per layer, an
// explanation of three delivery modes and a breakdown of setup time; the checks cannot score
// prose, so the student writes it in the exercise's ANSWERS.md, `lab check` says which
// answers are still empty, and `lab grade` carries every answer to the instructor (a writeups
// report per exercise, Gradescope entries for manual grading). Automatic points stay with
// the checks; these points are the instructor's.
//
// One format serves the student's exercises/NN/ANSWERS.md, the example answers in
// solutions/NN/ANSWERS.md and the instructor's solutions/NN/RUBRIC.md:
//
//     # Exercise 06: written answers          (anything before the first question is ignored)
//
//     ## Q1: The three modes, explained (3 points)
//
//     > The question, as a block quote right under the heading.
//
//     _(write your answer here)_              (the empty marker: replaced by the answer)
//
// A section runs from its `Qn` heading to the next one. Questions are matched by their number,
// so a student who rewords a title loses nothing; the question text and points always come
// from the repository's solutions/ (the student's copy may have been edited).

/// Names and limits of the written-answer files.
public enum Writeups {
    /// The student's answers (and the example answers in solutions/).
    public static let answersFileName = "ANSWERS.md"
    /// The instructor's rubric, next to the example answers in solutions/.
    public static let rubricFileName = "RUBRIC.md"
    /// The line a starter holds under each question until the student writes an answer.
    public static let emptyMarker = "(write your answer here)"
    /// At most this much of an ANSWERS.md is read: a few pages of prose fit many times over,
    /// and a file that is huge by mistake or on purpose cannot swamp a report.
    public static let maximumFileBytes = 64 * 1024
}

/// A parsed ANSWERS.md or RUBRIC.md: its question sections, in file order.
public struct WriteupDocument: Sendable, Equatable {
    /// One `## Qn: title` section.
    public struct Section: Sendable, Equatable {
        /// n of `Qn`.
        public var number: Int
        /// The heading's text after `Qn:`, without the points suffix.
        public var title: String
        /// The `(N points)` at the end of the heading, if any.
        public var points: Int?
        /// The block quote right under the heading (the question), without the `>` marks.
        public var prompt: String
        /// Everything else: the answer, with the empty marker and HTML comments removed and
        /// the ends trimmed. Empty when nothing was written.
        public var body: String
        /// The heading's line number (1-based).
        public var line: Int
    }

    /// The sections, in file order (a number may repeat if a student copied a heading).
    public var sections: [Section]

    /// Parses `text`. Never fails: text before the first question heading is ignored, and a
    /// heading inside a fenced code block is text, not a heading.
    public static func parse(_ text: String) -> WriteupDocument {
        var sections: [Section] = []
        var current: (heading: Heading, line: Int, lines: [Substring])?
        var fence: (character: Character, length: Int)?
        func close() {
            guard let open = current else { return }
            let (prompt, body) = split(open.lines)
            sections.append(Section(number: open.heading.number, title: open.heading.title, points: open.heading.points,
                                    prompt: prompt, body: body, line: open.line))
        }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if let open = fence {
                if closesFence(trimmed, open) { fence = nil }
            } else if let opening = opensFence(trimmed) {
                fence = opening
            } else if let heading = Heading(trimmed) {
                close()
                current = (heading, index + 1, [])
                continue
            }
            current?.lines.append(line)
        }
        close()
        return WriteupDocument(sections: sections)
    }

    /// The leading block quote (the question) and the rest (the answer) of a section.
    private static func split(_ lines: [Substring]) -> (prompt: String, body: String) {
        var index = lines.startIndex
        while index < lines.endIndex, lines[index].allSatisfy(\.isWhitespace) { index += 1 }
        var prompt: [Substring] = []
        while index < lines.endIndex {
            let trimmed = lines[index].drop { $0 == " " }
            guard trimmed.hasPrefix(">") else { break }
            let text = trimmed.dropFirst()
            prompt.append(text.hasPrefix(" ") ? text.dropFirst() : text)
            index += 1
        }
        let rest = lines[index...].filter { !isEmptyMarker($0) }.joined(separator: "\n")
        return (prompt.joined(separator: "\n").writeupTrimmed(), removingComments(rest).writeupTrimmed())
    }

    /// True for the starter's placeholder line, however it is emphasised.
    static func isEmptyMarker(_ line: Substring) -> Bool {
        let core = line.writeupTrimmed().writeupTrimmed(of: "_*").writeupTrimmed()
        return core.lowercased() == Writeups.emptyMarker
    }

    /// Drops `<!-- … -->` (a starter's instructions); an unclosed comment hides the rest, as
    /// a Markdown viewer would.
    static func removingComments(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "<!--") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "-->") else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    private static func opensFence(_ line: Substring) -> (character: Character, length: Int)? {
        guard let first = line.first, first == "`" || first == "~" else { return nil }
        let length = line.prefix { $0 == first }.count
        return length >= 3 ? (first, length) : nil
    }

    private static func closesFence(_ line: Substring, _ open: (character: Character, length: Int)) -> Bool {
        let run = line.prefix { $0 == open.character }.count
        return run >= open.length && line.dropFirst(run).allSatisfy(\.isWhitespace)
    }

    /// `## Q3: title (2 points)`, also `# q3. title`, `### Q 3) title`, `## Question 3 - title`.
    struct Heading: Equatable {
        var number: Int
        var title: String
        var points: Int?

        init?(_ line: Substring) {
            let hashes = line.prefix { $0 == "#" }.count
            guard (1...6).contains(hashes) else { return nil }
            var rest = line.dropFirst(hashes)
            guard rest.first == " " || rest.first == "\t" else { return nil }
            rest = rest.writeupTrimmed()[...]
            let lower = rest.lowercased()
            if lower.hasPrefix("question") {
                rest = rest.dropFirst("question".count)
            } else if lower.hasPrefix("q") {
                rest = rest.dropFirst()
            } else {
                return nil
            }
            rest = rest.drop { $0 == " " }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard (1...3).contains(digits.count), let number = Int(digits), number > 0 else { return nil }
            rest = rest.dropFirst(digits.count)
            // "Q12abc" is not a question heading; "Q1", "Q1:", "Q1 title" are.
            guard rest.isEmpty || rest.first == " " || ":.)-–—".contains(rest.first!) else { return nil }
            rest = rest.drop { $0 == " " || ":.)-–—".contains($0) }
            var title = rest.writeupTrimmed()
            points = Self.pointsSuffix(&title)
            self.number = number
            self.title = title
        }

        /// Removes a trailing "(3 points)" / "(1 point)" from `title` and returns the number.
        private static func pointsSuffix(_ title: inout String) -> Int? {
            guard title.hasSuffix(")"), let open = title.lastIndex(of: "(") else { return nil }
            let words = title[title.index(after: open)..<title.index(before: title.endIndex)]
                .split(separator: " ").map { $0.lowercased() }
            guard words.count == 2, words[1] == "point" || words[1] == "points", let value = Int(words[0]),
                  (0...1000).contains(value) else { return nil }
            title = String(title[..<open]).writeupTrimmed()
            return value
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line breaks.
    func writeupTrimmed() -> String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// Without leading and trailing characters from `set`.
    func writeupTrimmed(of set: String) -> String {
        String(self.drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

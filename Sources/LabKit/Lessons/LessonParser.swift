// Reads a lesson's markdown: the title, the exercise links, and the runnable blocks.
//
// Only fenced code blocks matter to the runner. A fence whose info string carries
// `{run ...}` is a script; the next fenced block after it must be its `{expect}` block
// (prose may sit between them, any other fenced block may not). Every other fenced
// block is an illustration and is never executed. The rules are strict on purpose:
// a runnable block that forgot to say what to notice would pass CI while checking
// nothing, so that is an error, not a silent pass.

/// Parses lesson markdown into a ``Lesson``.
public enum LessonParser {
    /// Default per-block limit when a block has no `timeout=` attribute.
    public static let defaultTimeout: Duration = .seconds(20)

    /// Parses `markdown` read from `path` (relative to the repository root; used for the
    /// lesson id, which comes from the file name `NN-topic.md`, and in error messages).
    public static func parse(markdown: String, path: String) throws -> Lesson {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let digits = fileName.prefix(while: { $0.isASCII && $0.isNumber })
        guard digits.count == 2 else {
            throw LabError(.malformedLesson, "\(path): lesson files are named NN-topic.md (two digits first)")
        }
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let fences = try scanFences(lines, path: path)

        var blocks: [RunnableBlock] = []
        var pending: (fence: Fence, attributes: RunAttributes)?
        for fence in fences {
            switch fence.role {
            case .run(let attributes):
                if let open = pending {
                    throw LabError.malformedLesson(path, line: open.fence.line,
                        "the {run} block is not followed by an {expect} block (another {run} block starts at line \(fence.line))")
                }
                pending = (fence, attributes)
            case .expect:
                guard let open = pending else {
                    throw LabError.malformedLesson(path, line: fence.line, "an {expect} block must follow a {run} block")
                }
                let expectations = try fence.body.enumerated().compactMap { offset, text in
                    try parseExpectation(text, line: fence.line + 1 + offset, path: path)
                }
                guard !expectations.isEmpty else {
                    throw LabError.malformedLesson(path, line: fence.line, "the {expect} block is empty: say what to notice")
                }
                let script = open.fence.body.joined(separator: "\n")
                guard !script.trimmingWhitespace().isEmpty else {
                    throw LabError.malformedLesson(path, line: open.fence.line, "the {run} block has no commands")
                }
                blocks.append(RunnableBlock(index: blocks.count + 1, line: open.fence.line, script: script,
                                            expectedExit: open.attributes.exit, timeout: open.attributes.timeout,
                                            expectations: expectations))
                pending = nil
            case .illustration:
                if let open = pending {
                    throw LabError.malformedLesson(path, line: open.fence.line,
                        "the {run} block is not followed by an {expect} block (the next fenced block, line \(fence.line), is not one)")
                }
            }
        }
        if let open = pending {
            throw LabError.malformedLesson(path, line: open.fence.line, "the {run} block is not followed by an {expect} block")
        }

        let insideFence = Set(fences.flatMap { $0.line...$0.closingLine })
        let prose = lines.enumerated().filter { !insideFence.contains($0.offset + 1) }.map(\.element)
        guard let heading = prose.first(where: { $0.hasPrefix("# ") }).map({ String($0.dropFirst(2)).trimmingWhitespace() }) else {
            throw LabError(.malformedLesson, "\(path): the lesson has no '# Title' heading")
        }
        // "Lesson 02: UDP and STUN" reads well atop the file; listings show the id already.
        let numbered = "Lesson \(digits):"
        let title = heading.hasPrefix(numbered) ? String(heading.dropFirst(numbered.count)).trimmingWhitespace() : heading
        return Lesson(id: String(digits), title: title, path: path,
                      exerciseIDs: exerciseLinks(in: prose), blocks: blocks)
    }

    /// Parses one `{expect}` line; blank lines give `nil`.
    static func parseExpectation(_ raw: String, line: Int, path: String) throws -> Expectation? {
        var text = raw.trimmingWhitespace()
        guard !text.isEmpty else { return nil }
        var negated = false
        if text.hasPrefix("!") {
            negated = true
            text = String(text.dropFirst()).trimmingWhitespace()
            guard !text.isEmpty else {
                throw LabError.malformedLesson(path, line: line, "'!' must be followed by the text that must not appear")
            }
        }
        if let (source, insensitive) = regexLiteral(text) {
            do {
                _ = try Regex(source)
            } catch {
                throw LabError.malformedLesson(path, line: line, "invalid regular expression \(text): \(error)")
            }
            return Expectation(pattern: .regex(source: source, caseInsensitive: insensitive), negated: negated, line: line)
        }
        return Expectation(pattern: .substring(text), negated: negated, line: line)
    }

    /// `/body/` or `/body/i` with a non-empty body, else `nil` (plain substring).
    private static func regexLiteral(_ text: String) -> (String, Bool)? {
        guard text.count >= 3, text.hasPrefix("/") else { return nil }
        if text.hasSuffix("/i"), text.count >= 4 {
            return (String(text.dropFirst().dropLast(2)), true)
        }
        if text.hasSuffix("/") {
            return (String(text.dropFirst().dropLast()), false)
        }
        return nil
    }

    /// Exercise ids from links like `../exercises/02-stun-coding/README.md`, first mention first.
    static func exerciseLinks(in prose: [String]) -> [String] {
        var found: [String] = []
        for line in prose {
            var rest = line[...]
            while let range = rest.range(of: "exercises/") {
                let candidate = rest[range.upperBound...].prefix(while: { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
                let id = String(candidate)
                if id.count > 3, id.prefix(2).allSatisfy(\.isNumber), id.dropFirst(2).first == "-", !found.contains(id) {
                    found.append(id)
                }
                rest = rest[range.upperBound...]
            }
        }
        return found
    }
}

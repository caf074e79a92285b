// Fenced code blocks as CommonMark draws them: a line of three or more backticks or
// tildes (indented at most three spaces) opens a block, a line of at least as many of
// the same character closes it. The info string after the opening fence is where a
// lesson marks blocks `{run ...}` or `{expect}`.

/// A fenced code block found in a lesson.
struct Fence {
    /// What the info string says the block is for.
    enum Role {
        case run(RunAttributes)
        case expect
        case illustration
    }

    /// 1-based line of the opening fence.
    let line: Int
    /// 1-based line of the closing fence.
    let closingLine: Int
    let role: Role
    /// Content lines with the fence's indentation removed.
    let body: [String]
}

/// Attributes of a `{run ...}` block: `exit=N`, `exit=nonzero`, `timeout=SECONDS`.
struct RunAttributes {
    var exit: ExpectedExit = .status(0)
    var timeout: Duration?
}

/// Finds every fenced block; throws on an unclosed fence or a malformed `{...}` marker.
func scanFences(_ lines: [String], path: String) throws -> [Fence] {
    var fences: [Fence] = []
    var index = 0
    while index < lines.count {
        let line = lines[index]
        let indent = line.prefix(while: { $0 == " " }).count
        let trimmed = line.dropFirst(indent)
        guard indent <= 3, let marker = trimmed.first, marker == "`" || marker == "~" else {
            index += 1
            continue
        }
        let fenceLength = trimmed.prefix(while: { $0 == marker }).count
        guard fenceLength >= 3 else {
            index += 1
            continue
        }
        let info = String(trimmed.dropFirst(fenceLength)).trimmingWhitespace()
        let openLine = index + 1
        let role = try role(of: info, line: openLine, path: path)
        var body: [String] = []
        var closing: Int?
        index += 1
        while index < lines.count {
            let candidate = lines[index].drop(while: { $0 == " " })
            let run = candidate.prefix(while: { $0 == marker }).count
            if run >= fenceLength, candidate.dropFirst(run).trimmingWhitespace().isEmpty {
                closing = index + 1
                index += 1
                break
            }
            body.append(String(removingIndent(indent, from: lines[index])))
            index += 1
        }
        guard let closingLine = closing else {
            throw LabError.malformedLesson(path, line: openLine, "code block is never closed")
        }
        fences.append(Fence(line: openLine, closingLine: closingLine, role: role, body: body))
    }
    return fences
}

private func removingIndent(_ count: Int, from line: String) -> Substring {
    var dropped = 0
    var rest = line[...]
    while dropped < count, rest.first == " " {
        rest = rest.dropFirst()
        dropped += 1
    }
    return rest
}

/// Reads the `{...}` part of an info string such as `sh {run exit=2 timeout=30}`.
private func role(of info: String, line: Int, path: String) throws -> Fence.Role {
    guard let open = info.firstIndex(of: "{") else { return .illustration }
    guard let close = info[open...].firstIndex(of: "}") else {
        throw LabError.malformedLesson(path, line: line, "unclosed '{' in the code block's info string")
    }
    let words = info[info.index(after: open)..<close].split(separator: " ").map(String.init)
    guard let kind = words.first else { return .illustration }
    switch kind {
    case "expect":
        guard words.count == 1 else {
            throw LabError.malformedLesson(path, line: line, "{expect} takes no attributes")
        }
        return .expect
    case "run":
        var attributes = RunAttributes()
        for word in words.dropFirst() {
            let pair = word.split(separator: "=", maxSplits: 1).map(String.init)
            switch (pair.first, pair.count == 2 ? pair[1] : nil) {
            case ("exit", "nonzero"?):
                attributes.exit = .nonZero
            case ("exit", let value?):
                guard let status = Int32(value), (0...255).contains(status) else {
                    throw LabError.malformedLesson(path, line: line, "exit= wants 0...255 or 'nonzero', not '\(value)'")
                }
                attributes.exit = .status(status)
            case ("timeout", let value?):
                guard let seconds = Int(value), seconds > 0, seconds <= 600 else {
                    throw LabError.malformedLesson(path, line: line, "timeout= wants whole seconds 1...600, not '\(value)'")
                }
                attributes.timeout = .seconds(seconds)
            default:
                throw LabError.malformedLesson(path, line: line, "unknown {run} attribute '\(word)' (known: exit=N, exit=nonzero, timeout=SECONDS)")
            }
        }
        return .run(attributes)
    case let other where other.hasPrefix("run") || other.hasPrefix("expect"):
        throw LabError.malformedLesson(path, line: line, "unknown marker '{\(other)}' (did you mean {run} or {expect}?)")
    default:
        // Other braces (e.g. `{.python}` in some markdown dialects) are not ours.
        return .illustration
    }
}

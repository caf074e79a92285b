// Human-readable reports of lesson runs, for the `lab lesson N --run` command and for
// test failures. A report must let the author fix the lesson without re-running it:
// which file and block, the command, which expectation failed, and what was printed.

extension BlockResult {
    /// Why this block failed: lesson, block, command, each failed check, and the output.
    /// Empty when the block passed.
    public func failureReport(lessonPath: String, outputLineLimit: Int = 60) -> String {
        guard !passed else { return "" }
        var report = "\(lessonPath):\(block.line): block \(block.index) failed: \(block.summary)\n"
        if !exitHeld {
            report += "  expected \(block.expectedExit), got: \(termination)\n"
        }
        for check in expectations where !check.held {
            let verb = check.expectation.negated ? "must not appear, but a line matches" : "no output line matches"
            report += "  expectation at line \(check.expectation.line) `\(check.expectation)`: \(verb)\n"
        }
        report += "  output (\(termination), \(Format.seconds(duration))):\n"
        report += indentedOutput(limit: outputLineLimit)
        return report
    }

    /// The block's output indented for display, keeping the first and last lines when long.
    public func indentedOutput(limit: Int = 60, indent: String = "    | ") -> String {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if lines.isEmpty { return indent + "(no output)\n" }
        if lines.count > limit {
            let head = lines.prefix(limit / 2)
            let tail = lines.suffix(limit / 2)
            lines = Array(head) + ["… \(lines.count - head.count - tail.count) lines not shown …"] + Array(tail)
        }
        return lines.map { indent + $0 + "\n" }.joined()
    }

    /// A one-line verdict such as `✓ block 2 (0.41 s) stun-probe --json`.
    public var verdictLine: String {
        "\(passed ? "✓" : "✗") block \(block.index) (\(Format.seconds(duration))) \(block.summary)"
    }

    /// What the student should notice, with a mark per line: what held and what did not.
    public var checklist: String {
        var text = "  \(exitHeld ? "✓" : "✗") \(block.expectedExit)" + (exitHeld ? "\n" : " (got: \(termination))\n")
        for check in expectations {
            text += "  \(check.held ? "✓" : "✗") \(check.expectation)\n"
        }
        return text
    }
}

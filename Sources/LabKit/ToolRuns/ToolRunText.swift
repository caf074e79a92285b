/// How `lab check` prints a tool run: one line like a check's, then the evidence on failure.
public enum ToolRunText {
    /// "  PASS 09-stun-transaction  stun-probe … — summary", then (failure) the peer, exit status and output tail.
    public static func block(_ result: ToolRunResult, brief: Bool = false) -> String {
        let mark = result.passed ? "PASS" : "FAIL"
        var lines = ["  \(mark) \(result.exerciseID)  tool run: \(result.summary)"]
        guard !brief else { return lines[0] }
        lines.append("      ran: \(result.command)")
        lines.append("      peer: \(result.peer)")
        if !result.passed {
            if let exit = result.exit { lines.append("      the tool ended with \(exit); its last lines:") }
            lines += result.outputTail.map { "        | " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}

import Foundation

/// The verdict of one tool run for one exercise, shown like a check.
public struct ToolRunResult: Sendable, Equatable {
    /// The exercise judged.
    public var exerciseID: String
    /// True when the student's piece ran and the traffic got through.
    public var passed: Bool
    /// The command that ran ("stun-probe 127.0.0.1:40000 --use-exercise ...").
    public var command: String
    /// Who it talked to.
    public var peer: String
    /// One sentence: what happened (what got through, or why not).
    public var summary: String
    /// "exit status 0" and the like; nil when the tool could not run.
    public var exit: String?
    /// On failure: the last lines the tool printed.
    public var outputTail: [String] = []
}

/// Reads a tool's report and decides, per exercise, whether the student's piece ran and
/// carried the traffic.
///
/// Why per exercise rather than the exit status alone: the tools swap in every piece of
/// the student's they can use, and exit with their exercise code when any one of them is
/// still a starter. A student who wrote exercise 09 but not 02 still deserves to see 09's
/// transaction pass on real traffic, and to be told that 02 is the piece left.
public enum ToolRunJudge {
    /// The verdicts of `outcome` for each of `exerciseIDs` (those the run covers).
    public static func judge(_ outcome: ToolRunOutcome, exerciseIDs: [String]) -> [ToolRunResult] {
        exerciseIDs.filter(outcome.plan.exerciseIDs.contains).map { judge(outcome, exerciseID: $0) }
    }

    /// The verdict of `outcome` for exercise `id`.
    public static func judge(_ outcome: ToolRunOutcome, exerciseID id: String) -> ToolRunResult {
        var result = ToolRunResult(exerciseID: id, passed: false, command: outcome.command, peer: outcome.peer,
                                   summary: "", exit: outcome.termination?.description)
        if let setup = outcome.setupFailure {
            result.summary = "the tool run could not start: \(setup)"
            return result
        }
        let exitedCleanly = outcome.termination == .exited(0)
        let verdict: (passed: Bool, summary: String)
        if !exitedCleanly, jsonObject(outcome.stdout) == nil {
            // No report at all: the tool stopped before any traffic, and its message says why.
            result.summary = "the tool stopped before any traffic: " + (firstErrorLine(outcome) ?? "it printed no reason")
            result.outputTail = tail(outcome)
            return result
        }
        switch outcome.plan {
        case .stunProbe: verdict = stunProbe(outcome, id, exitedCleanly)
        case .iceCheck: verdict = iceCheck(outcome, id, exitedCleanly)
        case .echoAiortc, .echoChromium: verdict = echo(outcome, id, exitedCleanly)
        case .dtlsHandshake:
            verdict = exitedCleanly ? (true, "the handshake checked both fingerprints your code computed, and the message was echoed")
                : (false, "the handshake with your fingerprints did not complete")
        case .sctpStreams:
            verdict = exitedCleanly ? (true, "your receiver delivered every message of every mode, in the promised order, under 3 % loss")
                : (false, "the messages delivered through your receiver broke a promise, or it was not used")
        }
        result.passed = verdict.passed
        result.summary = verdict.summary
        if !result.passed { result.outputTail = tail(outcome) }
        return result
    }

    // MARK: stun-probe

    private static func stunProbe(_ outcome: ToolRunOutcome, _ id: String, _ clean: Bool) -> (Bool, String) {
        let report = jsonObject(outcome.stdout)
        let transactions = report?["transactions"] as? [[String: Any]] ?? []
        let answered = transactions.filter { $0["outcome"] as? String == "success" }.count
        let retransmissions = transactions.reduce(0) { $0 + ($1["retransmissions"] as? Int ?? 0) }
        let traffic = "\(answered) of \(transactions.count) Binding transactions answered, \(retransmissions) retransmissions"
        let allAnswered = !transactions.isEmpty && answered == transactions.count
        if id == "09-stun-transaction" {
            let mine = report?["exercise_transaction"] as? String
            if let mine, mine != "yours" {
                return (false, "your StunTransaction is not written yet: the library's transaction carried the probe instead")
            }
            let broke = transactions.compactMap { $0["transaction_problem"] as? String }.first
            if let broke { return (false, "your transaction broke a rule on the wire: \(broke)") }
            if mine == "yours", allAnswered {
                return (true, "your transaction drove every send and retransmission: " + traffic + otherPiecesNote(clean, report))
            }
        } else {
            let pieces = transactions.compactMap { $0["exercise"] as? [String: Any] }
            if pieces.contains(where: { $0["implemented"] as? Bool == false }) {
                return (false, "your decodeXORMappedAddress is not written yet: the library's decoder read the answers instead")
            }
            if let wrong = pieces.first(where: { $0["matches_library"] as? Bool == false }) {
                return (false, "your decoder disagrees with the library on a real answer: \(wrong["error"] as? String ?? "\(wrong)")")
            }
            if !pieces.isEmpty, pieces.count == transactions.count, allAnswered {
                return (true, "your decoder read the XOR-MAPPED-ADDRESS of every answer: " + traffic + otherPiecesNote(clean, report))
            }
        }
        return (false, (report?["error"] as? String).map { "the probe failed: \($0)" } ?? "the probe failed (\(traffic))")
    }

    /// " (the run exits 8: …)" when another of the student's pieces made the tool fail.
    private static func otherPiecesNote(_ clean: Bool, _ report: [String: Any]?) -> String {
        guard !clean else { return "" }
        return "; the run still failed on another piece of yours: " + (report?["error"] as? String ?? "see the tool's output")
    }

    // MARK: ice-check

    private static func iceCheck(_ outcome: ToolRunOutcome, _ id: String, _ clean: Bool) -> (Bool, String) {
        let report = jsonObject(outcome.stdout)
        let skipped = report?["exercises_not_implemented"] as? [String] ?? []
        let folder = id == "10-ice-checklist" ? "10-ice-checklist" : "03-candidate-priority"
        if skipped.contains(where: { $0.contains(folder) }) {
            return (false, id == "10-ice-checklist"
                ? "your IceChecklist is not written yet: the library's checklist chose the checks instead"
                : "your priority functions are not written yet: nothing of yours was compared")
        }
        let connected = report?["connected"] as? Bool == true
        let outcomeText = report?["outcome"] as? String ?? "no report"
        if id == "10-ice-checklist" {
            let checklist = report?["checklist_exercise"] as? [String: Any]
            if let checklist, checklist["agrees"] as? Bool == true, connected {
                return (true, "your checklist chose every ordinary check through the simulated NATs, and ICE connected ("
                        + outcomeText + ")" + (clean ? "" : "; the run still failed on another piece of yours"))
            }
            if let problems = checklist?["problems"] as? [String], let first = problems.first {
                return (false, "your checklist disagrees with RFC 8445: \(first)")
            }
        } else {
            let exercise = report?["exercise"] as? [String: Any]
            if let exercise, exercise["all_match"] as? Bool == true {
                let count = exercise["compared"] as? Int ?? 0
                return (true, "your priorities matched the library's on all \(count) candidates and pairs of a real run"
                        + (clean ? "" : "; the run still failed on another piece of yours"))
            }
            if let exercise {
                return (false, "\(exercise["matches"] as? Int ?? 0) of \(exercise["compared"] as? Int ?? 0) priorities from your code match the library's")
            }
        }
        return (false, clean ? "ICE \(outcomeText)" : "the run failed: ICE \(outcomeText)")
    }

    // MARK: datachannel-chat echo

    /// The pieces an echo run reports (`"exercises": {"07-dcep-open": "yours", ...}` in its JSON line).
    public static func echoPieces(_ outcome: ToolRunOutcome) -> [String: String] {
        lastJSONLine(outcome.stdout)?["exercises"] as? [String: String] ?? [:]
    }

    private static func echo(_ outcome: ToolRunOutcome, _ id: String, _ clean: Bool) -> (Bool, String) {
        let line = lastJSONLine(outcome.stdout)
        let pieces = echoPieces(outcome)
        let steps = line?["steps"] as? [[String: Any]] ?? []
        let passedSteps = steps.filter { $0["ok"] as? Bool == true }.count
        if let piece = pieces[id], piece != "yours" {
            return (false, "your \(id) code is not written yet: the library's ran instead (\(piece))")
        }
        if clean, line?["ok"] as? Bool == true, pieces[id] == "yours" {
            let what = id == "07-dcep-open" ? "your encodeOpen wrote every DATA_CHANNEL_OPEN"
                : "your DCEPChannel ran every channel's DCEP state machine"
            return (true, "\(what); \(passedSteps) of \(steps.count) echo steps passed on six channels")
        }
        if let step = line?["step"] as? String {
            return (false, "the echo failed at step \(step): \(line?["error"] as? String ?? "?")")
        }
        return (false, "the echo did not run (see the tool's last words)")
    }

    // MARK: output

    /// The last lines worth showing: the tool's stderr (its error message), else its stdout.
    static func tail(_ outcome: ToolRunOutcome, lines: Int = 8) -> [String] {
        let source = outcome.stderr.contains(where: { !$0.isWhitespace }) ? outcome.stderr : outcome.stdout
        return source.split(separator: "\n").map { String($0) }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .suffix(lines).map { $0.count > 300 ? String($0.prefix(300)) + " …" : $0 }
    }

    /// The tool's own error message ("stun-probe: error: …" or the like), without its program prefix.
    static func firstErrorLine(_ outcome: ToolRunOutcome) -> String? {
        guard let line = outcome.stderr.split(separator: "\n").first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        else { return nil }
        var text = String(line)
        for prefix in [outcome.plan.tool + ": error: ", outcome.plan.tool + ": ", "Error: ", "error: "] where text.hasPrefix(prefix) {
            text.removeFirst(prefix.count)
        }
        return text.count > 400 ? String(text.prefix(400)) + " …" : text
    }

    /// The whole of `text` as one JSON object (the tools' --json reports are one, pretty-printed).
    static func jsonObject(_ text: String) -> [String: Any]? {
        guard let start = text.firstIndex(of: "{") else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(text[start...].utf8))) as? [String: Any]
    }

    /// The last line of `text` that is a JSON object (the echo client's result line).
    static func lastJSONLine(_ text: String) -> [String: Any]? {
        for line in text.split(separator: "\n").reversed() where line.hasPrefix("{") {
            if let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] { return object }
        }
        return nil
    }
}

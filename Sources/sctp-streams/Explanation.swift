/// The closing lines under the table: what this run's numbers show.
///
/// Built from the modes the run had, one sentence per topic (order, reliability,
/// partial reliability), each grammatical whatever subset of the four modes ran,
/// and each claim made only when this run's numbers bear it out: "nothing was
/// lost" is said when nothing was, not because --loss was 0.
enum Explanation {
    /// The lines, starting with a blank one; none when nothing was sent.
    static func lines(_ report: RunReport) -> [String] {
        let modes = report.modes
        guard modes.contains(where: { $0.sent > 0 }) else { return [] }
        let counts = report.datagrams
        let dropped = counts.droppedByLoss + counts.droppedBySendBuffer + (counts.droppedByReceiveBuffer ?? 0)
        var sentences: [String]
        if dropped == 0, modes.allSatisfy({ $0.delivered == $0.sent && $0.outOfOrder == 0 && $0.late == 0 }) {
            let who = modes.count == 1 ? modes[0].mode.rawValue : "every mode"
            sentences = ["Nothing was lost: \(who) delivered every message, in order and none late; "
                         + "the modes differ only when packets go missing."]
        } else {
            sentences = headOfLine(modes) + reliable(modes, resent: dropped > 0) + unreliable(modes, rule: report.settings.partialReliability)
        }
        let header = "What you see (late = more than \(Int(ModeStatistics.lateMargin)) ms slower than the mode's median):"
        return ["", header] + sentences.flatMap { wrap($0, width: 110, indent: "  ") }
    }

    /// Late counts per mode, and what order costs.
    static func headOfLine(_ modes: [ModeStatistics]) -> [String] {
        let late = modes.enumerated().map { index, stats in
            index == 0 ? "\(stats.mode.rawValue) had \(count(stats.late, "late message"))" : "\(stats.mode.rawValue) \(stats.late)"
        }
        let ordered = modes.filter(\.mode.isOrdered)
        let unorderedPresent = modes.contains { !$0.mode.isOrdered }
        guard !ordered.isEmpty else {
            return ["No head-of-line blocking: \(list(late)).",
                    "An unordered stream delivers each message as it arrives, so a loss delays only the lost message."]
        }
        let filler = ordered.contains { !$0.mode.isReliable } ? "a retransmission, or a FORWARD-TSN once abandoned" : "a retransmission"
        let unordered = unorderedPresent ? "; an unordered one delivers each message as it arrives, so a loss delays only that message." : "."
        return ["Head-of-line blocking: \(list(late)).",
                "An ordered stream holds every message behind a lost one until the gap is filled (by \(filler))\(unordered)"]
    }

    /// Whether the reliable modes kept their promise, with their tail latency.
    static func reliable(_ modes: [ModeStatistics], resent: Bool) -> [String] {
        let reliable = modes.filter(\.mode.isReliable)
        guard !reliable.isEmpty else { return [] }
        let label = reliable.count == 1 ? "Reliable mode" : "Reliable modes"
        let short = reliable.filter { $0.delivered < $0.sent }
        guard short.isEmpty else {
            let what = short.map { "\($0.mode.rawValue) delivered only \($0.delivered) of \($0.sent)" }
            return ["\(label): \(list(what)), a broken promise."]
        }
        let names = list(reliable.map(\.mode.rawValue))
        let tails = list(reliable.map { stats in stats.latencyPercentile(0.99).map { TableReport.number($0) + " ms" } ?? "-" })
        let how = resent ? ": SCTP resent what the link dropped until it arrived, and paid in latency (p99 \(tails))."
            : " (p99 \(tails))."
        return ["\(label): \(names) delivered every message\(how)"]
    }

    /// What the partially reliable modes gave up, under which rule.
    static func unreliable(_ modes: [ModeStatistics], rule: PartialReliability) -> [String] {
        let unreliable = modes.filter { !$0.mode.isReliable }
        guard !unreliable.isEmpty else { return [] }
        let label = "Partially reliable (\(rule), PR-SCTP)"
        let inFlight = unreliable.reduce(0) { $0 + $1.inFlight }
        let pending = inFlight > 0 ? " (\(count(inFlight, "message")) still in flight, not counted)" : ""
        guard unreliable.contains(where: { $0.lost > 0 }) else {
            return ["\(label): \(list(unreliable.map(\.mode.rawValue))) lost nothing this run\(pending)."]
        }
        let lost = unreliable.enumerated().map { index, stats in
            (index == 0 ? "\(stats.mode.rawValue) lost " : "\(stats.mode.rawValue) ") + "\(stats.lost) of \(stats.sent)"
        }
        let abandoned = unreliable.reduce(0) { $0 + $1.abandoned }
        return ["\(label): \(list(lost))\(pending); the sender gave up on \(count(abandoned, "message")) (abandoned)."]
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }

    /// "1 message", "2 messages".
    static func count(_ value: Int, _ noun: String) -> String { "\(value) \(noun)\(value == 1 ? "" : "s")" }

    /// `text` cut at spaces into lines of at most `width` characters (a longer word
    /// stays whole), each starting with `indent`.
    static func wrap(_ text: String, width: Int, indent: String) -> [String] {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count > indent.count, line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        lines.append(line)
        return lines
    }
}

import Foundation

/// The text report: what was set up, one row per delivery mode, and a few lines
/// saying what the numbers show.
enum TableReport {
    static func render(_ report: RunReport) -> String {
        let settings = report.settings
        var lines: [String] = []
        let addresses = report.localAddresses.joined(separator: " <-> ")
        lines.append("SCTP over DTLS over loopback UDP \(addresses)")
        var link = "loss \(percent(settings.loss)) each direction (seed \(settings.seed))"
        link += settings.delayMs > 0 ? ", one-way delay \(number(settings.delayMs)) ms" : ", no added delay"
        lines.append("  link        " + link)
        if let handshake = report.dtlsHandshakeMs {
            lines.append("  DTLS        up in \(number(handshake)) ms, \(report.cipherSuite ?? "?"), MTU 1200")
        }
        if let association = report.associationMs {
            let rto = report.rtoMinMs.map { ", RTO min \(number($0)) ms" } ?? ""
            lines.append("  SCTP        association up in \(number(association)) ms after DTLS\(rto)")
        }
        if let limit = report.maximumMessageSize, let advertised = report.advertisedMaxMessageSize, let own = report.ownMaxMessageSize {
            lines.append("  max message \(limit) B: the receiver's SDP says a=max-message-size:\(advertised), the sender's own limit is \(own) B")
        }
        if let buffers = report.buffers {
            let asked = buffers.requestedReceive.map { "asked \($0) B receive / \(buffers.requestedSend ?? $0) B send per socket, kernel granted" }
                ?? "system default (--udp-buffer 0):"
            lines.append("  UDP buffers \(asked) \(buffers.grantedReceive) / \(buffers.grantedSend) B")
        }
        let pacing = settings.intervalMs > 0 ? "one every \(number(settings.intervalMs)) ms per stream" : "as fast as SCTP accepts"
        lines.append("  trains      \(Explanation.count(settings.messages, "message")) x \(settings.size) B per mode, \(settings.streamsPerMode) stream(s) per mode, \(pacing)")
        if settings.modes.contains(where: { !$0.isReliable }) {
            lines.append("  unreliable  \(settings.partialReliability) (PR-SCTP)")
        }
        // A run that sent nothing (SCTP refused the first message, or it never came up) has no table to show.
        if report.modes.contains(where: { $0.sent > 0 }) {
            lines.append("")
            lines.append(contentsOf: table(report.modes))
            lines.append(contentsOf: inFlightNote(report))
            lines.append(contentsOf: exerciseLines(report))
        }
        lines.append("")
        let counts = report.datagrams
        var datagramLine = "datagrams: \(counts.emitted) emitted, \(counts.droppedByLoss) dropped by --loss"
        if counts.droppedBySendBuffer > 0 { datagramLine += ", \(counts.droppedBySendBuffer) refused by a full send buffer" }
        if let receiveDrops = counts.droppedByReceiveBuffer { datagramLine += ", \(receiveDrops) dropped by full receive buffers" }
        datagramLine += ", largest \(counts.largest) B; run took \(number(report.wallMs)) ms"
        lines.append(datagramLine)
        lines.append(contentsOf: Explanation.lines(report))
        return lines.joined(separator: "\n")
    }

    /// Says which messages' fate was still unknown when the run stopped waiting:
    /// they are in neither `lost` nor `delivered`.
    static func inFlightNote(_ report: RunReport) -> [String] {
        let pending = report.modes.filter { $0.inFlight > 0 }
        guard let reason = report.unsettledReason, !pending.isEmpty else { return [] }
        let what = Explanation.list(pending.map { "\($0.mode.rawValue) \($0.inFlight)" })
        return Explanation.wrap("in flight (neither delivered nor abandoned when \(reason); not counted as lost): \(what)",
                                width: 110, indent: "")
    }

    /// --use-exercise: what the student's receiver did with the fragments.
    static func exerciseLines(_ report: RunReport) -> [String] {
        guard let summary = report.exercise else { return [] }
        let tsns = "TSNs from \(summary.initialTSN)" + (summary.wrapped ? ", wrapped past 4294967295 to 0" : "")
            + ", its cumulative TSN at the end \(summary.cumulativeTSN)"
        let text = "exercise 12: your StreamReceive (exercises/12-stream-receive) delivered the messages above: "
            + "\(summary.messagesDelivered) from \(summary.fragmentsReceived) of \(summary.fragmentsSent) fragments "
            + "(up to \(summary.fragmentSize) B each; \(tsns)); \(summary.abandonmentNotices) message(s) abandoned by PR-SCTP, "
            + "\(summary.forwardTSNs) FORWARD-TSN(s) given, \(summary.refused) fragment(s) refused"
        return Explanation.wrap(text, width: 110, indent: "")
    }

    static let header = ["mode", "sent", "delivered", "lost", "abandoned", "out-of-order", "late", "p50 ms", "p90 ms", "p99 ms", "MB/s"]

    static func table(_ modes: [ModeStatistics]) -> [String] {
        let rows = modes.map { stats -> [String] in
            [stats.mode.rawValue, "\(stats.sent)", "\(stats.delivered)", "\(stats.lost)", "\(stats.abandoned)",
             "\(stats.outOfOrder)", "\(stats.late)", stats.latencyPercentile(0.5).map(number) ?? "-",
             stats.latencyPercentile(0.9).map(number) ?? "-",
             stats.latencyPercentile(0.99).map(number) ?? "-",
             stats.throughputBytesPerSecond.map { megabytes($0) } ?? "-"]
        }
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column in
                let cell = row[column]
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
    }

    static func number(_ value: Double) -> String { String(format: value < 10 ? "%.2f" : "%.1f", value) }

    static func percent(_ probability: Double) -> String {
        let value = probability * 100
        return (value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)) + " %"
    }

    static func megabytes(_ bytesPerSecond: Double) -> String { String(format: "%.2f", bytesPerSecond / 1_000_000) }
}

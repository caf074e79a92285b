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
            let maxSize = report.maximumMessageSize.map { ", max message \($0) B" } ?? ""
            let rto = report.rtoMinMs.map { ", RTO min \(number($0)) ms" } ?? ""
            lines.append("  SCTP        association up in \(number(association)) ms after DTLS\(maxSize)\(rto)")
        }
        if let buffers = report.buffers {
            let asked = buffers.requestedReceive.map { "asked \($0) B receive / \(buffers.requestedSend ?? $0) B send per socket, kernel granted" }
                ?? "system default (--udp-buffer 0):"
            lines.append("  UDP buffers \(asked) \(buffers.grantedReceive) / \(buffers.grantedSend) B")
        }
        let pacing = settings.intervalMs > 0 ? "one every \(number(settings.intervalMs)) ms per stream" : "as fast as SCTP accepts"
        lines.append("  trains      \(settings.messages) messages x \(settings.size) B per mode, \(settings.streamsPerMode) stream(s) per mode, \(pacing)")
        if settings.modes.contains(where: { !$0.isReliable }) {
            lines.append("  unreliable  \(settings.partialReliability) (PR-SCTP)")
        }
        lines.append("")
        lines.append(contentsOf: table(report.modes))
        lines.append("")
        let counts = report.datagrams
        var datagramLine = "datagrams: \(counts.emitted) emitted, \(counts.droppedByLoss) dropped by --loss"
        if counts.droppedBySendBuffer > 0 { datagramLine += ", \(counts.droppedBySendBuffer) refused by a full send buffer" }
        if let receiveDrops = counts.droppedByReceiveBuffer { datagramLine += ", \(receiveDrops) dropped by full receive buffers" }
        datagramLine += ", largest \(counts.largest) B; run took \(number(report.wallMs)) ms"
        lines.append(datagramLine)
        lines.append(contentsOf: explanation(report))
        return lines.joined(separator: "\n")
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

    /// Two or three lines on what the reader sees, with this run's numbers.
    static func explanation(_ report: RunReport) -> [String] {
        let byMode = Dictionary(report.modes.map { ($0.mode, $0) }, uniquingKeysWith: { first, _ in first })
        var lines = ["", "What you see (late = more than \(Int(ModeStatistics.lateMargin)) ms slower than the mode's median):"]
        if report.settings.loss == 0 {
            lines.append("  No loss: every mode delivers everything, in order; the modes differ only when packets go missing.")
            return lines
        }
        var first = "  Head-of-line blocking:"
        if let ordered = byMode[.reliableOrdered], let unordered = byMode[.reliableUnordered] {
            first += " reliable-ordered had \(ordered.late) late messages, reliable-unordered \(unordered.late)."
        }
        lines.append(first + " An ordered stream holds every")
        lines.append("  message behind a lost one until the gap is filled (by a retransmission, or a FORWARD-TSN once abandoned).")
        lines.append("  Reliable modes lose nothing and pay in latency; unreliable ones (\(report.settings.partialReliability)) "
                     + "give up: fewer delivered.")
        return lines
    }

    static func number(_ value: Double) -> String { String(format: value < 10 ? "%.2f" : "%.1f", value) }

    static func percent(_ probability: Double) -> String {
        let value = probability * 100
        return (value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)) + " %"
    }

    static func megabytes(_ bytesPerSecond: Double) -> String { String(format: "%.2f", bytesPerSecond / 1_000_000) }
}

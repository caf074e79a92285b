import DTLS
import Foundation
import SocketDriver
import Wire

/// One datagram as the tool saw it leave an endpoint (or be lost on the way).
struct DatagramRecord {
    /// Since the run started.
    let time: Duration
    /// "client" / "server" / "peer".
    let from: String
    let to: String
    let payload: [UInt8]
    /// Dropped by --loss: it never reached the other side.
    let lost: Bool
    /// Record and handshake message names, from the dissector.
    let summary: DTLSFlightSummary
    /// The retransmission this datagram belongs to, if the timer resent it.
    let retransmission: Int?
    /// Handshake messages this side had sent before, resent without its timer firing:
    /// OpenSSL answers a peer's repeated flight by repeating its own (RFC 6347 §4.2.4).
    let resent: Bool
}

/// One thing that happened, in order: a datagram, a timer-driven retransmission, an alert.
enum LogEntry {
    case datagram(DatagramRecord)
    case retransmission(side: String, time: Duration, info: DTLSRetransmission)
    case alert(side: String, time: Duration, alert: DTLSAlert)
    case note(time: Duration, text: String)
}

/// The run's timeline: every datagram and retransmission in order, printed as it
/// happens (unless --json), so a lossy run reads like a ladder diagram.
final class FlightLog {
    let start: Instant
    private(set) var entries: [LogEntry] = []
    /// Print each entry as it is recorded.
    let live: Bool
    /// --verbose: also print each datagram's dissected tree.
    let verbose: Bool
    /// The side whose retransmission tags the next datagrams it sends.
    private var pendingRetransmission: [String: Int] = [:]
    /// "Certificate#1"-style keys of the handshake messages each side has sent.
    private var sentMessages: [String: Set<String>] = [:]

    init(start: Instant, live: Bool, verbose: Bool) {
        self.start = start
        self.live = live
        self.verbose = verbose
    }

    var elapsed: Duration { SystemClock.now() - start }

    func datagram(from: String, to: String, payload: [UInt8], lost: Bool) {
        let summary = DTLSFlightSummary(datagram: payload)
        let keys = summary.entries.compactMap { entry in entry.messageSequence.map { "\(entry.name)#\($0)" } }
        let retransmission = pendingRetransmission[from]
        let seen = sentMessages[from, default: []]
        let resent = retransmission == nil && !keys.isEmpty && keys.allSatisfy(seen.contains)
        sentMessages[from, default: []].formUnion(keys)
        let record = DatagramRecord(time: elapsed, from: from, to: to, payload: payload, lost: lost,
                                    summary: summary, retransmission: retransmission, resent: resent)
        append(.datagram(record))
    }

    /// The timer fired on `side`; the datagrams it sends next are the resent flight.
    func retransmission(side: String, info: DTLSRetransmission) {
        pendingRetransmission[side] = info.count
        append(.retransmission(side: side, time: elapsed, info: info))
    }

    /// Anything else `side` did ends the resent flight.
    func endRetransmission(side: String) { pendingRetransmission[side] = nil }

    func alert(side: String, alert: DTLSAlert) { append(.alert(side: side, time: elapsed, alert: alert)) }

    func note(_ text: String) { append(.note(time: elapsed, text: text)) }

    var datagrams: [DatagramRecord] {
        entries.compactMap { if case let .datagram(record) = $0 { return record } else { return nil } }
    }

    var retransmissionCount: Int {
        entries.filter { if case .retransmission = $0 { return true } else { return false } }.count
    }

    private func append(_ entry: LogEntry) {
        entries.append(entry)
        guard live else { return }
        for line in Self.lines(for: entry, verbose: verbose) { print(line) }
        // Live means live even into a pipe or a file (a lesson's `| tee`, a test reading lines).
        fflush(nil)
    }

    // MARK: - Formatting

    static let header = "    time   direction           size  records / handshake messages"

    static func lines(for entry: LogEntry, verbose: Bool) -> [String] {
        switch entry {
        case let .datagram(record):
            let direction = pad("\(record.from) -> \(record.to)", 18)
            let size = leftPad("\(record.payload.count) B", 7)
            var line = "\(stamp(record.time))  \(direction) \(size)  \(contents(record.summary))"
            if let count = record.retransmission { line += "  [retransmission #\(count)]" }
            if record.resent {
                // Our own sides resend when the other repeats its flight; a remote peer's reason is unknown to us.
                line += record.from == "peer" ? "  [resent by the peer]" : "  [resent: the other side repeated its flight]"
            }
            if record.lost { line += "  ** LOST (--loss) **" }
            var lines = [line]
            if verbose {
                lines += DTLSDissector.dissect(record.payload).render(bytes: record.payload, indent: 7)
            }
            return lines
        case let .retransmission(side, time, info):
            return ["\(stamp(time))  \(side): retransmission timer (\(millis(info.expiredTimeout))) expired, "
                    + "resending its last flight; next timer \(millis(info.nextTimeout)) (doubled)"]
        case let .alert(side, time, alert):
            return ["\(stamp(time))  \(side): \(alert.direction == .sent ? "sent" : "received") \(alert.level) alert \(alert.alertDescription.name)"]
        case let .note(time, text):
            return ["\(stamp(time))  \(text)"]
        }
    }

    /// "ServerHello (seq 1, 62 B), Certificate (seq 2, 318 B), ..." with sizes.
    static func contents(_ summary: DTLSFlightSummary) -> String {
        summary.entries.map(entryText).joined(separator: ", ")
    }

    static func entryText(_ entry: DTLSFlightSummary.Entry) -> String {
        if let fragment = entry.fragment {
            return "\(entry.name) (fragment \(fragment.offset)+\(fragment.length) of \(entry.length) B)"
        }
        if let detail = entry.detail { return "\(entry.name) (\(detail))" }
        if let sequence = entry.messageSequence { return "\(entry.name) (seq \(sequence), \(entry.length) B)" }
        return "\(entry.name) (\(entry.length) B)"
    }

    static func stamp(_ time: Duration) -> String { leftPad(String(format1(time.milliseconds)) + " ms", 10) }

    static func millis(_ duration: Duration) -> String { "\(format1(duration.milliseconds)) ms" }

    /// One decimal, without Foundation's String(format:).
    static func format1(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        return "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}

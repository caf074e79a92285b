import DataTransport
import SCTP
@testable import sctp_streams
import Wire

/// Builds the reports and trains the unit tests read, without sockets.
enum Fixture {
    /// The run settings `arguments` give (validated as on the command line).
    static func settings(_ arguments: [String]) throws -> RunSettings {
        try RunSettings(StreamsCommand.parse(arguments))
    }

    /// One mode's counts: `sent` messages, of which `delivered` arrived, `late` of those
    /// 50 ms after the others, and `abandoned` reported given up.
    static func statistics(_ mode: DeliveryMode, modeIndex: Int, sent: Int, delivered: Int, late: Int = 0,
                           abandoned: Int = 0) -> ModeStatistics {
        var stats = ModeStatistics(mode: mode, streams: 1)
        let start = Instant(nanoseconds: 1_000_000_000)
        for _ in 0..<sent { stats.noteSent(at: start) }
        for sequence in 0..<delivered {
            let stamp = MessageStamp(modeIndex: modeIndex, streamIndex: 0, sequence: UInt32(sequence), sentAt: start)
            let latency: Duration = sequence < late ? .milliseconds(60) : .milliseconds(10)
            stats.noteDelivered(stamp, size: 100, intact: true, at: start + latency)
        }
        stats.abandoned = abandoned
        return stats
    }

    /// A finished run of `modes`: reliable modes deliver all 10, unreliable ones lose
    /// `unreliableLost`; ordered modes have 3 late messages; `dropped` datagrams lost.
    static func report(_ modes: [DeliveryMode], loss: String = "0.03", unreliableLost: Int = 2, lateOrdered: Int = 3,
                       dropped: Int = 12) throws -> RunReport {
        let names = modes.map(\.rawValue).joined(separator: ",")
        var report = RunReport(settings: try settings(["--modes", names, "--loss", loss, "--messages", "10"]))
        report.modes = modes.enumerated().map { index, mode in
            let lost = mode.isReliable ? 0 : unreliableLost
            return statistics(mode, modeIndex: index, sent: 10, delivered: 10 - lost,
                              late: mode.isOrdered ? lateOrdered : 0, abandoned: lost)
        }
        report.datagrams.emitted = 200
        report.datagrams.droppedByLoss = dropped
        return report
    }
}

/// Stands in for the client's SCTPTransport: accepts every message.
final class AcceptingSink: MessageSink {
    private(set) var sent: [(stream: UInt16, bytes: [UInt8])] = []
    func send(_ bytes: [UInt8], stream: UInt16, ppid: UInt32, options: SCTPSendOptions) throws(DataTransportError) {
        sent.append((stream, bytes))
    }
    var queuedBytes: Int { 0 }
}

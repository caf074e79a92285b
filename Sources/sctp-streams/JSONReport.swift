import Foundation
import ToolSupport

/// --json: one document with the settings, the setup figures and one entry per
/// delivery mode (latencies in ms, throughput in bytes per second).
struct JSONReport: ToolJSONDocument {
    struct Mode: Encodable {
        let mode: String
        let ordered: Bool
        let reliable: Bool
        let streams: Int
        let sent: Int
        let delivered: Int
        let lost: Int
        let inFlight: Int
        let abandoned: Int
        let outOfOrder: Int
        let late: Int
        let duplicates: Int
        let corrupted: Int
        let bytesDelivered: Int
        let p50Ms: Double?
        let p90Ms: Double?
        let p99Ms: Double?
        let maxMs: Double?
        let durationMs: Double?
        let throughputBytesPerSecond: Double?
    }

    let ok: Bool
    let exitCode: Int32
    let error: String?
    let addresses: [String]
    let loss: Double
    let delayMs: Double
    let seed: UInt64
    let messages: Int
    let size: Int
    let streamsPerMode: Int
    let intervalMs: Double
    let partialReliability: String
    let maxRetransmits: Int?
    let lifetimeMs: Int?
    let dtlsHandshakeMs: Double?
    let cipherSuite: String?
    let associationMs: Double?
    let maximumMessageSize: Int?
    let ownMaxMessageSize: Int?
    let advertisedMaxMessageSize: Int?
    let unsettledReason: String?
    let rtoMinMs: Double?
    let udpBuffers: RunReport.SocketBuffers?
    let datagrams: RunReport.DatagramCounts
    let modes: [Mode]
    /// --use-exercise: what the student's exercise 12 receiver did (absent otherwise).
    let exercise: RunReport.ExerciseSummary?
    let wallMs: Double

    init(_ report: RunReport) {
        let settings = report.settings
        ok = report.exit == .success
        exitCode = report.exit.rawValue
        error = report.error
        addresses = report.localAddresses
        loss = settings.loss
        delayMs = settings.delayMs
        seed = settings.seed
        messages = settings.messages
        size = settings.size
        streamsPerMode = settings.streamsPerMode
        intervalMs = settings.intervalMs
        partialReliability = settings.partialReliability.description
        switch settings.partialReliability {
        case let .maxRetransmits(count): maxRetransmits = count; lifetimeMs = nil
        case let .lifetime(milliseconds): maxRetransmits = nil; lifetimeMs = milliseconds
        }
        dtlsHandshakeMs = report.dtlsHandshakeMs
        cipherSuite = report.cipherSuite
        associationMs = report.associationMs
        maximumMessageSize = report.maximumMessageSize
        ownMaxMessageSize = report.ownMaxMessageSize
        advertisedMaxMessageSize = report.advertisedMaxMessageSize
        unsettledReason = report.unsettledReason
        rtoMinMs = report.rtoMinMs
        udpBuffers = report.buffers
        datagrams = report.datagrams
        modes = report.modes.map { stats in
            Mode(mode: stats.mode.rawValue, ordered: stats.mode.isOrdered, reliable: stats.mode.isReliable,
                 streams: stats.streams, sent: stats.sent, delivered: stats.delivered, lost: stats.lost, inFlight: stats.inFlight,
                 abandoned: stats.abandoned, outOfOrder: stats.outOfOrder, late: stats.late, duplicates: stats.duplicates,
                 corrupted: stats.corrupted, bytesDelivered: stats.deliveredBytes,
                 p50Ms: stats.latencyPercentile(0.5), p90Ms: stats.latencyPercentile(0.9), p99Ms: stats.latencyPercentile(0.99),
                 maxMs: stats.latencyPercentile(1), durationMs: stats.durationMs,
                 throughputBytesPerSecond: stats.throughputBytesPerSecond)
        }
        exercise = report.exercise
        wallMs = report.wallMs
    }
}

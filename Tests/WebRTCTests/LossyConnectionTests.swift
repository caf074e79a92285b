import DataChannels
import Foundation
import Testing
import Wire
@testable import WebRTC

/// The whole stack under loss (issue 13, §4 "DTLS under loss", extended to a
/// PeerConnection): 30 % of all datagrams, both ways, are dropped before they leave
/// (`PeerConnectionHost.setSendFilter`), and every layer's retransmissions (ICE checks,
/// DTLS flights, SCTP INIT and DATA, the DCEP OPEN) still bring the channel up.
@Suite("PeerConnection at 30 % loss: the channel opens and carries a message, 20 seeds", .serialized)
struct LossyConnectionTests {
    /// Drops each datagram with probability `loss`, decided by a seeded generator in send
    /// order (the order depends on timing, so a seed fixes the loss rate, not the pattern).
    final class Loss: @unchecked Sendable {
        // @unchecked: only the host's loop thread calls `keep`, after `perform` installed it.
        private var random: SplitMix64
        private let loss: Double
        private(set) var sent = 0
        private(set) var dropped = 0

        init(seed: UInt64, loss: Double) {
            random = SplitMix64(seed: seed)
            self.loss = loss
        }

        func keep(_ datagram: Datagram) -> Bool {
            sent += 1
            if Double.random(in: 0..<1, using: &random) < loss { dropped += 1; return false }
            return true
        }
    }

    /// One seed: a fresh host whose loop drops 30 %, two connections, a channel, one message each way.
    static func run(seed: UInt64) async throws -> (sent: Int, dropped: Int) {
        let host = PeerConnectionHost(name: "lossy-\(seed)")
        let loss = Loss(seed: seed, loss: 0.3)
        try await host.perform { host.setSendFilter { loss.keep($0) } }
        // Shorter first timers than the defaults (DTLS and SCTP start at 1 s) keep 20 seeds
        // quick; the schedules still double from there, as the RFCs say.
        var configuration = PeerConnectionConfiguration()
        configuration.dtlsInitialRetransmitTimeout = .milliseconds(200)
        configuration.sctpInitialRTO = .milliseconds(200)
        let pair = try await PeerPair.make(offererConfiguration: configuration, answererConfiguration: configuration, host: host)
        let channel = try await pair.offerer.createDataChannel("lossy")
        try await pair.connect(timeout: .seconds(90))
        let incoming = try await PeerPair.firstIncoming(pair.answerer, timeout: .seconds(60))
        #expect(try await PeerPair.within(.seconds(60)) { await channel.waitUntilOpen() } == .open, "seed \(seed)")
        try await channel.send("through the loss \(seed)")
        #expect(try await PeerPair.next(incoming, timeout: .seconds(60)) == .text("through the loss \(seed)"), "seed \(seed)")
        try await incoming.send("back \(seed)")
        #expect(try await PeerPair.next(channel, timeout: .seconds(60)) == .text("back \(seed)"), "seed \(seed)")
        await pair.close()
        return try await host.perform { (loss.sent, loss.dropped) }
    }

    @Test("seeds 1 to 20, ten at a time: every channel opens and both messages cross")
    func twentySeeds() async throws {
        var totals = (sent: 0, dropped: 0)
        for group in stride(from: 1, through: 20, by: 10) {
            try await withThrowingTaskGroup(of: (sent: Int, dropped: Int).self) { tasks in
                for seed in group..<(group + 10) { tasks.addTask { try await Self.run(seed: UInt64(seed)) } }
                for try await counts in tasks {
                    totals.sent += counts.sent
                    totals.dropped += counts.dropped
                }
            }
        }
        print("lossy PeerConnections: 20 seeds, \(totals.dropped) of \(totals.sent) datagrams dropped")
        // The filter really was in the path, at about the rate asked for.
        #expect(totals.sent > 0 && Double(totals.dropped) / Double(totals.sent) > 0.2)
    }
}

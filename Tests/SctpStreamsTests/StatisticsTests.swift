@testable import sctp_streams
import Testing
import Wire

/// One mode's statistics after `latenciesMs[k]` was the latency of the k-th delivery,
/// the deliveries coming in the order `sequences`.
private func statistics(latenciesMs: [Int64], sequences: [UInt32]? = nil) -> ModeStatistics {
    var stats = ModeStatistics(mode: .reliableUnordered, streams: 1)
    let start = Instant(nanoseconds: 5_000_000_000)
    for _ in latenciesMs { stats.noteSent(at: start) }
    for (index, latency) in latenciesMs.enumerated() {
        let stamp = MessageStamp(modeIndex: 0, streamIndex: 0, sequence: sequences?[index] ?? UInt32(index), sentAt: start)
        stats.noteDelivered(stamp, size: 1000, intact: true, at: start + .milliseconds(latency))
    }
    return stats
}

@Suite("sctp-streams: the per-mode figures")
struct StatisticsTests {
    @Test("percentiles are nearest-rank over the deliveries: p50 of 1...100 ms is 50, p90 90, p99 99, max 100")
    func percentiles() {
        let stats = statistics(latenciesMs: Array((1...100).reversed()))
        #expect(stats.latencyPercentile(0.5) == 50)
        #expect(stats.latencyPercentile(0.9) == 90)
        #expect(stats.latencyPercentile(0.99) == 99)
        #expect(stats.latencyPercentile(1) == 100)
        #expect(statistics(latenciesMs: [7]).latencyPercentile(0.01) == 7)
        #expect(statistics(latenciesMs: []).latencyPercentile(0.5) == nil)
    }

    @Test("late means more than 5 ms above the median, not at it")
    func late() {
        // Median 10 ms: 15 ms is exactly at the margin (not late), 16 and 60 ms are late.
        #expect(statistics(latenciesMs: [10, 10, 10, 15, 16, 60, 9]).late == 2)
    }

    @Test("out of order counts each message that came after a later one of its stream, once")
    func outOfOrder() {
        // 1, 2, 3 overtook 0: one message (0) came late, so one out-of-order delivery, not three.
        #expect(statistics(latenciesMs: [10, 10, 10, 40], sequences: [1, 2, 3, 0]).outOfOrder == 1)
        #expect(statistics(latenciesMs: [10, 10, 10, 10], sequences: [0, 2, 1, 3]).outOfOrder == 1)
        #expect(statistics(latenciesMs: [10, 10, 10], sequences: [0, 1, 2]).outOfOrder == 0)
    }

    @Test("a second delivery of a message is a duplicate, not a delivery")
    func duplicates() {
        let stats = statistics(latenciesMs: [10, 10, 10], sequences: [0, 1, 1])
        #expect(stats.delivered == 2 && stats.duplicates == 1 && stats.deliveredBytes == 2000)
    }

    @Test("throughput is the bytes delivered over first send to last delivery")
    func throughput() {
        // 4 x 1000 B, all sent at once, the last delivered after 40 ms: 100 kB/s.
        let stats = statistics(latenciesMs: [10, 20, 30, 40])
        #expect(stats.durationMs == 40)
        #expect(stats.throughputBytesPerSecond.map { abs($0 - 100_000) < 1e-6 } == true, "\(String(describing: stats.throughputBytesPerSecond))")
    }
}

@Suite("sctp-streams: how a run ends")
struct VerdictTests {
    private func run() throws -> LoopbackRun {
        try LoopbackRun(command: StreamsCommand.parse(["--modes", "reliable-ordered", "--messages", "2", "--timeout", "0.5"]))
    }

    @Test("--timeout before DTLS is up is a handshake failure (3), before SCTP is up an association failure (4)")
    func timeoutBelowTheTrains() throws {
        let early = try run()
        #expect(early.verdict(timedOut: true)?.exit == .handshakeFailure)
        #expect(early.verdict(timedOut: true)?.message == "DTLS: no handshake within --timeout (0.50 s)")
        early.dtlsUpAt = Instant(nanoseconds: 1)
        #expect(early.verdict(timedOut: true)?.exit == .associationFailure)
        #expect(early.verdict(timedOut: true)?.message == "the SCTP association did not come up within --timeout (0.50 s)")
    }

    @Test("--timeout once the trains run is exit 5; a failure seen first wins; a clean end has no verdict")
    func timeoutDuringTheTrains() throws {
        let sending = try run()
        sending.dtlsUpAt = Instant(nanoseconds: 1)
        sending.sendingSince = Instant(nanoseconds: 2)
        #expect(sending.verdict(timedOut: true)?.exit == .timedOut)
        #expect(sending.verdict(timedOut: false) == nil)
        sending.failure = StreamsFailure(.associationFailure, "aborted")
        #expect(sending.verdict(timedOut: true)?.message == "aborted")
    }
}

@Suite("sctp-streams: the sender's tick")
struct SenderTickTests {
    @Test("1 ms for the default pace and flat out, a tenth of the slot spacing for slow trains, never above 10 ms")
    func tick() {
        #expect(LoopbackRun.senderTick(intervalMs: 5, lanes: 4) == .milliseconds(1))
        #expect(LoopbackRun.senderTick(intervalMs: 0, lanes: 4) == .milliseconds(1))
        #expect(LoopbackRun.senderTick(intervalMs: 40, lanes: 1) == .milliseconds(4))
        #expect(LoopbackRun.senderTick(intervalMs: 2000, lanes: 4) == .milliseconds(10))
    }
}

@Suite("ToolTestSupport: exit statuses")
struct ToolRunStatusTests {
    @Test("a program killed by a signal reports 128 + the signal, never a number a tool uses as an exit code")
    func signalled() throws {
        let trapped = try shell("kill -TRAP $$")
        #expect(trapped.status == 128 + 5)
        #expect(try shell("exit 5").status == 5)
    }
}

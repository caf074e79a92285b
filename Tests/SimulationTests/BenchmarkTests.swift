import Simulation
import Testing
import Wire

@Suite("virtual time")
struct BenchmarkTests {
    /// Sixty simulated seconds of pings every 10 ms over a lossy, jittery path. The wall
    /// time is printed for the report, never asserted (no timed tests).
    @Test("sixty simulated seconds run in virtual time")
    func sixtySeconds() throws {
        let conditions = LinkConditions(delay: .milliseconds(20), jitter: .milliseconds(5), loss: 0.01,
                                        duplication: 0.01, reordering: 0.01, reorderingDelay: .milliseconds(15))
        let run = try PingEcho(seed: 60, conditions: conditions, count: 6_000)
        let clock = ContinuousClock()
        let started = clock.now
        run.network.run(until: .seconds(60))
        let elapsed = clock.now - started
        let trace = run.network.trace
        print("simulation benchmark: 60 simulated s, \(trace.sends().count) datagrams sent, "
            + "\(trace.entries.count) trace entries, wall time \(elapsed)")
        #expect(run.network.now == .seconds(60))
        #expect(run.network.endpoint(run.pinger).sent == 6_000)
        #expect(run.network.events(of: run.pinger).count > 5_700)
    }
}

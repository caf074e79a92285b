import Simulation
import Testing
import Wire

@Suite("determinism")
struct DeterminismTests {
    static let rough = LinkConditions(delay: .milliseconds(15), jitter: .milliseconds(8), loss: 0.1,
                                      duplication: 0.05, reordering: 0.05, reorderingDelay: .milliseconds(20))

    func run(seed: UInt64) throws -> (Trace, [TimedEvent<Pinger.Event>]) {
        let run = try PingEcho(seed: seed, conditions: Self.rough, count: 300)
        run.network.run(until: .seconds(5))
        return (run.network.trace, run.network.events(of: run.pinger))
    }

    @Test("the same seed reproduces the identical trace and events")
    func sameSeed() throws {
        let (first, firstEvents) = try run(seed: 2024)
        let (second, secondEvents) = try run(seed: 2024)
        #expect(first.entries.count > 600)
        #expect(first == second)
        #expect(firstEvents == secondEvents)
    }

    @Test("a different seed gives a different trace")
    func differentSeed() throws {
        let (first, _) = try run(seed: 2024)
        let (second, _) = try run(seed: 2025)
        #expect(first != second)
        #expect(first.sends().count != second.sends().count || first.drops() != second.drops()
            || first.deliveries().map(\.time) != second.deliveries().map(\.time))
    }

    @Test("a perfect network draws no randomness: the seed does not matter")
    func perfectIgnoresSeed() throws {
        let first = try PingEcho(seed: 1, conditions: .delay(.milliseconds(3)), count: 50)
        let second = try PingEcho(seed: 99, conditions: .delay(.milliseconds(3)), count: 50)
        first.network.run(until: .seconds(1))
        second.network.run(until: .seconds(1))
        #expect(first.network.trace == second.network.trace)
    }
}

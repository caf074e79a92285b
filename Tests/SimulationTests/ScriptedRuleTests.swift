import Simulation
import Testing
import Wire

@Suite("scripted rules")
struct ScriptedRuleTests {
    @Test("drop-first-N drops exactly the first N matching datagrams, then lets the rest through")
    func dropFirst() throws {
        let run = try PingEcho(seed: 1, conditions: .delay(.milliseconds(10)), interval: .milliseconds(100), count: 6)
        run.network.addRule(.dropFirst(3, matching: .from(run.alice, to: run.bob), name: "lose 3"))
        run.network.run(until: .seconds(2))
        let drops = run.network.trace.drops()
        #expect(drops.map(\.time) == [.zero, .milliseconds(100), .milliseconds(200)])
        #expect(drops.allSatisfy { $0.dropReason == .scripted(rule: "lose 3") })
        #expect(run.arrivalsAtBob == [3, 4, 5])
        #expect(run.network.events(of: run.pinger).map(\.value) == [3, 4, 5].map { .received(sequence: $0) })
        #expect(run.network.ruleDrops.map(\.dropped) == [3])
    }

    @Test("a rule only matches the datagrams it names: replies are untouched")
    func matchesDirection() throws {
        let run = try PingEcho(seed: 1, interval: .milliseconds(100), count: 3)
        run.network.addRule(.dropFirst(2, matching: DatagramMatch(sourceIP: run.bob.ip)))
        run.network.run(until: .seconds(1))
        #expect(run.arrivalsAtBob == [0, 1, 2])
        #expect(run.network.events(of: run.pinger).map(\.value) == [.received(sequence: 2)])
    }

    @Test("an outage drops everything sent in [start, end) in both directions, then the path heals")
    func outage() throws {
        let run = try PingEcho(seed: 1, conditions: .delay(.milliseconds(20)), interval: .milliseconds(100), count: 30)
        run.network.addRule(.outage(from: .seconds(1), until: .seconds(2)))
        run.network.run(until: .seconds(4))
        let dropped = run.network.trace.drops().map(\.time)
        // Pings sent at 1000...1900 ms are lost. No echo falls inside the window: the last
        // ping before it, sent at 900 ms, is echoed at 920 ms.
        #expect(dropped == (10..<20).map { Instant.milliseconds(Int64($0) * 100) })
        #expect(run.arrivalsAtBob == Array(0..<10) + Array(20..<30))
    }

    @Test("an outage also catches replies sent inside the window")
    func outageCatchesReplies() throws {
        let run = try PingEcho(seed: 1, conditions: .delay(.milliseconds(60)), interval: .milliseconds(100), count: 3)
        run.network.addRule(.outage(from: .milliseconds(150), until: .milliseconds(200)))
        run.network.run(until: .seconds(1))
        // Ping 1 leaves at 100 and reaches bob at 160: bob's echo at 160 is inside the window.
        #expect(run.arrivalsAtBob == [0, 1, 2])
        #expect(run.network.events(of: run.pinger).map(\.value) == [.received(sequence: 0), .received(sequence: 2)])
        #expect(run.network.trace.drops().map(\.time) == [.milliseconds(160)])
    }

    @Test("a predicate narrows a rule to the datagrams it recognises")
    func predicate() throws {
        let run = try PingEcho(seed: 1, interval: .milliseconds(100), count: 4)
        run.network.addRule(.dropAll(matching: DatagramMatch(where: { Pinger.sequence(of: $0.payload) % 2 == 1 }),
                                     name: "odd"))
        run.network.run(until: .seconds(1))
        #expect(run.arrivalsAtBob == [0, 2])
    }
}

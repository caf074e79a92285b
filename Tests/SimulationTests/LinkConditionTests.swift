import Simulation
import Testing
import Wire

@Suite("link conditions")
struct LinkConditionTests {
    @Test("a fixed delay delivers at exactly send time plus delay, both ways")
    func exactDelay() throws {
        let run = try PingEcho(seed: 1, conditions: .delay(.milliseconds(50)), interval: .milliseconds(100), count: 3)
        run.network.run(until: .seconds(1))
        #expect(run.network.trace.sends(from: run.alice).map(\.time) == [.zero, .milliseconds(100), .milliseconds(200)])
        #expect(run.network.trace.deliveries(to: run.bob).map(\.time)
            == [.milliseconds(50), .milliseconds(150), .milliseconds(250)])
        #expect(run.network.events(of: run.pinger).map(\.time)
            == [.milliseconds(100), .milliseconds(200), .milliseconds(300)])
        #expect(run.network.events(of: run.pinger).map(\.value) == [.received(sequence: 0), .received(sequence: 1),
                                                                     .received(sequence: 2)])
    }

    @Test("jitter stays within delay ... delay + jitter and actually varies")
    func jitterBounds() throws {
        let conditions = LinkConditions(delay: .milliseconds(20), jitter: .milliseconds(10))
        let run = try PingEcho(seed: 7, conditions: conditions, count: 1000)
        run.network.run(until: .seconds(20))
        let latencies = run.latenciesToBob
        #expect(latencies.count == 1000)
        #expect(latencies.allSatisfy { $0 >= .milliseconds(20) && $0 <= .milliseconds(30) })
        let spread = latencies.max()! - latencies.min()!
        #expect(spread > .milliseconds(9))  // uniform over 10 ms: 1000 draws cover nearly all of it
    }

    @Test("a seeded 20% loss over 10k datagrams lands in a wide statistical band")
    func lossRate() throws {
        let run = try PingEcho(seed: 42, conditions: LinkConditions(loss: 0.2), back: .perfect,
                               interval: .milliseconds(1), count: 10_000)
        run.network.run(until: .seconds(11))
        let lost = run.network.trace.drops(.loss).count
        // Binomial(10000, 0.2): mean 2000, sigma 40; the band is about +-7 sigma.
        #expect((1_700...2_300).contains(lost))
        #expect(run.network.trace.deliveries(to: run.bob).count == 10_000 - lost)
        #expect(run.network.events(of: run.echo).count == 10_000 - lost)
    }

    @Test("duplication delivers copies with the same bytes and their own packet number")
    func duplication() throws {
        let run = try PingEcho(seed: 3, conditions: LinkConditions(delay: .milliseconds(5), duplication: 0.25),
                               back: .perfect, count: 1000)
        run.network.run(until: .seconds(11))
        let copies = run.network.trace.duplicates
        #expect((150...350).contains(copies.count))  // mean 250, sigma ~14
        #expect(run.network.trace.deliveries(to: run.bob).count == 1000 + copies.count)
        let arrivals = run.arrivalsAtBob
        #expect(Set(arrivals).count == 1000)
        for copy in copies {
            guard case let .duplicated(_, original, _) = copy.event else { continue }
            #expect(copy.packet != original)
        }
    }

    @Test("reordering holds some datagrams back so later ones overtake them")
    func reordering() throws {
        let conditions = LinkConditions(delay: .milliseconds(5), reordering: 0.2, reorderingDelay: .milliseconds(30))
        let run = try PingEcho(seed: 11, conditions: conditions, count: 500)
        run.network.run(until: .seconds(6))
        let arrivals = run.arrivalsAtBob
        #expect(arrivals.count == 500)
        let inversions = zip(arrivals, arrivals.dropFirst()).filter { $0 > $1 }.count
        #expect(inversions > 50)  // ~100 held back, each overtaken by the next two pings
        #expect(run.latenciesToBob.allSatisfy { $0 == .milliseconds(5) || $0 == .milliseconds(35) })

        let control = try PingEcho(seed: 11, conditions: .delay(.milliseconds(5)), count: 500)
        control.network.run(until: .seconds(6))
        #expect(control.arrivalsAtBob == Array(0..<500))
    }

    @Test("datagrams over the MTU are dropped with their IP size, headers included")
    func mtu() throws {
        for (payload, delivered) in [(72, true), (73, false)] {
            let run = try PingEcho(seed: 1, conditions: LinkConditions(mtu: 100), count: 1, payloadSize: payload)
            run.network.run(until: .seconds(1))
            #expect(run.network.trace.deliveries(to: run.bob).count == (delivered ? 1 : 0))
            if !delivered {
                #expect(run.network.trace.drops().map(\.dropReason) == [.tooBig(size: 101, mtu: 100)])
            }
        }
        let v6 = Datagram(from: TransportAddress("[2001:db8::1]:1"), to: TransportAddress("[2001:db8::2]:2"),
                          payload: [UInt8](repeating: 0, count: 1200))
        #expect(LinkConditions.ipPacketSize(of: v6) == 1248)
    }

    @Test("out-of-range conditions are rejected as API misuse", arguments: [
        LinkConditions(loss: 1.5), LinkConditions(duplication: -0.1), LinkConditions(delay: .milliseconds(-1)),
        LinkConditions(mtu: 20),
    ])
    func invalid(conditions: LinkConditions) throws {
        let network = SimulatedNetwork(seed: 1)
        try network.addHost("a", addresses: [IPAddress(literal: "10.0.0.1")])
        #expect(throws: SimulationError.self) { try network.setLink(from: "a", to: "a", conditions) }
    }
}

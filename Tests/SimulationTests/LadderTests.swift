import Simulation
import Testing
import Wire

@Suite("ladder diagrams")
struct LadderTests {
    @Test("draws sends, replies and drops between two columns, in departure order")
    func twoColumns() throws {
        let run = try PingEcho(seed: 1, conditions: .delay(.milliseconds(50)), interval: .milliseconds(500), count: 2)
        run.network.addRule(.dropFirst(1, name: "first"))
        run.network.run(until: .seconds(2))
        let ladder = run.network.trace.ladder(columns: ["alice", "bob"], spacing: 24)
        print(ladder)
        let lines = ladder.split(separator: "\n").map(String.init)
        #expect(lines == [
            "  sent ms     at ms  alice                   bob",
            "                     |                       |",
            "    0.000     0.000  |-- #1 8 B -------X     |  dropped: scripted (first)",
            "  500.000   550.000  |-- #2 8 B ------------>|",
            "  550.000   600.000  |<-- #3 8 B ------------|",
        ])
        let log = run.network.trace.log.split(separator: "\n")
        #expect(log.first == "t=0.000ms #1 sent 10.0.0.1:5000 -> 10.0.0.2:7000 (8 B) by alice")
        #expect(log.contains("t=0.000ms #1 dropped at alice (scripted (first)) 10.0.0.1:5000 -> 10.0.0.2:7000 (8 B)"))
        #expect(log.contains("t=550.000ms #2 delivered 10.0.0.1:5000 -> 10.0.0.2:7000 (8 B) alice->bob"))
    }

    @Test("middleboxes appear as columns when asked, and are skipped over when not")
    func throughMiddlebox() throws {
        let network = SimulatedNetwork(seed: 1, conditions: .delay(.milliseconds(10)))
        let lan = try network.addRealm(behind: "fw", middlebox: UDPFirewall(policy: .blockPorts([9])))
        let alice = TransportAddress("192.168.1.2:4000"), server = TransportAddress("198.51.100.1:5000")
        let inside = try network.addHost("alice", addresses: [alice.ip], in: lan)
        try network.addHost("server", addresses: [server.ip])
        _ = try network.attach(EchoEndpoint(), at: server)
        _ = try network.attach(Pinger(from: alice, to: server, interval: .seconds(1), count: 1), on: inside, at: [alice])
        network.run(until: .seconds(1))
        let three = network.trace.ladder(columns: ["alice", "fw", "server"], spacing: 20) { _ in "ping" }
        print(three)
        #expect(three.split(separator: "\n").count == 2 + 4)
        #expect(three.contains("    0.000     0.000  |-- #1 ping ------->|                   |"))
        #expect(three.contains("    0.000    10.000  |                   |-- #1 ping ------->|"))
        let two = network.trace.ladder(columns: ["alice", "server"], spacing: 20) { _ in "ping" }
        #expect(two.split(separator: "\n").count == 2 + 2)
        #expect(two.contains("   10.000    20.000  |<-- #2 ping -------|"))
    }
}

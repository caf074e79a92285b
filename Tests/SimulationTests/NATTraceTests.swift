import Simulation
import Testing
import Wire

@Suite("NAT trace story")
struct NATTraceTests {
    @Test("the trace tells every translation and every filtered drop, with reasons")
    func story() throws {
        let lab = try NATLab(.portRestrictedCone, conditions: .delay(.milliseconds(10)))
        let mapped = TransportAddress(NATLab.publicIP, 4000)
        lab.aliceSends(to: lab.s1, at: .zero)
        lab.serverSends(0, to: mapped, at: .milliseconds(100))  // the answer: admitted
        lab.serverSends(1, to: mapped, at: .milliseconds(200))  // same IP, other port: filtered
        lab.network.run(until: .seconds(1))
        #expect(lab.network.trace.log == """
            t=0.000ms #1 sent 192.168.1.2:4000 -> 198.51.100.1:3478 (3 B) by alice
            t=0.000ms #1 forwarded outbound by nat: 192.168.1.2:4000 -> 198.51.100.1:3478 became \
            203.0.113.5:4000 -> 198.51.100.1:3478 (3 B)
            t=10.000ms #1 delivered 203.0.113.5:4000 -> 198.51.100.1:3478 (3 B) nat->s1
            t=100.000ms #2 sent 198.51.100.1:3478 -> 203.0.113.5:4000 (3 B) by s1
            t=110.000ms #2 forwarded inbound by nat: 198.51.100.1:3478 -> 203.0.113.5:4000 became \
            198.51.100.1:3478 -> 192.168.1.2:4000 (3 B)
            t=110.000ms #2 delivered 198.51.100.1:3478 -> 192.168.1.2:4000 (3 B) nat->alice
            t=200.000ms #3 sent 198.51.100.1:3479 -> 203.0.113.5:4000 (3 B) by s1
            t=210.000ms #3 dropped at nat (nat: filtered by port-restricted cone NAT: 203.0.113.5:4000 \
            (192.168.1.2:4000) has not sent to 198.51.100.1:3479) 198.51.100.1:3479 -> 203.0.113.5:4000 (3 B)

            """)
        let ladder = lab.network.trace.ladder(columns: ["alice", "nat", "s1"], spacing: 24)
        let rows = ladder.split(separator: "\n").filter { $0.contains(" #") }
        #expect(rows.count == 5)
        #expect(rows.last?.hasSuffix("X-- #3 3 B -------|  dropped: nat: filtered by port-restricted cone NAT: "
            + "203.0.113.5:4000 (192.168.1.2:4000) has not sent to 198.51.100.1:3479") == true)
    }
}

import Foundation
import Testing

@Suite("ice-check --simulate: the same story behind simulated NATs, in virtual time")
struct SimulateRunTests {
    @Test("full-cone on both sides connects over server-reflexive candidates, with a ladder diagram")
    func fullCone() throws {
        let run = try IceCheck.run(["--simulate", "full-cone,full-cone"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("gathered srflx candidate 203.0.113.1:"))
        #expect(run.stdout.contains("2^24×100 + 2^8×65535 + (256−1) = 1694498815"))
        #expect(run.stdout.contains("Outcome: connected: selected pair srflx/srflx"))
        // The ladder: a header naming the columns 40 characters apart, then arrows.
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.contains("sent ms") && $0.contains("left-nat") })
        let left = try #require(header.range(of: "left-nat")).lowerBound, servers = try #require(header.range(of: "servers")).lowerBound
        #expect(header.distance(from: left, to: servers) == 40)
        #expect(lines.contains { $0.contains("|-- #") && $0.contains("STUN Binding request") && $0.contains("->|") })
        #expect(lines.contains { $0.contains("<-- #") && $0.contains("success 203.0.113.1:") })
        #expect(lines.contains { $0.contains("check USE-CANDIDATE") })
    }

    @Test("symmetric on both sides connects only through the TURN relay, which the tool documents")
    func symmetricUsesRelay() throws {
        let run = try IceCheck.run(["--simulate", "symmetric,symmetric", "--json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try run.json()
        #expect(object["connected"] as? Bool == true)
        let selected = try #require(object["selected_pair"] as? [String: Any])
        let types = [selected["local_type"] as? String, selected["remote_type"] as? String]
        #expect(types.contains("relay"), "selected \(types)")
        #expect((object["ladder"] as? String)?.contains("left-nat") == true)
        let help = try IceCheck.run(["--help"])
        #expect(help.stdout.contains("a relay is selected only where hole punching cannot work"))
    }

    @Test("symmetric on both sides without TURN fails with exit code 6 and says a relay was needed")
    func symmetricWithoutRelayFails() throws {
        let run = try IceCheck.run(["--simulate", "symmetric,symmetric", "--no-turn"])
        #expect(run.status == 6)
        #expect(run.errorLines.count == 1)
        #expect(run.stderr.contains("ICE failed") && run.stderr.contains("TURN relay"))
        #expect(run.stdout.contains("none (state failed)"))
        #expect(run.stdout.contains("dropped: "))
    }

    @Test("udp-blocked connects through a relay reached over TCP: the UDP Allocate dies at the firewall, the TCP one passes")
    func udpBlockedUsesTURNOverTCP() throws {
        let run = try IceCheck.run(["--simulate", "udp-blocked,full-cone", "--seed", "1"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("TURN over TCP 192.0.2.2:443 for left"))
        #expect(run.stdout.contains("Outcome: connected: selected pair relay/srflx"))
        #expect(run.stdout.contains("left's relayed candidate 192.0.2.2:") && run.stdout.contains("is reached over TCP"))
        let lines = run.stdout.split(separator: "\n").map(String.init)
        // The ladder: the UDP Allocate is dropped at left-nat (the firewall), the TCP one and its answers pass.
        #expect(lines.contains { $0.contains("#1 Allocate request") && $0.contains("X") && $0.contains("dropped: left-") })
        #expect(lines.contains { $0.contains("TCP Allocate request") && $0.contains("->|") })
        #expect(lines.contains { $0.contains("TCP Allocate success") })
        // Checks from and to the relayed address ride the TCP leg inside Send/Data indications.
        #expect(lines.contains { $0.contains("TCP Send(check") && $0.contains("->|") })
        #expect(lines.contains { $0.contains("<-- #") && $0.contains("TCP Data(check") })
        let help = try IceCheck.run(["--help"])
        #expect(help.stdout.contains("--no-turn-tcp"))
    }

    @Test("udp-blocked with --no-turn-tcp (TURN over UDP only) still fails with exit 6 and names TURN over TCP as the remedy")
    func udpBlockedWithoutTCPFails() throws {
        let run = try IceCheck.run(["--simulate", "udp-blocked,full-cone", "--seed", "1", "--no-turn-tcp"])
        #expect(run.status == 6)
        #expect(run.stderr.contains("only TURN over TCP/TLS could help (drop --no-turn-tcp)"))
        #expect(run.stdout.contains("no TURN over TCP (--no-turn-tcp)"))
        #expect(!run.stdout.contains("TCP Allocate"))
        let both = try IceCheck.run(["--simulate", "udp-blocked,udp-blocked", "--seed", "1"])
        #expect(both.status == 0, "stderr: \(both.stderr)")
        #expect(both.stdout.contains("Outcome: connected: selected pair relay/relay"))
        #expect(both.stdout.contains("left's relayed candidate") && both.stdout.contains("right's relayed candidate"))
        let misuse = try IceCheck.run(["--no-turn-tcp"])
        #expect(misuse.status != 0 && misuse.stderr.contains("apply to --simulate only"))
    }

    @Test("port-restricted cone facing symmetric selects a relay or peer-reflexive pair, never host")
    func portRestrictedSymmetric() throws {
        let run = try IceCheck.run(["--simulate", "port-restricted-cone,symmetric"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("gathered relay candidate 192.0.2.2:"))
        #expect(run.stdout.range(of: #"Outcome: connected: selected pair (relay/prflx|prflx/relay|relay/relay)"#,
                                 options: .regularExpression) != nil, "\(run.stdout.suffix(300))")
    }

    @Test("the same seed gives the same output, byte for byte, even with loss")
    func deterministic() throws {
        let arguments = ["--simulate", "restricted-cone,symmetric", "--loss", "0.2", "--delay", "35", "--seed", "42"]
        let first = try IceCheck.run(arguments), second = try IceCheck.run(arguments)
        #expect(first.status == second.status)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.contains("seed     42"))
        #expect(first.stdout.contains("Ladder"))
    }

    @Test("an unknown preset is one line listing the valid names, with exit code 7")
    func unknownPreset() throws {
        for spec in ["full-cone,moon", "symmetric", "a,b,c"] {
            let run = try IceCheck.run(["--simulate", spec])
            #expect(run.status == 7, "\(spec)")
            #expect(run.errorLines.count == 1, "\(spec): \(run.stderr)")
            #expect(run.stderr.contains("open, full-cone, restricted-cone, port-restricted-cone, symmetric, udp-blocked"))
            #expect(run.stdout.isEmpty)
        }
    }
}

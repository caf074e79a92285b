import Foundation
import Testing
import ToolTestSupport

@Suite("ice-check --stun / --turn: gathering from real servers on loopback")
struct ServerRunTests {
    @Test("a STUN server that never answers: the agents still connect, then exit 10 with one line")
    func silentSTUN() throws {
        let port = try Programs.freeUDPPort()  // nothing listens there any more
        let run = try IceCheck.run(["--stun", "127.0.0.1:\(port)"])
        #expect(run.status == 10, "stderr: \(run.stderr)")
        #expect(run.errorLines.count == 1)
        #expect(run.stderr.contains("STUN 127.0.0.1:\(port) never answered"))
        #expect(run.stdout.contains("Outcome: connected"))
    }

    @Test("servers off loopback are refused before anything is sent")
    func offLoopback() throws {
        for arguments in [["--stun", "192.0.2.1:3478"], ["--turn", "turn:192.0.2.1:3478", "--turn-user", "u", "--turn-pass", "p"],
                          ["--turn", "127.0.0.1:3478"], ["--stun", "not-an-address"]] {
            let run = try IceCheck.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.errorLines.count == 1, "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }

    @Test("coturn on loopback: relay candidates with the right password, exit 11 with a wrong one")
    func coturn() throws {
        let server = try Coturn.start(credentials: Coturn.Credentials(username: "lab", password: "secret"))
        defer { server.stop() }
        let turn = ["--turn", "turn:127.0.0.1:\(server.port)", "--turn-user", "lab"]
        // coturn takes a moment to open its listener: retry while it is silent (exit 10).
        var run = try IceCheck.run(turn + ["--turn-pass", "secret", "--stun", "127.0.0.1:\(server.port)", "--json"])
        for _ in 0..<10 where run.status == 10 {
            usleep(300_000)
            run = try IceCheck.run(turn + ["--turn-pass", "secret", "--stun", "127.0.0.1:\(server.port)", "--json"])
        }
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try run.json()
        let agents = try #require(object["agents"] as? [[String: Any]])
        for agent in agents {
            let types = ((agent["candidates"] as? [[String: Any]]) ?? []).compactMap { $0["type"] as? String }
            #expect(types.contains("relay"), "no relay candidate: \(types)")
        }
        let servers = try #require(object["servers"] as? [[String: Any]])
        #expect(servers.count == 2 && servers.allSatisfy { $0["ok"] as? Bool == true })

        let refused = try IceCheck.run(turn + ["--turn-pass", "wrong"])
        #expect(refused.status == 11, "stderr: \(refused.stderr)")
        #expect(refused.errorLines.count == 1)
        #expect(refused.stderr.contains("allocated nothing"))
    }
}

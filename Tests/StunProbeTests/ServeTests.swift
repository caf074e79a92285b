import Foundation
import Testing
import ToolTestSupport
import Wire

@Suite("stun-probe --serve")
struct ServeTests {
    @Test("--listen 127.0.0.1:0 names its port on the first line, answers a probe and logs it")
    func serveAndProbe() throws {
        let (server, address) = try Probe.startServer()
        #expect(address.ip == .loopbackV4)
        #expect(address.port != 0)
        let result = try Probe.run(["\(address)", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try result.json()
        #expect(object["embedded_server"] as? Bool == false)
        #expect(object["software"] as? String == "webrtc-lab stun-probe")
        let log = server.readLine() ?? ""
        #expect(log.hasPrefix("answered 127.0.0.1:"))
        #expect(log.contains("Binding Success Response"))
        server.stop()
    }

    @Test("works over IPv6 loopback too")
    func ipv6() throws {
        let (server, address) = try Probe.startServer(listen: "[::1]:0")
        defer { server.stop() }
        #expect(address.ip == .loopbackV6)
        let result = try Probe.run(["\(address)", "--json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try result.json()
        #expect(object["mapped_family"] as? String == "IPv6")
        #expect((object["mapped_address"] as? String)?.hasPrefix("[::1]:") == true)
    }

    @Test("with credentials it demands them: 400 without, 401 with a wrong password (exit 6), valid integrity with the right one")
    func credentials() throws {
        let (server, address) = try Probe.startServer(["--username", "alice", "--password", "secret"])
        defer { server.stop() }
        let missing = try Probe.run(["\(address)"])
        #expect(missing.status == 6)
        #expect(missing.errorLines.first?.contains("400") == true)
        let wrong = try Probe.run(["\(address)", "--username", "alice", "--password", "guess"])
        #expect(wrong.status == 6)
        #expect(wrong.errorLines.first?.contains("401") == true)
        let right = try Probe.run(["\(address)", "--username", "alice", "--password", "secret", "--json"])
        #expect(right.status == 0)
        #expect(try right.json()["integrity"] as? String == "valid (HMAC-SHA1)")
    }

    @Test("stops by itself after --duration, and when its piped stdin closes")
    func stopping() throws {
        let timed = try Probe.run(["--serve", "--listen", "127.0.0.1:0", "--duration", "0.3"], timeout: .seconds(10))
        #expect(timed.status == 0)
        #expect(timed.elapsed >= .milliseconds(300))
        #expect(timed.stdout.contains("server stopped after answering 0 requests"))
        let (server, _) = try Probe.startServer()
        server.closeInput()
        let deadline = ContinuousClock.now + .seconds(10)
        while server.process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        #expect(!server.process.isRunning, "the server kept running after stdin closed")
        #expect(server.process.terminationStatus == 0)
    }
}

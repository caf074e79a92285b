import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// coturn is missing or would not start: the test fails (it never skips).
struct CoturnMissing: Error, CustomStringConvertible {
    let description: String
}

/// coturn's turnserver on 127.0.0.1 at a free port, user lab:secret, relaying on loopback only.
final class LoopbackCoturn {
    let process = Process()
    let port: UInt16
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("ice-check-coturn-\(UUID().uuidString).log")

    init() throws {
        guard let path = ["/usr/bin/turnserver", "/usr/local/bin/turnserver", "/usr/sbin/turnserver"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CoturnMissing(description: "turnserver (coturn) is not installed: run scripts/setup.sh")
        }
        port = try Self.freeUDPPort()
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "-n", "--no-cli", "--no-tls", "--no-dtls", "--listening-ip=127.0.0.1", "--listening-port=\(port)",
            "--relay-ip=127.0.0.1", "--lt-cred-mech", "--user=lab:secret", "--realm=webrtc-lab",
            "--allow-loopback-peers", "--log-file=stdout", "--simple-log",
            "--pidfile=\(FileManager.default.temporaryDirectory.path)/ice-check-coturn-\(UUID().uuidString).pid",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    /// SIGTERM, then SIGKILL after a second: turnserver may take its time to shut down.
    func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(1)
            while process.isRunning, Date() < deadline { usleep(5_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: log)
    }

    /// Binds a UDP socket on 127.0.0.1 port 0, reads the port the kernel chose, closes it.
    static func freeUDPPort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw CoturnMissing(description: "cannot create a UDP socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw CoturnMissing(description: "cannot bind a UDP socket on 127.0.0.1") }
        return UInt16(bigEndian: address.sin_port)
    }
}

@Suite("ice-check --stun / --turn: gathering from real servers on loopback")
struct ServerRunTests {
    @Test("a STUN server that never answers: the agents still connect, then exit 10 with one line")
    func silentSTUN() throws {
        let port = try LoopbackCoturn.freeUDPPort()  // nothing listens there any more
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
        let server = try LoopbackCoturn()
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

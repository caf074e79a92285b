import Foundation
import SocketDriver
import STUN
import Wire

/// coturn's `turnserver` on 127.0.0.1 at a free port, long-term credentials
/// ice:interop in realm webrtc-lab, relaying on loopback only (it must allow
/// loopback peers: the aioice peer and our agent are both on 127.0.0.1).
final class LoopbackCoturn {
    static let username = "ice"
    static let password = "interop"

    let process = Process()
    let address: TransportAddress
    private let logFile: URL
    private let pidFile: String

    /// Starts turnserver and waits until it answers a Binding request (a few ports are tried).
    static func start() throws -> LoopbackCoturn {
        let path = ["/usr/bin/turnserver", "/usr/local/bin/turnserver", "/usr/sbin/turnserver"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else {
            throw PeerUnavailable(description: "turnserver (coturn) is not installed: run scripts/setup.sh")
        }
        var log = ""
        for _ in 0..<4 {
            let probe = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
            let port = probe.localAddress.port
            probe.close()
            let server = try LoopbackCoturn(path: path, port: port)
            if try server.answersBinding() { return server }
            log = server.stop()
        }
        throw PeerUnavailable(description: "turnserver did not answer on 127.0.0.1; its log:\n\(log.suffix(2000))")
    }

    private init(path: String, port: UInt16) throws {
        address = TransportAddress(.loopbackV4, port)
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("ice-coturn-\(UUID().uuidString).log")
        pidFile = "\(FileManager.default.temporaryDirectory.path)/ice-coturn-\(UUID().uuidString).pid"
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "-n", "--no-cli", "--no-tls", "--no-dtls", "--listening-ip=127.0.0.1", "--listening-port=\(port)",
            "--relay-ip=127.0.0.1", "--allow-loopback-peers", "--lt-cred-mech",
            "--user=\(Self.username):\(Self.password)", "--realm=webrtc-lab", "--log-file=stdout", "--simple-log",
            "--pidfile=\(pidFile)",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: logFile)
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: logFile)
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    /// Binding requests for up to ~3 s from a throwaway socket.
    private func answersBinding() throws -> Bool {
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { socket.close() }
        let loop = EventLoop()
        var answered = false
        var client = STUNClient(localAddress: socket.localAddress,
                                policy: STUNRetransmissionPolicy(initialRTO: .milliseconds(50), maxTransmissions: 7,
                                                                 finalWaitMultiplier: 4))
        client.sendBindingRequest(to: address, at: loop.clock())
        loop.attach(client, sockets: [socket]) { event, _ in
            if case .responseReceived = event { answered = true }
        }
        _ = try loop.run(until: loop.clock() + .seconds(4)) { answered || !self.process.isRunning }
        return answered
    }

    /// SIGTERM, then SIGKILL after 1 s (the runner's blocked-signal mask is
    /// inherited, so turnserver may ignore SIGTERM); returns its log.
    @discardableResult
    func stop() -> String {
        if process.isRunning {
            process.terminate()
            let deadline = SystemClock.now() + .seconds(1)
            while process.isRunning && SystemClock.now() < deadline { usleep(5_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        return (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }
}

import Foundation
import Testing
import Wire
import STUN
import SocketDriver

/// coturn was not found or would not start: the interop test fails (never skips).
struct CoturnUnavailable: Error, CustomStringConvertible {
    let description: String
}

/// coturn's `turnserver`, started by the test on 127.0.0.1 at a free port with
/// long-term credentials lab:secret in realm webrtc-lab, relaying on loopback only.
final class Coturn {
    static let username = "lab"
    static let password = "secret"
    static let realm = "webrtc-lab"

    let process = Process()
    let port: UInt16
    let logFile: URL
    let pidFile: String
    var address: TransportAddress { TransportAddress(.loopbackV4, port) }

    /// Starts turnserver and waits until it answers a Binding request; retries a few
    /// ports in case another test grabbed the one we picked.
    static func start() throws -> Coturn {
        let candidates = ["/usr/bin/turnserver", "/usr/local/bin/turnserver", "/usr/sbin/turnserver"]
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CoturnUnavailable(description: "turnserver (coturn) is not installed: run scripts/setup.sh (apt-get install coturn)")
        }
        var lastLog = ""
        for _ in 0..<5 {
            let server = try Coturn(path: path, port: try freeUDPPort())
            if try server.answersBinding() { return server }
            lastLog = server.stop()
        }
        throw CoturnUnavailable(description: "turnserver did not answer on 127.0.0.1; its log:\n\(lastLog.suffix(3000))")
    }

    private init(path: String, port: UInt16) throws {
        self.port = port
        let directory = FileManager.default.temporaryDirectory
        logFile = directory.appendingPathComponent("turn-coturn-\(UUID().uuidString).log")
        pidFile = "\(directory.path)/turn-coturn-\(port)-\(UUID().uuidString).pid"
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "-n", "--no-cli", "--no-tls", "--no-dtls",
            "--listening-ip=127.0.0.1", "--listening-port=\(port)", "--relay-ip=127.0.0.1",
            "--lt-cred-mech", "--user=\(Self.username):\(Self.password)", "--realm=\(Self.realm)",
            "--allow-loopback-peers", "--log-file=stdout", "--simple-log",
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

    /// Up to ~3 s of Binding requests (RTO 50 ms) from a throwaway socket.
    private func answersBinding() throws -> Bool {
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { socket.close() }
        let loop = EventLoop()
        var answered = false
        var client = STUNClient(localAddress: socket.localAddress,
                                policy: STUNRetransmissionPolicy(initialRTO: .milliseconds(50), maxTransmissions: 7, finalWaitMultiplier: 4))
        client.sendBindingRequest(to: address, at: loop.clock())
        loop.attach(client, sockets: [socket]) { event, _ in
            if case .responseReceived = event { answered = true }
        }
        _ = try loop.run(until: loop.clock() + .seconds(4)) { answered || !self.process.isRunning }
        return answered
    }

    /// Stops the server (SIGTERM, then SIGKILL: the test runner's blocked-signal
    /// mask is inherited, so turnserver may ignore SIGTERM) and returns its log.
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

    /// A UDP port on 127.0.0.1 that was free a moment ago.
    static func freeUDPPort() throws -> UInt16 {
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { socket.close() }
        return socket.localAddress.port
    }
}

/// A plain UDP peer behind the relay: records what arrives and answers "echo:" + payload.
struct EchoPeer: DatagramEndpoint {
    typealias Event = Datagram
    let localAddress: TransportAddress
    private var outputs = OutputQueue<Datagram>()

    init(localAddress: TransportAddress) { self.localAddress = localAddress }

    mutating func handle(_ input: EndpointInput) {
        guard case let .datagram(datagram, _) = input else { return }
        outputs.emit(datagram)
        outputs.transmit(Datagram(from: localAddress, to: datagram.source, payload: Array("echo:".utf8) + datagram.payload))
    }

    mutating func poll() -> EndpointOutput<Datagram>? { outputs.pop() }
    var nextTimeout: Instant? { nil }
}

/// Collects events from the loop's callbacks (a class: the callbacks capture it).
final class Recorder<Event> {
    var items: [(event: Event, at: Instant)] = []
    func record(_ event: Event, _ at: Instant) { items.append((event, at)) }
}

import Foundation
import SocketDriver
import STUN
import Wire

/// coturn's `turnserver`, started by a test on 127.0.0.1 at a free port and stopped when
/// dropped. What differs between tests (credentials, relaying) is a parameter; it is
/// ready once it answers a STUN Binding request.
public final class Coturn {
    /// Long-term credentials (RFC 8489 §9.2) the server accepts.
    public struct Credentials: Sendable {
        /// The one user's name.
        public let username: String
        /// The one user's password.
        public let password: String
        /// The realm its 401 challenges name.
        public let realm: String

        /// `username`:`password` in `realm`.
        public init(username: String, password: String, realm: String = "webrtc-lab") {
            self.username = username
            self.password = password
            self.realm = realm
        }
    }

    /// The UDP port it listens on (127.0.0.1).
    public let port: UInt16
    /// The credentials it was started with (nil: none).
    public let credentials: Credentials?
    /// 127.0.0.1:`port`.
    public var address: TransportAddress { TransportAddress(.loopbackV4, port) }
    private let program: BackgroundProgram
    private let pidFile: String

    /// Starts turnserver and waits until it answers a Binding request; retries on a new
    /// port (`attempts` in all) in case another test grabbed the one we picked.
    /// - Parameters:
    ///   - credentials: turns on the long-term credential mechanism with one user; nil: none.
    ///   - relaysOnLoopback: relays on 127.0.0.1 and lets loopback peers in (the TURN
    ///     and ICE tests' peers are all on 127.0.0.1); off for a plain STUN server.
    public static func start(credentials: Credentials? = nil, relaysOnLoopback: Bool = true, attempts: Int = 5) throws -> Coturn {
        let path = try Programs.system("turnserver", package: "coturn")
        var lastLog = ""
        for _ in 0..<attempts {
            let server = try Coturn(path: path, port: try Programs.freeUDPPort(), credentials: credentials,
                                    relaysOnLoopback: relaysOnLoopback)
            if try server.answersBinding() { return server }
            lastLog = server.stop()
        }
        throw MissingExecutable("turnserver did not answer on 127.0.0.1; its log:\n\(lastLog.suffix(3000))")
    }

    private init(path: String, port: UInt16, credentials: Credentials?, relaysOnLoopback: Bool) throws {
        self.port = port
        self.credentials = credentials
        pidFile = Programs.temporaryPath("coturn-\(port)", ".pid")
        var arguments = ["-n", "--no-cli", "--no-tls", "--no-dtls", "--listening-ip=127.0.0.1", "--listening-port=\(port)"]
        if relaysOnLoopback { arguments += ["--relay-ip=127.0.0.1", "--allow-loopback-peers"] }
        if let credentials {
            arguments += ["--lt-cred-mech", "--user=\(credentials.username):\(credentials.password)", "--realm=\(credentials.realm)"]
        }
        arguments += ["--log-file=stdout", "--simple-log", "--pidfile=\(pidFile)"]
        program = try BackgroundProgram(path, arguments, input: false, output: .log)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    /// Whether turnserver has not exited.
    public var isRunning: Bool { program.isRunning }

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
        _ = try loop.run(until: loop.clock() + .seconds(4)) { answered || !self.program.isRunning }
        return answered
    }

    /// Stops the server (SIGTERM, then SIGKILL after 1 s) and returns its log.
    @discardableResult
    public func stop() -> String {
        program.stop(grace: .seconds(1))
    }
}

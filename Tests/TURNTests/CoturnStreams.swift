import Foundation
import SocketDriver
import STUN
import Wire
import ToolTestSupport

/// coturn's `turnserver` on 127.0.0.1 with UDP, TCP (same port) and TLS
/// listeners, and a throw-away self-signed certificate made with `openssl req`
/// in a temporary directory (CN localhost, SANs DNS:localhost and IP:127.0.0.1).
/// A missing turnserver or openssl fails the test (set-up was not run).
final class CoturnStreams {
    static let credentials = (username: "lab", password: "secret", realm: "webrtc-lab")

    /// UDP and TCP listening port.
    let port: UInt16
    /// TLS listening port.
    let tlsPort: UInt16
    /// The certificate (PEM): the trust anchor a client verifies coturn against.
    let certificatePath: String
    private let directory: String
    private let program: BackgroundProgram

    var address: TransportAddress { TransportAddress(.loopbackV4, port) }
    var tlsAddress: TransportAddress { TransportAddress(.loopbackV4, tlsPort) }

    /// Makes the certificate, starts coturn and waits until its TLS listener completes a handshake
    /// (retrying on new ports in case another test took one).
    static func start(attempts: Int = 5) throws -> CoturnStreams {
        let turnserver = try Programs.system("turnserver", package: "coturn")
        let openssl = try Programs.system("openssl", package: "openssl")
        let directory = Programs.temporaryPath("coturn-tls")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = directory + "/cert.pem", key = directory + "/key.pem"
        let made = try Programs.run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                              "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                                              "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        guard made.status == 0 else { throw MissingExecutable("openssl req failed: \(made.stderr)") }
        var lastLog = ""
        for _ in 0..<attempts {
            let server = try CoturnStreams(turnserver, port: try Programs.freeUDPPort(), tlsPort: try Programs.freeUDPPort(),
                                           directory: directory, certificate: certificate, key: key)
            if server.waitUntilReady() { return server }
            lastLog = server.stop()
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw MissingExecutable("turnserver with TLS did not come up on 127.0.0.1; its log:\n\(lastLog.suffix(3000))")
    }

    private init(_ path: String, port: UInt16, tlsPort: UInt16, directory: String, certificate: String, key: String) throws {
        self.port = port
        self.tlsPort = tlsPort
        self.directory = directory
        certificatePath = certificate
        let credentials = Self.credentials
        program = try BackgroundProgram(path, [
            "-n", "--no-cli", "--no-dtls", "--listening-ip=127.0.0.1", "--listening-port=\(port)",
            "--tls-listening-port=\(tlsPort)", "--cert=\(certificate)", "--pkey=\(key)",
            "--relay-ip=127.0.0.1", "--allow-loopback-peers",
            "--lt-cred-mech", "--user=\(credentials.username):\(credentials.password)", "--realm=\(credentials.realm)",
            "--log-file=stdout", "--simple-log", "--pidfile=\(directory)/coturn-\(port).pid",
        ], input: false, output: .log)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Up to ~5 s of connection attempts to the TLS port (the last listener coturn opens).
    private func waitUntilReady() -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline, program.isRunning {
            if let stream = try? TLSStream(connectingTo: tlsAddress, serverName: "127.0.0.1", trusting: certificatePath,
                                           timeout: .seconds(1)) {
                stream.close()
                return true
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    /// Stops coturn and returns its log.
    @discardableResult
    func stop() -> String { program.stop(grace: .seconds(1)) }
}

/// Drives a `TURNClient` over a real `ByteStream` in wall-clock time, with a UDP
/// echo peer on loopback: the I/O shell the sans-IO client needs for TCP/TLS.
/// Stream bytes go to the client as they were read (any split): it frames them.
final class StreamTURNRig {
    var client: TURNClient
    let stream: any ByteStream
    let peer: UDPSocket
    private(set) var events: [TURNClientEvent] = []
    private(set) var peerReceived: [Datagram] = []
    /// Bytes written to the stream, per write (to check framing and padding).
    private(set) var written: [[UInt8]] = []

    init(stream: any ByteStream, server: TransportAddress, transport: TURNTransport, password: String = CoturnStreams.credentials.password) throws {
        self.stream = stream
        peer = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        client = TURNClient(localAddress: stream.localAddress, server: server, username: CoturnStreams.credentials.username,
                            password: password, software: "webrtc-lab TURN-over-\(transport.rawValue) test",
                            transport: transport)
    }

    deinit {
        stream.close()
        peer.close()
    }

    /// Calls into the client now, then pumps.
    func call(_ body: (inout TURNClient, Instant) throws -> Void) throws {
        try body(&client, SystemClock.now())
        try flush()
    }

    /// Pumps stream, peer and timers until `condition` holds or `limit` passes; returns the time taken.
    @discardableResult
    func pump(_ what: String, limit: Duration = .seconds(5), until condition: (StreamTURNRig) -> Bool) throws -> Duration {
        let start = SystemClock.now()
        while !condition(self), SystemClock.now() - start < limit {
            try flush()
            while let datagram = try peer.receive() {
                peerReceived.append(datagram)
                try peer.send(Array("echo:".utf8) + datagram.payload, to: datagram.source)
            }
            if let bytes = try stream.read(timeout: .milliseconds(5)) {
                let now = SystemClock.now()
                if bytes.isEmpty { client.streamClosed(at: now) } else {
                    client.handle(.datagram(Datagram(from: client.server, to: client.localAddress, payload: bytes), at: now))
                }
            }
            if let due = client.nextTimeout, due <= SystemClock.now() { client.handle(.timeout(SystemClock.now())) }
        }
        try flush()
        if !condition(self) { throw RigTimeout(description: "timed out waiting for \(what); events: \(events)") }
        return SystemClock.now() - start
    }

    private func flush() throws {
        while let output = client.poll() {
            switch output {
            case let .transmit(datagram):
                written.append(datagram.payload)
                try stream.write(datagram.payload, timeout: .seconds(5))
            case let .event(event):
                events.append(event)
            }
        }
    }

    var received: [(peer: TransportAddress, data: [UInt8], path: TURNDataPath)] {
        events.compactMap { if case let .dataReceived(peer, data, path, _) = $0 { return (peer, data, path) } else { return nil } }
    }

    var challenges: [(TURNOperation, STUNErrorCode, String)] {
        events.compactMap { if case let .challenged(operation, code, realm, _) = $0 { return (operation, code, realm) } else { return nil } }
    }

    var failures: [TURNFailure] {
        events.compactMap { if case let .failed(failure) = $0 { return failure } else { return nil } }
    }
}

/// A rig gave up waiting (the bound is generous: only a broken peer reaches it).
struct RigTimeout: Error, CustomStringConvertible {
    let description: String
}

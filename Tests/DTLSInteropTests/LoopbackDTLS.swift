import DTLS
import Foundation
import SDP
import SocketDriver
import Wire

/// Our DTLS server for a peer whose port is unknown until its first datagram
/// (`openssl s_client` binds an ephemeral port): the endpoint is created then,
/// with that datagram's source as its remote address, and the datagram starts it
/// (as ICE would have told a real server who its peer is). Datagrams from any
/// other source are ignored afterwards.
final class AcceptingDTLSEndpoint: DatagramEndpoint {
    typealias Event = DTLSEvent
    private let configuration: (TransportAddress) -> DTLSConfiguration
    private(set) var endpoint: DTLSEndpoint?
    private var creationFailure: DTLSError?

    /// `configuration` builds the endpoint's configuration for the first peer's address.
    init(configuration: @escaping (TransportAddress) -> DTLSConfiguration) {
        self.configuration = configuration
    }

    func handle(_ input: EndpointInput) {
        if case let .datagram(datagram, _) = input {
            if endpoint == nil {
                do {
                    endpoint = try DTLSEndpoint(configuration: configuration(datagram.source))
                } catch {
                    creationFailure = error
                    return
                }
            }
            guard datagram.source == endpoint?.configuration.remoteAddress else { return }
        }
        endpoint?.handle(input)
    }

    func poll() -> EndpointOutput<DTLSEvent>? {
        if let failure = creationFailure {
            creationFailure = nil
            return .event(.failed(failure))
        }
        return endpoint?.poll()
    }

    var nextTimeout: Instant? { endpoint?.nextTimeout }
}

/// The events one of our endpoints reported, with the questions tests ask of them.
final class EventLog {
    private(set) var events: [DTLSEvent] = []

    func record(_ event: DTLSEvent, _ at: Instant) { events.append(event) }

    var connection: DTLSConnectionInfo? {
        for case let .connected(info) in events { return info }
        return nil
    }

    var failure: DTLSError? {
        for case let .failed(error) in events { return error }
        return nil
    }

    var isFinished: Bool { connection != nil || failure != nil }

    /// Application data received, each record decoded as UTF-8 and concatenated.
    var receivedText: String {
        events.compactMap { event -> String? in
            if case let .applicationData(bytes) = event { return String(decoding: bytes, as: UTF8.self) }
            return nil
        }.joined()
    }

    var applicationDataCount: Int {
        events.filter { if case .applicationData = $0 { return true } else { return false } }.count
    }

    func alerts(_ direction: DTLSAlert.Direction) -> [DTLSAlert] {
        events.compactMap { event -> DTLSAlert? in
            if case let .alert(alert) = event, alert.direction == direction { return alert }
            return nil
        }
    }

    var keyLogLines: [String] {
        events.compactMap { if case let .keyLog(line) = $0 { return line } else { return nil } }
    }

    var closed: Bool { events.contains { if case .closed = $0 { return true } else { return false } } }

    /// A one-line summary for failure messages.
    var summary: String { events.map { "\($0)" }.joined(separator: " | ") }
}

/// The test side's shared pieces: certificates as PEM files, a fast configuration
/// and a loop runner whose stop conditions may read openssl's output.
enum Interop {
    /// Short timers: loopback loses nothing, and a stuck test should fail quickly.
    static let initialRetransmitTimeout = Duration.milliseconds(250)
    static let handshakeDeadline = Duration.seconds(4)

    static func configuration(role: DTLSRole, certificate: DTLSCertificate, expecting fingerprint: Fingerprint,
                              local: TransportAddress, remote: TransportAddress, keyLogging: Bool = false) -> DTLSConfiguration {
        DTLSConfiguration(role: role, certificate: certificate, remoteFingerprints: [fingerprint],
                          localAddress: local, remoteAddress: remote,
                          initialRetransmitTimeout: initialRetransmitTimeout,
                          handshakeDeadline: handshakeDeadline, keyLogging: keyLogging)
    }

    /// Runs `loop` until `condition` holds or `limit` passes; returns whether it held.
    /// A 5 ms ticker wakes the loop so conditions on a child process's output are
    /// rechecked even while no datagram or timer is due. The default limit is long: it
    /// returns as soon as `condition` holds, and openssl under load may take seconds, so
    /// a short limit would make the outcome depend on the machine's load.
    @discardableResult
    static func run(_ loop: EventLoop, for limit: Duration = .seconds(30), until condition: () -> Bool) throws -> Bool {
        let ticker = loop.addTicker(every: .milliseconds(5)) { _ in }
        defer { loop.removeTicker(ticker) }
        _ = try loop.run(until: loop.clock() + limit, stopWhen: condition)
        return condition()
    }
}

/// A temporary directory for PEM files, keys and captures, removed at the end.
final class Workspace {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dtls-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes `certificate` as `name.pem` and its key as `name.key` (mode 0600).
    func write(_ certificate: DTLSCertificate, as name: String) throws -> (certificate: String, key: String) {
        let certificatePath = path("\(name).pem")
        let keyPath = path("\(name).key")
        try certificate.pemCertificate.write(toFile: certificatePath, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: keyPath, contents: Data(certificate.pemPrivateKey.utf8),
                                           attributes: [.posixPermissions: 0o600])
        return (certificatePath, keyPath)
    }
}

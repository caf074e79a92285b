import COpenSSL
import CShims
import SDP
import Wire
@testable import DTLS

#if canImport(Glibc)
import Glibc
#endif

/// Two endpoints wired back to back in memory (aioquic's `roundtrip` idea):
/// datagrams move as soon as they are polled, through an optional filter that
/// can drop, alter or duplicate them. Time is the real monotonic clock, because
/// OpenSSL's retransmission timers read it (DTLS.swift, exception 1).
final class EndpointPair {
    /// Which way a datagram travels.
    enum Direction: Equatable { case clientToServer, serverToClient }

    let client: DTLSEndpoint
    let server: DTLSEndpoint
    let clientCertificate: DTLSCertificate
    let serverCertificate: DTLSCertificate
    private(set) var clientEvents: [DTLSEvent] = []
    private(set) var serverEvents: [DTLSEvent] = []
    /// Every datagram each side emitted (before the filter), with the time it was polled.
    private(set) var sent: [(direction: Direction, payload: [UInt8], at: Instant)] = []
    /// Decides the fate of each datagram: return the payloads to deliver ([] drops it).
    /// `index` counts datagrams in that direction from 0.
    var filter: (Direction, Int, [UInt8]) -> [[UInt8]] = { _, _, payload in [payload] }
    private var counts: [Direction: Int] = [:]
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant

    static let clientAddress = try! TransportAddress(parsing: "127.0.0.1:5000")
    static let serverAddress = try! TransportAddress(parsing: "127.0.0.1:5001")

    /// Builds a pair. By default each side knows the other's real fingerprint.
    /// `certificates` reuses given identities (e.g. to share their OpenSSL contexts).
    ///
    /// `serverInitialRetransmitTimeout` (default: the same as the client's) lets a
    /// test give one side a timer that cannot fire within the test, so that only
    /// the other side's timer can recover a loss: with equal timers, which one
    /// OpenSSL finds expired first is up to the scheduler.
    init(clientFingerprints: [Fingerprint]? = nil, serverFingerprints: [Fingerprint]? = nil,
         mtu: Int = 1200, initialRetransmitTimeout: Duration = .milliseconds(100),
         serverInitialRetransmitTimeout: Duration? = nil,
         handshakeDeadline: Duration = .seconds(5), serverHandshakeDeadline: Duration? = nil,
         cookieExchange: Bool = false,
         keyLogging: Bool = false,
         certificates: (client: DTLSCertificate, server: DTLSCertificate)? = nil) throws {
        origin = clock.now
        clientCertificate = try certificates?.client ?? DTLSCertificate.generateSelfSigned(commonName: "client")
        serverCertificate = try certificates?.server ?? DTLSCertificate.generateSelfSigned(commonName: "server")
        client = try DTLSEndpoint(configuration: DTLSConfiguration(
            role: .client, certificate: clientCertificate,
            remoteFingerprints: clientFingerprints ?? [serverCertificate.fingerprint()],
            localAddress: Self.clientAddress, remoteAddress: Self.serverAddress, mtu: mtu,
            initialRetransmitTimeout: initialRetransmitTimeout, handshakeDeadline: handshakeDeadline,
            keyLogging: keyLogging))
        server = try DTLSEndpoint(configuration: DTLSConfiguration(
            role: .server, certificate: serverCertificate,
            remoteFingerprints: serverFingerprints ?? [clientCertificate.fingerprint()],
            localAddress: Self.serverAddress, remoteAddress: Self.clientAddress, mtu: mtu,
            initialRetransmitTimeout: serverInitialRetransmitTimeout ?? initialRetransmitTimeout,
            handshakeDeadline: serverHandshakeDeadline ?? handshakeDeadline,
            cookieExchange: cookieExchange, keyLogging: keyLogging))
    }

    /// The current time on the real monotonic clock, from the pair's creation.
    var now: Instant {
        let elapsed = origin.duration(to: clock.now)
        return Instant(nanoseconds: elapsed.totalNanoseconds)
    }

    /// Starts both endpoints (the client sends its ClientHello) and moves datagrams.
    func start() {
        server.start(at: now)
        client.start(at: now)
        pump()
    }

    /// Drains both endpoints until neither has output, delivering datagrams through `filter`.
    func pump() {
        var progressed = true
        while progressed {
            progressed = false
            while let output = client.poll() {
                progressed = true
                route(output, from: .clientToServer)
            }
            while let output = server.poll() {
                progressed = true
                route(output, from: .serverToClient)
            }
        }
    }

    private func route(_ output: EndpointOutput<DTLSEvent>, from direction: Direction) {
        switch output {
        case let .event(event):
            if direction == .clientToServer { clientEvents.append(event) } else { serverEvents.append(event) }
        case let .transmit(datagram):
            sent.append((direction, datagram.payload, now))
            let index = counts[direction, default: 0]
            counts[direction] = index + 1
            let receiver = direction == .clientToServer ? server : client
            for payload in filter(direction, index, datagram.payload) {
                var copy = datagram
                copy.payload = payload
                receiver.handle(.datagram(copy, at: now))
            }
        }
    }

    /// Delivers a datagram the test made up, as if `direction`'s sender had sent it.
    func inject(_ payload: [UInt8], _ direction: Direction) {
        let receiver = direction == .clientToServer ? server : client
        let (from, to) = direction == .clientToServer ? (Self.clientAddress, Self.serverAddress) : (Self.serverAddress, Self.clientAddress)
        receiver.handle(.datagram(Datagram(from: from, to: to, payload: payload), at: now))
        pump()
    }

    /// Runs timers in real time until `condition` holds or `limit` passes. Returns whether it held.
    @discardableResult
    func run(for limit: Duration = .seconds(2), until condition: () -> Bool) -> Bool {
        let end = now + limit
        pump()
        while !condition() {
            let current = now
            if current >= end { return false }
            let wake = [client.nextTimeout, server.nextTimeout, end].compactMap { $0 }.min()!
            if wake > current {
                // Short naps: OpenSSL's own clock decides expiry, so wake a little
                // after the anchored instant rather than exactly on it.
                usleep(UInt32(max(200, min((wake - current).totalNanoseconds / 1000 + 200, 20_000))))
            }
            let tick = now
            if let due = client.nextTimeout, due <= tick { client.handle(.timeout(tick)) }
            if let due = server.nextTimeout, due <= tick { server.handle(.timeout(tick)) }
            pump()
        }
        return true
    }

    /// Runs until both sides reported `.connected` (or either failed).
    @discardableResult
    func connect(limit: Duration = .seconds(2)) -> Bool {
        start()
        run(for: limit) { (isConnected(clientEvents) && isConnected(serverEvents)) || hasFailed(clientEvents) || hasFailed(serverEvents) }
        return client.isConnected && server.isConnected
    }

    func clearEvents() {
        clientEvents.removeAll()
        serverEvents.removeAll()
    }
}

// MARK: - Event helpers

func isConnected(_ events: [DTLSEvent]) -> Bool { connectionInfo(events) != nil }

func connectionInfo(_ events: [DTLSEvent]) -> DTLSConnectionInfo? {
    for case let .connected(info) in events { return info }
    return nil
}

func hasFailed(_ events: [DTLSEvent]) -> Bool { failure(events) != nil }

func failure(_ events: [DTLSEvent]) -> DTLSError? {
    for case let .failed(error) in events { return error }
    return nil
}

func applicationData(_ events: [DTLSEvent]) -> [[UInt8]] {
    events.compactMap { if case let .applicationData(bytes) = $0 { return bytes } else { return nil } }
}

func alerts(_ events: [DTLSEvent]) -> [DTLSAlert] {
    events.compactMap { if case let .alert(alert) = $0 { return alert } else { return nil } }
}

func retransmissions(_ events: [DTLSEvent]) -> [DTLSRetransmission] {
    events.compactMap { if case let .retransmitted(record) = $0 { return record } else { return nil } }
}

func keyLogLines(_ events: [DTLSEvent]) -> [String] {
    events.compactMap { if case let .keyLog(line) = $0 { return line } else { return nil } }
}

func closedCount(_ events: [DTLSEvent]) -> Int {
    events.filter { if case .closed = $0 { return true } else { return false } }.count
}

/// The first handshake message type in a datagram that starts with an epoch-0
/// handshake record (content type 22), or nil. Offsets: RFC 6347 §4.1 (13-byte
/// record header) then §4.2.2 (msg_type first).
func firstHandshakeType(_ payload: [UInt8]) -> UInt8? {
    guard payload.count > 13, payload[0] == 22, payload[3] == 0, payload[4] == 0 else { return nil }
    return payload[13]
}

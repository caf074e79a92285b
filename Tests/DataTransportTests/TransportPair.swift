import DataTransport
import Foundation
import DTLS
import SCTP
import Testing
import Wire

/// Two `SCTPTransport`s wired back to back in memory (aioquic's `roundtrip`
/// harness, on real time: usrsctp's timers cannot run on virtual time). Every
/// datagram one side transmits is handed to the other; every event is kept.
final class TransportPair {
    let client: SCTPTransport
    let server: SCTPTransport
    private(set) var clientEvents: [DataTransportEvent] = []
    private(set) var serverEvents: [DataTransportEvent] = []
    /// Every datagram's size, both directions.
    private(set) var datagramSizes: [Int] = []
    private let origin = ContinuousClock.now

    init(sctp: SCTPConfiguration = TransportPair.fastTimers) throws {
        let clientAddress = try TransportAddress(parsing: "127.0.0.1:40001")
        let serverAddress = try TransportAddress(parsing: "127.0.0.1:40002")
        let clientCertificate = try DTLSCertificate.generateSelfSigned(commonName: "transport client")
        let serverCertificate = try DTLSCertificate.generateSelfSigned(commonName: "transport server")
        client = try SCTPTransport(dtls: DTLSEndpoint(configuration: DTLSConfiguration(
            role: .client, certificate: clientCertificate, remoteFingerprints: [serverCertificate.fingerprint()],
            localAddress: clientAddress, remoteAddress: serverAddress)), sctp: sctp)
        server = try SCTPTransport(dtls: DTLSEndpoint(configuration: DTLSConfiguration(
            role: .server, certificate: serverCertificate, remoteFingerprints: [clientCertificate.fingerprint()],
            localAddress: serverAddress, remoteAddress: clientAddress)), sctp: sctp)
    }

    /// Short RTOs: in memory the round trip is microseconds.
    static var fastTimers: SCTPConfiguration {
        var configuration = SCTPConfiguration()
        configuration.rtoInitial = .milliseconds(100)
        configuration.rtoMin = .milliseconds(20)
        configuration.rtoMax = .milliseconds(500)
        configuration.delayedAck = .milliseconds(10)
        return configuration
    }

    /// Now, on the harness's clock.
    var now: Instant { Instant(nanoseconds: (ContinuousClock.now - origin).totalNanoseconds) }

    /// Starts both sides (the client's ClientHello goes out).
    func start() {
        server.start(at: now)
        client.start(at: now)
    }

    /// Moves datagrams and fires timers until `condition` holds or `timeout` passes.
    /// - Returns: whether the condition held.
    @discardableResult
    func run(timeout: Duration = .seconds(5), until condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            let moved = exchange()
            if moved { continue }
            let wake = [client.nextTimeout, server.nextTimeout].compactMap { $0 }.min()
            let pause = wake.map { max(.zero, $0 - now) } ?? .milliseconds(1)
            usleep(UInt32(max(200, min(pause.totalNanoseconds / 1000, 5_000))))
            let current = now
            for side in [client, server] where (side.nextTimeout ?? .init(nanoseconds: .max)) <= current {
                side.handle(.timeout(current))
            }
        }
        return true
    }

    /// Drains both sides once; true if anything moved.
    private func exchange() -> Bool {
        var moved = false
        for (from, to) in [(client, server), (server, client)] {
            while let output = from.poll() {
                moved = true
                switch output {
                case let .transmit(datagram):
                    datagramSizes.append(datagram.payload.count)
                    to.handle(.datagram(datagram, at: now))
                case let .event(event):
                    if from === client { clientEvents.append(event) } else { serverEvents.append(event) }
                }
            }
        }
        return moved
    }

    /// Runs until both associations are up.
    func connect() -> Bool {
        start()
        return run { client.isEstablished && server.isEstablished }
    }

    /// The messages a side received, in order.
    func messages(_ events: [DataTransportEvent]) -> [SCTPMessage] {
        events.compactMap { if case let .sctp(.message(message)) = $0 { message } else { nil } }
    }
}

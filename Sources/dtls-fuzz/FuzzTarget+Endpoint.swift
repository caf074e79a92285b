import DTLS
import SDP
import Wire

/// The OpenSSL half. Each input goes to four fresh endpoints:
/// - a server (a server accepts any first datagram), one with a HelloVerifyRequest
///   cookie exchange, and one without remote fingerprints, which holds the client's
///   flight until `setRemoteFingerprints` releases it;
/// - a client that has sent its ClientHello.
/// Each is fed the datagram, an early timeout, the datagram again (a replay), then
/// the handshake deadline (the hand-written user_canceled alert) and `close()`,
/// with `poll()` drained after every step.
///
/// Certificates are made once per process: key generation would otherwise dominate
/// every execution. The endpoints also accept the certificate of the captures in
/// fuzz/dtls-corpus, so a seed's Certificate passes the fingerprint check and the
/// handshake goes on to the key exchange.
extension FuzzTarget {
    static let clientAddress = TransportAddress(.v4(127, 0, 0, 1), 40000)
    static let serverAddress = TransportAddress(.v4(127, 0, 0, 1), 40001)
    static let serverCertificate = makeCertificate("fuzz-server")
    static let clientCertificate = makeCertificate("fuzz-client")
    /// SHA-256 of the certificate both sides used in the captures (Tests/DTLSTests/DissectorFixtures.swift).
    static let capturedCertificate = Fingerprint(hashFunction: .sha256, bytes: [
        0x3F, 0xCD, 0x5F, 0x4E, 0xA1, 0x72, 0xF1, 0xA4, 0x3C, 0x29, 0x89, 0x39, 0xAC, 0xB8, 0xFE, 0x6A,
        0xEB, 0xA5, 0x52, 0x27, 0x58, 0x7C, 0xF2, 0x2C, 0x70, 0x0F, 0xD3, 0x23, 0xE4, 0x19, 0xC9, 0xA3,
    ])

    private static func makeCertificate(_ name: String) -> DTLSCertificate {
        do {
            return try DTLSCertificate.generateSelfSigned(commonName: name)
        } catch {
            fatalError("dtls-fuzz cannot generate its certificate: \(error)")
        }
    }

    static func driveEndpoints(_ bytes: [UInt8]) {
        let clientFingerprints = [clientCertificate.fingerprint(), capturedCertificate]
        for (cookieExchange, fingerprints) in [(false, clientFingerprints), (true, clientFingerprints), (false, [])] {
            let server = DTLSConfiguration(role: .server, certificate: serverCertificate,
                                           remoteFingerprints: fingerprints,
                                           localAddress: serverAddress, remoteAddress: clientAddress,
                                           initialRetransmitTimeout: .milliseconds(10),
                                           cookieExchange: cookieExchange)
            drive(server, bytes, from: clientAddress, started: false, lateFingerprints: clientFingerprints)
        }
        let client = DTLSConfiguration(role: .client, certificate: clientCertificate,
                                       remoteFingerprints: [serverCertificate.fingerprint(), capturedCertificate],
                                       localAddress: clientAddress, remoteAddress: serverAddress,
                                       initialRetransmitTimeout: .milliseconds(10))
        drive(client, bytes, from: serverAddress, started: true, lateFingerprints: [])
    }

    private static func drive(_ configuration: DTLSConfiguration, _ bytes: [UInt8], from source: TransportAddress,
                              started: Bool, lateFingerprints: [Fingerprint]) {
        let endpoint: DTLSEndpoint
        do {
            endpoint = try DTLSEndpoint(configuration: configuration)
        } catch {
            fatalError("dtls-fuzz cannot create a \(configuration.role) endpoint: \(error)")
        }
        if started {
            endpoint.start(at: .milliseconds(1))
            drain(endpoint)
        }
        let datagram = Datagram(from: source, to: configuration.localAddress, payload: bytes)
        endpoint.handle(.datagram(datagram, at: .milliseconds(2)))
        drain(endpoint)
        endpoint.handle(.timeout(.milliseconds(3)))
        drain(endpoint)
        endpoint.handle(.datagram(datagram, at: .milliseconds(4)))
        drain(endpoint)
        if configuration.remoteFingerprints.isEmpty, !lateFingerprints.isEmpty {
            endpoint.setRemoteFingerprints(lateFingerprints, at: .milliseconds(5))
            drain(endpoint)
        }
        endpoint.handle(.timeout(.milliseconds(6) + configuration.handshakeDeadline))
        drain(endpoint)
        endpoint.close()
        drain(endpoint)
    }

    private static func drain(_ endpoint: DTLSEndpoint) {
        while endpoint.poll() != nil {}
    }
}

import COpenSSL
import CShims
import Testing
import SDP
import Wire
@testable import DTLS

@Suite("DTLS endpoint: data, MTU, close, export, key log")
struct EndpointDataTests {
    @Test("application data crosses both ways, one record per datagram")
    func dataBothWays() throws {
        let pair = try EndpointPair()
        #expect(pair.connect())
        pair.clearEvents()
        let sentBefore = pair.sent.count
        try pair.client.send(Array("hello server".utf8))
        try pair.server.send(Array("hello client".utf8))
        try pair.server.send([1, 2, 3])
        pair.pump()
        #expect(applicationData(pair.serverEvents) == [Array("hello server".utf8)])
        #expect(applicationData(pair.clientEvents) == [Array("hello client".utf8), [1, 2, 3]])
        let records = pair.sent[sentBefore...]
        #expect(records.count == 3)
        // One record each: 13-byte header + 8 explicit nonce + payload + 16 tag (AES-GCM).
        #expect(records.map(\.payload.count) == [13 + 8 + 12 + 16, 13 + 8 + 12 + 16, 13 + 8 + 3 + 16])
        #expect(records.allSatisfy { $0.payload[0] == 23 }) // application_data
    }

    @Test("sending before the handshake finished is refused as misuse")
    func sendBeforeConnected() throws {
        let pair = try EndpointPair()
        #expect(throws: DTLSError.self) { try pair.client.send([1]) }
        do {
            try pair.client.send([1])
        } catch {
            #expect(error.code == .invalidState)
            #expect(error.origin == .caller)
        }
        #expect(throws: DTLSError.self) { _ = try pair.client.exportKeyingMaterial(label: "EXTRACTOR-dtls_srtp", length: 60) }
    }

    @Test("no datagram exceeds the MTU, in the handshake or with the largest payload")
    func mtuRespected() throws {
        for mtu in [1200, 400] {
            let pair = try EndpointPair(mtu: mtu)
            #expect(pair.connect())
            #expect(pair.sent.allSatisfy { $0.payload.count <= mtu })
            let largest = pair.client.maximumApplicationDataSize
            #expect(largest > 0 && largest < mtu)
            try pair.client.send([UInt8](repeating: 0xAB, count: largest))
            pair.pump()
            #expect(pair.sent.last!.payload.count <= mtu)
            #expect(applicationData(pair.serverEvents).last?.count == largest)
            do {
                try pair.client.send([UInt8](repeating: 0, count: largest + 1))
                Issue.record("a payload above the limit was accepted")
            } catch {
                #expect(error.code == .invalidArgument)
            }
        }
        // At 400 bytes the server's certificate flight no longer fits one datagram.
        let small = try EndpointPair(mtu: 400)
        #expect(small.connect())
        #expect(small.sent.filter { $0.direction == .serverToClient }.count > 2)
    }

    @Test("the client's close_notify closes both sides and is answered")
    func clientCloses() throws {
        let pair = try EndpointPair()
        #expect(pair.connect())
        pair.clearEvents()
        pair.client.close()
        pair.pump()
        #expect(closedCount(pair.clientEvents) == 1 && closedCount(pair.serverEvents) == 1)
        #expect(alerts(pair.clientEvents).map(\.description) == ["sent warning close_notify(0)", "received warning close_notify(0)"])
        #expect(alerts(pair.serverEvents).map(\.description) == ["received warning close_notify(0)", "sent warning close_notify(0)"])
        #expect(!hasFailed(pair.clientEvents) && !hasFailed(pair.serverEvents))
        #expect(pair.client.nextTimeout == nil && pair.server.nextTimeout == nil)
        #expect(throws: DTLSError.self) { try pair.server.send([1]) }
        pair.client.close() // idempotent
        #expect(pair.client.poll() == nil)
    }

    @Test("the server's close_notify closes both sides too")
    func serverCloses() throws {
        let pair = try EndpointPair()
        #expect(pair.connect())
        pair.clearEvents()
        pair.server.close()
        pair.pump()
        #expect(closedCount(pair.clientEvents) == 1 && closedCount(pair.serverEvents) == 1)
        #expect(alerts(pair.clientEvents).contains { $0.direction == .received && $0.alertDescription == .closeNotify })
        #expect(alerts(pair.serverEvents).contains { $0.direction == .received && $0.alertDescription == .closeNotify })
    }

    @Test("both sides export the same keying material (RFC 5705), different per label and context")
    func export() throws {
        let pair = try EndpointPair()
        #expect(pair.connect())
        let clientKeys = try pair.client.exportKeyingMaterial(label: "EXTRACTOR-dtls_srtp", length: 60)
        let serverKeys = try pair.server.exportKeyingMaterial(label: "EXTRACTOR-dtls_srtp", length: 60)
        #expect(clientKeys == serverKeys)
        #expect(clientKeys.count == 60 && Set(clientKeys).count > 1)
        let other = try pair.client.exportKeyingMaterial(label: "EXPORTER-other", length: 60)
        #expect(other != clientKeys)
        let withContext = try pair.client.exportKeyingMaterial(label: "EXTRACTOR-dtls_srtp", context: [], length: 60)
        #expect(withContext != clientKeys) // RFC 5705 §4: an empty context differs from none
        #expect(withContext == (try pair.server.exportKeyingMaterial(label: "EXTRACTOR-dtls_srtp", context: [], length: 60)))
        #expect(throws: DTLSError.self) { _ = try pair.client.exportKeyingMaterial(label: "", length: 16) }
        #expect(throws: DTLSError.self) { _ = try pair.client.exportKeyingMaterial(label: "x", length: 0) }
    }

    @Test("key logging emits one well-formed CLIENT_RANDOM line, the same on both sides")
    func keyLog() throws {
        let pair = try EndpointPair(keyLogging: true)
        #expect(pair.connect())
        let clientLines = keyLogLines(pair.clientEvents)
        #expect(clientLines.count == 1)
        #expect(clientLines == keyLogLines(pair.serverEvents))
        let fields = try #require(clientLines.first).split(separator: " ")
        #expect(fields.count == 3)
        #expect(fields[0] == "CLIENT_RANDOM")
        #expect(fields[1].count == 64 && fields[2].count == 96) // 32-byte random, 48-byte master secret
        #expect(fields.dropFirst().allSatisfy { $0.allSatisfy { "0123456789abcdefABCDEF".contains($0) } })
        // Off by default.
        let quiet = try EndpointPair()
        #expect(quiet.connect())
        #expect(keyLogLines(quiet.clientEvents).isEmpty)
    }

    @Test("a client that presents no certificate is refused with an alert")
    func missingClientCertificate() throws {
        let unknown = try DTLSCertificate.generateSelfSigned(commonName: "expected")
        let serverCertificate = try DTLSCertificate.generateSelfSigned(commonName: "server")
        let server = try DTLSEndpoint(configuration: DTLSConfiguration(
            role: .server, certificate: serverCertificate, remoteFingerprints: [unknown.fingerprint()],
            localAddress: EndpointPair.serverAddress, remoteAddress: EndpointPair.clientAddress))
        let client = try CertificatelessClient()
        server.start(at: .zero)
        var toServer = client.step([])
        var serverEvents: [DTLSEvent] = []
        for round in 0..<6 {
            var toClient: [[UInt8]] = []
            for payload in toServer {
                server.handle(.datagram(Datagram(from: EndpointPair.clientAddress, to: EndpointPair.serverAddress, payload: payload),
                                        at: .milliseconds(Int64(round))))
            }
            while let output = server.poll() {
                switch output {
                case let .transmit(datagram): toClient.append(datagram.payload)
                case let .event(event): serverEvents.append(event)
                }
            }
            toServer = client.step(toClient)
        }
        #expect(failure(serverEvents)?.code == .missingPeerCertificate)
        #expect(alerts(serverEvents).contains { $0.direction == .sent && $0.isFatal })
        #expect(client.handshakeFailed)
        #expect(!isConnected(serverEvents))
    }
}

/// A bare OpenSSL DTLS client with no certificate at all: the peer our endpoint
/// must refuse. It reuses the module's datagram BIO, nothing else.
final class CertificatelessClient {
    let context: OpaquePointer
    let ssl: OpaquePointer
    let bio: DatagramBIO
    private(set) var handshakeFailed = false

    init() throws {
        context = SSL_CTX_new(DTLS_method())!
        _ = lab_dtls_ctx_use_dtls12_only(context)
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        ssl = SSL_new(context)!
        bio = try DatagramBIO(mtu: 1200)
        SSL_set_bio(ssl, bio.bio, bio.bio)
        lab_dtls_set_options(ssl, 0)
        _ = lab_dtls_set_link_mtu(ssl, 1200)
        SSL_set_connect_state(ssl)
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// Feeds datagrams, runs the handshake, returns what the client wrote.
    func step(_ incoming: [[UInt8]]) -> [[UInt8]] {
        for datagram in incoming { bio.push(datagram) }
        let result = SSL_do_handshake(ssl)
        if result <= 0, SSL_get_error(ssl, result) == SSL_ERROR_SSL {
            handshakeFailed = true
        }
        ERR_clear_error()
        return bio.takeOutbound()
    }
}

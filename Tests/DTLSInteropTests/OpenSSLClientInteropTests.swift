import DTLS
import Foundation
import SDP
import SocketDriver
import Testing
import ToolTestSupport
import Wire

/// Our DTLS server against `openssl s_client -dtls1_2` on loopback, over real UDP.
///
/// s_client cannot check a fingerprint, so it pins our certificate the way
/// s_server does in the client tests (`-CAfile` our certificate,
/// `-verify_return_error`), and the test also hashes the certificate it prints.
@Suite("our DTLS server against openssl s_client")
struct OpenSSLClientInteropTests {
    /// Our server on a fresh 127.0.0.1 port, waiting for the first datagram.
    final class Server {
        let loop = EventLoop()
        let socket: UDPSocket
        let log = EventLog()
        let handle: EndpointHandle<AcceptingDTLSEndpoint>

        init(certificate: DTLSCertificate, expecting fingerprint: Fingerprint) throws {
            socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
            let local = socket.localAddress
            let accepting = AcceptingDTLSEndpoint { remote in
                Interop.configuration(role: .server, certificate: certificate, expecting: fingerprint,
                                      local: local, remote: remote)
            }
            let log = self.log
            handle = loop.attach(accepting, sockets: [socket]) { log.record($0, $1) }
        }

        deinit { socket.close() }

        var port: UInt16 { socket.localAddress.port }
    }

    static func clientArguments(port: UInt16, certificate: (certificate: String, key: String)?, trusting server: String) -> [String] {
        var arguments = ["s_client", "-dtls1_2", "-connect", "127.0.0.1:\(port)"]
        if let certificate { arguments += ["-cert", certificate.certificate, "-key", certificate.key] }
        return arguments + ["-CAfile", server, "-verify_return_error", "-nocommands"]
    }

    @Test("handshakes with fingerprints checked both ways, then data crosses both ways")
    func handshakeAndData() throws {
        let workspace = try Workspace()
        let ours = try DTLSCertificate.generateSelfSigned(commonName: "webrtc-lab server")
        let theirs = try DTLSCertificate.generateSelfSigned(commonName: "openssl s_client")
        let ourFiles = try workspace.write(ours, as: "server")
        let theirFiles = try workspace.write(theirs, as: "client")
        let server = try Server(certificate: ours, expecting: theirs.fingerprint())
        let client = try OpenSSLPeer(Self.clientArguments(port: server.port, certificate: theirFiles, trusting: ourFiles.certificate))
        defer { client.stop() }

        try Interop.run(server.loop) { server.log.isFinished }
        let info = try #require(server.log.connection, "no connection: \(server.log.summary)\ns_client said:\n\(client.output.suffix(1500))")
        #expect(info.protocolVersion == "DTLSv1.2")
        #expect(info.peerFingerprint == theirs.fingerprint())
        #expect(info.peerCertificateDER == theirs.der)

        // s_client's side: verification passed against our pinned certificate, and
        // the certificate it printed hashes to our fingerprint.
        try Interop.run(server.loop) { client.output.contains("Verify return code:") }
        #expect(client.output.contains("Verify return code: 0 (ok)"), "s_client said:\n\(client.output.suffix(1500))")
        let printed = try #require(client.printedCertificate(after: "Server certificate"), "s_client said:\n\(client.output)")
        #expect(try OpenSSL.fingerprint(ofPEM: printed) == ours.fingerprint().description)
        #expect(client.output.contains("Protocol  : DTLSv1.2"))
        #expect(client.output.contains("Cipher    : \(info.cipherSuite)"))

        // Server to client: s_client writes what it receives to stdout.
        let outbound = "hello from webrtc-lab to s_client\n"
        try server.loop.withEndpoint(server.handle) { try #require($0.endpoint).send(Array(outbound.utf8)) }
        #expect(try Interop.run(server.loop) { client.output.contains(outbound) }, "s_client said:\n\(client.output.suffix(800))")

        // Client to server: s_client sends each line of its stdin as a record.
        let inbound = "hello from openssl s_client\n"
        try client.send(inbound)
        #expect(try Interop.run(server.loop) { server.log.receivedText == inbound }, "we received: \(server.log.receivedText.debugDescription)")

        server.loop.withEndpoint(server.handle) { $0.endpoint?.close() }
        #expect(server.log.closed)
        print("interop: our server vs openssl s_client: \(info.protocolVersion) \(info.cipherSuite), "
              + "handshake \(OpenSSLServerInteropTests.milliseconds(info.handshakeDuration)) ms, \(info.retransmissions) retransmission(s)")
        print("interop: command: \(client.commandLine)")
    }

    @Test("refuses an s_client whose certificate is not the one in the remote description (man in the middle)")
    func refusesWrongClientCertificate() throws {
        let workspace = try Workspace()
        let ours = try DTLSCertificate.generateSelfSigned(commonName: "webrtc-lab server")
        let expected = try DTLSCertificate.generateSelfSigned(commonName: "genuine client")
        let intruder = try DTLSCertificate.generateSelfSigned(commonName: "man in the middle")
        let ourFiles = try workspace.write(ours, as: "server")
        let intruderFiles = try workspace.write(intruder, as: "intruder")
        let server = try Server(certificate: ours, expecting: expected.fingerprint())
        let client = try OpenSSLPeer(Self.clientArguments(port: server.port, certificate: intruderFiles, trusting: ourFiles.certificate))
        defer { client.stop() }

        try Interop.run(server.loop) { server.log.isFinished }
        let failure = try #require(server.log.failure, "expected a failure: \(server.log.summary)")
        #expect(failure.code == .fingerprintMismatch)
        #expect(server.log.connection == nil)
        #expect(server.log.alerts(.sent).contains { $0.level == .fatal && $0.alertDescription == .badCertificate },
                "\(server.log.summary)")
        #expect(try Interop.run(server.loop) { client.output.contains("SSL alert number 42") },
                "s_client said:\n\(client.output.suffix(1500))")
        #expect(client.output.contains("alert bad certificate"))
        try? client.send("must not arrive\n")
        try Interop.run(server.loop, for: .milliseconds(100)) { false }
        #expect(server.log.applicationDataCount == 0)
        print("interop: our server refused s_client's intruder certificate: \(failure)")
    }

    @Test("refuses an s_client that presents no certificate")
    func refusesClientWithoutCertificate() throws {
        let workspace = try Workspace()
        let ours = try DTLSCertificate.generateSelfSigned(commonName: "webrtc-lab server")
        let expected = try DTLSCertificate.generateSelfSigned(commonName: "genuine client")
        let ourFiles = try workspace.write(ours, as: "server")
        let server = try Server(certificate: ours, expecting: expected.fingerprint())
        let client = try OpenSSLPeer(Self.clientArguments(port: server.port, certificate: nil, trusting: ourFiles.certificate))
        defer { client.stop() }

        try Interop.run(server.loop) { server.log.isFinished }
        let failure = try #require(server.log.failure, "expected a failure: \(server.log.summary)")
        // OpenSSL's server, told SSL_VERIFY_FAIL_IF_NO_PEER_CERT, answers an empty
        // Certificate message with a handshake_failure alert (RFC 5246 §7.4.6 leaves
        // the choice to the server) and the reason "peer did not return a certificate".
        #expect(failure.code == .missingPeerCertificate)
        #expect(server.log.alerts(.sent).contains { $0.level == .fatal && $0.alertDescription == .handshakeFailure },
                "\(server.log.summary)")
        #expect(try Interop.run(server.loop) { client.output.contains("SSL alert number 40") },
                "s_client said:\n\(client.output.suffix(1500))")
        #expect(client.output.contains("alert handshake failure"))
        #expect(server.log.applicationDataCount == 0)
        print("interop: our server refused s_client without a certificate: \(failure)")
    }
}

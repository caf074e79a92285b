import DTLS
import Foundation
import SDP
import SocketDriver
import Testing
import ToolTestSupport
import Wire

/// Our DTLS client against `openssl s_server -dtls1_2` on loopback, over real UDP.
///
/// s_server demands our certificate (`-Verify 1`) and pins it: `-CAfile` is our
/// own self-signed certificate and `-verify_return_error` ends the handshake if
/// the chain does not lead to it, which for a self-signed certificate means
/// "exactly this certificate", OpenSSL's closest equivalent to a fingerprint check.
@Suite("our DTLS client against openssl s_server")
struct OpenSSLServerInteropTests {
    static func serverArguments(certificate: (certificate: String, key: String), trusting client: String) -> [String] {
        ["s_server", "-dtls1_2", "-accept", "127.0.0.1:PORT", "-cert", certificate.certificate, "-key", certificate.key,
         "-Verify", "1", "-verify_return_error", "-CAfile", client]
    }

    @Test("handshakes with fingerprints checked both ways, then data crosses both ways")
    func handshakeAndData() throws {
        let workspace = try Workspace()
        let ours = try DTLSCertificate.generateSelfSigned(commonName: "webrtc-lab client")
        let theirs = try DTLSCertificate.generateSelfSigned(commonName: "openssl s_server")
        let ourFiles = try workspace.write(ours, as: "client")
        let theirFiles = try workspace.write(theirs, as: "server")
        let (server, port) = try OpenSSLPeer.startServer(Self.serverArguments(certificate: theirFiles, trusting: ourFiles.certificate))
        defer { server.stop() }

        let loop = EventLoop()
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { socket.close() }
        let client = try DTLSEndpoint(configuration: Interop.configuration(
            role: .client, certificate: ours, expecting: theirs.fingerprint(),
            local: socket.localAddress, remote: TransportAddress(.loopbackV4, port)))
        let log = EventLog()
        client.start(at: loop.clock())
        let handle = loop.attach(client, sockets: [socket]) { log.record($0, $1) }

        try Interop.run(loop) { log.isFinished }
        let info = try #require(log.connection, "no connection: \(log.summary)\ns_server said:\n\(server.output.suffix(1500))")
        #expect(info.protocolVersion == "DTLSv1.2")
        #expect(info.peerFingerprint == theirs.fingerprint())
        #expect(info.peerCertificateDER == theirs.der)

        // Our side checked s_server's certificate; now s_server's side: it got
        // ours, its verification passed, and what it printed hashes to our fingerprint.
        try Interop.run(loop) { server.printedCertificate(after: "Client certificate") != nil }
        let printed = try #require(server.printedCertificate(after: "Client certificate"), "s_server said:\n\(server.output)")
        #expect(try OpenSSL.fingerprint(ofPEM: printed) == ours.fingerprint().description)
        #expect(!server.output.contains("verify error"), "s_server said:\n\(server.output)")

        // Client to server: s_server writes what it receives to stdout.
        let outbound = "hello from webrtc-lab to s_server\n"
        try loop.withEndpoint(handle) { try $0.send(Array(outbound.utf8)) }
        #expect(try Interop.run(loop) { server.output.contains(outbound) }, "s_server said:\n\(server.output.suffix(800))")

        // Server to client: s_server sends each line of its stdin as a record.
        let inbound = "hello from openssl s_server\n"
        try server.send(inbound)
        #expect(try Interop.run(loop) { log.receivedText == inbound }, "we received: \(log.receivedText.debugDescription)")

        loop.withEndpoint(handle) { $0.close() }
        #expect(log.closed)
        #expect(log.alerts(.sent).map(\.alertDescription) == [.closeNotify])
        print("interop: our client vs openssl s_server: \(info.protocolVersion) \(info.cipherSuite), "
              + "handshake \(Self.milliseconds(info.handshakeDuration)) ms, \(info.retransmissions) retransmission(s)")
        print("interop: command: \(server.commandLine)")
    }

    @Test("refuses an s_server whose certificate is not the one in the remote description (man in the middle)")
    func refusesWrongServerCertificate() throws {
        let workspace = try Workspace()
        let ours = try DTLSCertificate.generateSelfSigned(commonName: "webrtc-lab client")
        let expected = try DTLSCertificate.generateSelfSigned(commonName: "genuine server")
        let intruder = try DTLSCertificate.generateSelfSigned(commonName: "man in the middle")
        let ourFiles = try workspace.write(ours, as: "client")
        let intruderFiles = try workspace.write(intruder, as: "intruder")
        let (server, port) = try OpenSSLPeer.startServer(Self.serverArguments(certificate: intruderFiles, trusting: ourFiles.certificate))
        defer { server.stop() }

        let loop = EventLoop()
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { socket.close() }
        let client = try DTLSEndpoint(configuration: Interop.configuration(
            role: .client, certificate: ours, expecting: expected.fingerprint(),
            local: socket.localAddress, remote: TransportAddress(.loopbackV4, port)))
        let log = EventLog()
        client.start(at: loop.clock())
        loop.attach(client, sockets: [socket]) { log.record($0, $1) }

        try Interop.run(loop) { log.isFinished }
        let failure = try #require(log.failure, "expected a failure: \(log.summary)")
        #expect(failure.code == .fingerprintMismatch)
        #expect(log.connection == nil)
        #expect(log.alerts(.sent).contains { $0.level == .fatal && $0.alertDescription == .badCertificate }, "\(log.summary)")
        // s_server reports the alert it received.
        #expect(try Interop.run(loop) { server.output.contains("alert bad certificate") },
                "s_server said:\n\(server.output.suffix(1500))")
        #expect(server.output.contains("SSL alert number 42"))
        #expect(!server.output.contains("Client certificate"), "s_server must not have finished a handshake")
        // Nothing is delivered after a refused handshake, even if the peer sends.
        try? server.send("must not arrive\n")
        try Interop.run(loop, for: .milliseconds(100)) { false }
        #expect(log.applicationDataCount == 0)
        print("interop: our client refused s_server's intruder certificate: \(failure)")
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.totalNanoseconds) / 1_000_000)
    }
}

import Foundation
import Testing
import ToolTestSupport

@Suite("dtls-handshake: --listen and --connect in two processes")
struct PeerRunTests {
    @Test("--connect with the listener's fingerprint connects, the echo comes back, the listener says its client was NOT authenticated")
    func connectToListener() throws {
        let listener = try Listener()
        #expect(listener.port != 0)
        #expect(listener.fingerprint.hasPrefix("sha-256 "))
        let client = try DtlsHandshake.run(["--connect", "127.0.0.1:\(listener.port)", "--expect-fingerprint", listener.fingerprint,
                                            "--json", "--message", "two processes"])
        #expect(client.status == 0, "stderr: \(client.stderr)")
        let object = try client.json()
        #expect(object["mode"] as? String == "connect")
        let side = try #require((object["sides"] as? [[String: Any]])?.first)
        #expect(side["peer_fingerprint"] as? String == listener.fingerprint)
        #expect(side["authenticated"] as? Bool == true)
        #expect((object["message"] as? [String: Any])?["echoed"] as? Bool == true)
        let server = listener.finish()
        #expect(server.status == 0, "listener: \(server.stdout)\n\(server.stderr)")
        #expect(server.stdout.contains("received \"two processes\" (13 bytes); echoing it"))
        #expect(server.stdout.contains("NOT authenticated"))
        // The client's fingerprint, as the client reported it, is what the listener saw.
        let clientFingerprint = try #require(side["fingerprint"] as? String)
        #expect(server.stdout.contains("peer certificate  \(clientFingerprint)"))
    }

    @Test("both sides given each other's fingerprint: both verified")
    func mutualFingerprints() throws {
        // The client's certificate must be known before it connects: load it from PEM.
        let certificate = try PEMFixture.make()
        defer { certificate.remove() }
        let listener = try Listener(["--expect-fingerprint", certificate.fingerprint])
        let client = try DtlsHandshake.run(["--connect", "127.0.0.1:\(listener.port)", "--expect-fingerprint", listener.fingerprint,
                                            "--cert", certificate.certificatePath, "--key", certificate.keyPath])
        #expect(client.status == 0, "stderr: \(client.stderr)")
        #expect(client.stdout.contains("own fingerprint   \(certificate.fingerprint)"))
        let server = listener.finish()
        #expect(server.status == 0, "listener: \(server.stdout)\n\(server.stderr)")
        #expect(server.stdout.contains("verdict           verified: the peer's certificate matches the expected fingerprint \(certificate.fingerprint)"))
    }

    @Test("a listener expecting another fingerprint refuses the client: it exits 6, the client gets the alert and exits 5")
    func listenerRefuses() throws {
        let wrong = "sha-256 " + Array(repeating: "01", count: 32).joined(separator: ":")
        let listener = try Listener(["--expect-fingerprint", wrong])
        let client = try DtlsHandshake.run(["--connect", "127.0.0.1:\(listener.port)", "--expect-fingerprint", listener.fingerprint])
        let server = listener.finish()
        #expect(server.status == 6, "listener: \(server.stdout)\n\(server.stderr)")
        #expect(server.stderr.contains("matches none"))
        #expect(client.status == 5, "client: \(client.stdout)\n\(client.stderr)")
        #expect(client.errorLines.count == 1)
        #expect(client.stderr.contains("bad_certificate"))
    }

    @Test("a client expecting another fingerprint refuses the listener: it exits 6, the listener exits 5")
    func clientRefuses() throws {
        let listener = try Listener()
        let wrong = "sha-256 " + Array(repeating: "02", count: 32).joined(separator: ":")
        let client = try DtlsHandshake.run(["--connect", "127.0.0.1:\(listener.port)", "--expect-fingerprint", wrong])
        #expect(client.status == 6, "client: \(client.stdout)\n\(client.stderr)")
        #expect(client.errorLines.count == 1)
        let server = listener.finish()
        #expect(server.status == 5, "listener: \(server.stdout)\n\(server.stderr)")
    }

    @Test("--connect to a port where nobody answers gives up at --timeout with exit 4")
    func noAnswer() throws {
        // A listener that never existed: bind-and-close would race, so use a port the listener test never uses:
        // our own listener, killed before the client starts, leaves its port silent.
        let listener = try Listener()
        let port = listener.port
        kill(listener.process.processIdentifier, SIGKILL)
        listener.process.waitUntilExit()
        let client = try DtlsHandshake.run(["--connect", "127.0.0.1:\(port)", "--timeout", "0.6", "--initial-timeout", "100"])
        #expect(client.status == 4, "client: \(client.stdout)\n\(client.stderr)")
        #expect(client.errorLines.count == 1)
    }

    @Test("a client without a certificate (openssl s_client -dtls1_2, no -cert) is refused by the listener: exit 7")
    func clientWithoutCertificate() throws {
        for arguments in [[], ["--expect-fingerprint", "sha-256 " + Array(repeating: "04", count: 32).joined(separator: ":")]] {
            let listener = try Listener(arguments)
            _ = try OpenSSL.run(["s_client", "-dtls1_2", "-connect", "127.0.0.1:\(listener.port)"])
            let server = listener.finish()
            #expect(server.status == 7, "\(arguments): \(server.stdout)\n\(server.stderr)")
            #expect(server.stderr.contains("the peer sent no certificate"))
        }
    }
}

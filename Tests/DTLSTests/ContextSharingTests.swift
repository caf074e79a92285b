import COpenSSL
import CShims
import Testing
@testable import DTLS

/// Endpoints of one certificate share an OpenSSL context (DTLSContextCache), which
/// must save the context's cost without letting one connection reach into another.
@Suite("Shared DTLS contexts")
struct ContextSharingTests {
    @Test("endpoints with one certificate and the same settings share one context; other settings get their own")
    func sharing() throws {
        let certificate = try DTLSCertificate.generateSelfSigned(commonName: "shared")
        let other = try DTLSCertificate.generateSelfSigned(commonName: "other")
        func endpoint(_ role: DTLSRole, cookies: Bool = false, keyLog: Bool = false) throws -> DTLSEndpoint {
            try DTLSEndpoint(configuration: DTLSConfiguration(
                role: role, certificate: certificate, remoteFingerprints: [other.fingerprint()],
                localAddress: EndpointPair.clientAddress, remoteAddress: EndpointPair.serverAddress,
                cookieExchange: cookies, keyLogging: keyLog))
        }
        let first = try endpoint(.client), second = try endpoint(.server), third = try endpoint(.server)
        #expect(first.context == second.context && second.context == third.context)
        #expect(certificate.contexts.count == 1)
        let withCookies = try endpoint(.server, cookies: true)
        let withKeyLog = try endpoint(.client, keyLog: true)
        #expect(withCookies.context != first.context && withKeyLog.context != first.context)
        #expect(certificate.contexts.count == 3)
        #expect(other.contexts.count == 0)
        // What keeps one connection from resuming another on a shared context.
        for endpoint in [first, withCookies, withKeyLog] {
            #expect(lab_dtls_ctx_resumption_forbidden(endpoint.context) == 1)
        }
    }

    @Test("a context outlives the certificate's cache while an endpoint holds it")
    func lifetime() throws {
        var certificate: DTLSCertificate? = try DTLSCertificate.generateSelfSigned(commonName: "short-lived")
        let peer = try DTLSCertificate.generateSelfSigned(commonName: "peer")
        let pair = try EndpointPair(certificates: (client: certificate!, server: peer))
        certificate = nil
        // The pair still holds the certificate through its configuration; dropping
        // our reference must not free the context under the endpoint.
        #expect(pair.connect())
        #expect(isConnected(pair.clientEvents) && isConnected(pair.serverEvents))
    }

    /// Beside the direct check above, not instead of it: with OpenSSL 3.0 the handshake
    /// here also stayed full with the cache turned back on (tried by hand; the reason
    /// was not pinned down), so this test guards the outcome and the one above the
    /// setting.
    @Test("a client offering an earlier connection's session gets a full handshake, with its certificate checked")
    func noResumption() throws {
        let clientCertificate = try DTLSCertificate.generateSelfSigned(commonName: "client")
        let serverCertificate = try DTLSCertificate.generateSelfSigned(commonName: "server")
        let certificates = (client: clientCertificate, server: serverCertificate)
        let first = try EndpointPair(certificates: certificates)
        #expect(first.connect())
        let session = try #require(SSL_get1_session(first.client.ssl))
        defer { SSL_SESSION_free(session) }

        let second = try EndpointPair(certificates: certificates)
        #expect(second.server.context == first.server.context, "the second server must share the first one's context")
        #expect(SSL_set_session(second.client.ssl, session) == 1)
        #expect(second.connect())
        #expect(lab_dtls_session_reused(second.server.ssl) == 0)
        #expect(lab_dtls_session_reused(second.client.ssl) == 0)
        // A full handshake ran the fingerprint check on both sides.
        #expect(second.server.matchedFingerprint == clientCertificate.fingerprint())
        #expect(second.client.matchedFingerprint == serverCertificate.fingerprint())
    }
}

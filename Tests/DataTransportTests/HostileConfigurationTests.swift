import DataTransport
import DTLS
import SCTP
import Testing
import Wire

@Suite("SCTPTransport refuses absurd configurations instead of trapping")
struct HostileConfigurationTests {
    @Test("a path MTU of Int.max throws invalidConfiguration")
    func hugePathMTUThrows() throws {
        let certificate = try DTLSCertificate.generateSelfSigned(commonName: "hostile configuration")
        let dtls = try DTLSEndpoint(configuration: DTLSConfiguration(
            role: .client, certificate: certificate, remoteFingerprints: [certificate.fingerprint()],
            localAddress: try TransportAddress(parsing: "127.0.0.1:40011"),
            remoteAddress: try TransportAddress(parsing: "127.0.0.1:40012")))
        var sctp = SCTPConfiguration()
        sctp.pathMTU = .max
        do {
            _ = try SCTPTransport(dtls: dtls, sctp: sctp)
            Issue.record("a path MTU of Int.max was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
        }
    }
}

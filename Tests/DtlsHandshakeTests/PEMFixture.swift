import Foundation
import Testing
import ToolTestSupport

/// A certificate and key written by the openssl command line (a tool independent
/// of our code), with the fingerprint openssl computes for it in SDP form.
struct PEMFixture {
    let certificatePath: String
    let keyPath: String
    /// "sha-256 AB:CD:...", from `openssl x509 -fingerprint -sha256`.
    let fingerprint: String

    enum Kind {
        case ecdsaP256, rsa2048
    }

    static func make(_ kind: Kind = .ecdsaP256) throws -> PEMFixture {
        let certificate = DtlsHandshake.temporaryPath("-cert.pem"), key = DtlsHandshake.temporaryPath("-key.pem")
        let keyOptions = kind == .ecdsaP256 ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] : ["-newkey", "rsa:2048"]
        let made = try OpenSSL.run(["req", "-x509"] + keyOptions
                                   + ["-nodes", "-keyout", key, "-out", certificate, "-subj", "/CN=dtls-handshake-test", "-days", "2"])
        try #require(made.status == 0, "openssl req failed: \(made.stderr)")
        return PEMFixture(certificatePath: certificate, keyPath: key, fingerprint: try OpenSSL.fingerprint(file: certificate))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: certificatePath)
        try? FileManager.default.removeItem(atPath: keyPath)
    }
}

import Foundation
import Testing

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
        let openssl = try #require(["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "the openssl command is not installed")
        let certificate = DtlsHandshake.temporaryPath("-cert.pem"), key = DtlsHandshake.temporaryPath("-key.pem")
        let keyOptions = kind == .ecdsaP256 ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] : ["-newkey", "rsa:2048"]
        let made = try Program.run(openssl, ["req", "-x509"] + keyOptions
                                   + ["-nodes", "-keyout", key, "-out", certificate, "-subj", "/CN=dtls-handshake-test", "-days", "2"])
        try #require(made.status == 0, "openssl req failed: \(made.stderr)")
        let printed = try Program.run(openssl, ["x509", "-in", certificate, "-noout", "-fingerprint", "-sha256"])
        // "sha256 Fingerprint=AB:CD:..." (the label's case differs between OpenSSL versions).
        let hex = try #require(printed.stdout.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        return PEMFixture(certificatePath: certificate, keyPath: key, fingerprint: "sha-256 " + hex.uppercased())
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: certificatePath)
        try? FileManager.default.removeItem(atPath: keyPath)
    }
}

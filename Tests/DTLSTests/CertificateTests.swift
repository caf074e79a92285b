import Foundation
import SDP
import Testing
import Wire
@testable import DTLS

/// The PEM files in Fixtures/ (see Fixtures/README.md for how they were made).
enum DTLSFixtures {
    static func path(_ name: String) throws -> String {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures").appendingPathComponent(name)
        return url.path
    }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    static func rsa() throws -> DTLSCertificate {
        try DTLSCertificate(certificateFile: path("rsa-cert.pem"), privateKeyFile: path("rsa-key.pem"))
    }

    static func ecdsa() throws -> DTLSCertificate {
        try DTLSCertificate(pemCertificate: text("ecdsa-cert.pem"), pemPrivateKey: text("ecdsa-key.pem"))
    }
}

/// Runs `body`, expecting a DTLSError, and returns it (nil, with a recorded issue, if none came).
func expectDTLSError<T>(_ code: DTLSError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                        _ body: () throws(DTLSError) -> T) -> DTLSError? {
    do {
        _ = try body()
        Issue.record("expected DTLSError.\(code), got success", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    }
}

@Suite("DTLS certificates")
struct CertificateTests {
    @Test("a generated certificate is ECDSA P-256, named, backdated one day, valid 30 days")
    func generatedDefaults() throws {
        let before = Int64(time(nil))
        let certificate = try DTLSCertificate.generateSelfSigned()
        let after = Int64(time(nil))
        #expect(certificate.keyDescription == "ECDSA P-256")
        #expect(certificate.subject == "CN=webrtc-lab")
        #expect((before - 86_400 - 1...after - 86_400 + 1).contains(certificate.notBefore))
        #expect(certificate.notAfter - certificate.notBefore == 86_400 + 30 * 86_400)
        #expect(certificate.der.first == 0x30, "DER starts with a SEQUENCE")
        #expect(certificate.fingerprint().hashFunction == .sha256)
        #expect(certificate.fingerprint().bytes.count == 32)
        #expect(try certificate.fingerprint() == Fingerprint(certificateDER: certificate.der))
    }

    @Test("each generated certificate has its own key and serial")
    func generatedCertificatesDiffer() throws {
        let first = try DTLSCertificate.generateSelfSigned()
        let second = try DTLSCertificate.generateSelfSigned()
        #expect(first.der != second.der)
        #expect(first.fingerprint() != second.fingerprint())
        #expect(first.pemPrivateKey != second.pemPrivateKey)
    }

    @Test("the common name and lifetime are the caller's")
    func generatedWithArguments() throws {
        let certificate = try DTLSCertificate.generateSelfSigned(commonName: "alice é", validFor: .seconds(3600))
        #expect(certificate.subject == "CN=alice é")
        #expect(certificate.notAfter - certificate.notBefore == 3600 + 86_400)
    }

    @Test("a bad common name or lifetime is the caller's mistake", arguments: [
        ("", Duration.seconds(60)),
        (String(repeating: "x", count: 65), .seconds(60)),
        ("nul\0inside", .seconds(60)),
        ("ok", .zero),
        ("ok", .seconds(-5)),
        ("ok", .seconds(101 * 366 * 86_400)),
    ])
    func generatedRejectsBadArguments(name: String, lifetime: Duration) {
        _ = expectDTLSError(.invalidArgument) { () throws(DTLSError) in
            try DTLSCertificate.generateSelfSigned(commonName: name, validFor: lifetime)
        }
    }

    @Test("PEM written by us reads back to the same certificate and key")
    func pemRoundTrip() throws {
        let original = try DTLSCertificate.generateSelfSigned()
        #expect(original.pemCertificate.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(original.pemPrivateKey.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let copy = try DTLSCertificate(pemCertificate: original.pemCertificate, pemPrivateKey: original.pemPrivateKey)
        #expect(copy.der == original.der)
        #expect(copy.pemPrivateKey == original.pemPrivateKey)
    }

    @Test("the openssl CLI reads our PEM and computes our fingerprint")
    func opensslAgreesWithGeneratedCertificate() throws {
        let certificate = try DTLSCertificate.generateSelfSigned()
        let output = try runOpenSSL(["x509", "-noout", "-fingerprint", "-sha256"], input: certificate.pemCertificate)
        let expected = "sha256 Fingerprint=" + Hex.encode(certificate.fingerprint().bytes, separator: ":").uppercased()
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
        let certificateKey = try runOpenSSL(["x509", "-noout", "-pubkey"], input: certificate.pemCertificate)
        let privateKeysPublicHalf = try runOpenSSL(["pkey", "-pubout"], input: certificate.pemPrivateKey)
        #expect(certificateKey == privateKeysPublicHalf)
    }

    @Test("an RSA 2048 certificate loads from files")
    func rsaFromFiles() throws {
        let certificate = try DTLSFixtures.rsa()
        #expect(certificate.keyDescription == "RSA 2048")
        #expect(certificate.subject == "CN=webrtc-lab RSA fixture")
        // From `openssl x509 -noout -dates` (GeneralizedTime after 2049 included).
        #expect(certificate.notBefore == 1_795_645_024)
        #expect(certificate.notAfter == 4_949_245_024)
    }

    @Test("an ECDSA certificate loads from PEM text")
    func ecdsaFromText() throws {
        let certificate = try DTLSFixtures.ecdsa()
        #expect(certificate.keyDescription == "ECDSA P-256")
        #expect(certificate.subject == "CN=webrtc-lab ECDSA fixture")
    }

    @Test("a private key that belongs to another certificate is refused", arguments: [
        ("rsa-cert.pem", "ecdsa-key.pem"),
        ("ecdsa-cert.pem", "rsa-key.pem"),
        ("ecdsa-cert.pem", "other-ecdsa-key.pem"),
    ])
    func mismatchedKey(certificate: String, key: String) throws {
        let error = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in
            try DTLSCertificate(certificateFile: DTLSFixtures.pathOrEmpty(certificate), privateKeyFile: DTLSFixtures.pathOrEmpty(key))
        }
        #expect(error?.reason.contains("does not match") == true)
    }

    @Test("malformed PEM gives a typed error", arguments: [
        ("", "valid key"),
        ("not a certificate", "valid key"),
        ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "valid key"),
        ("truncated certificate", "valid key"),
        ("valid certificate", ""),
        ("valid certificate", "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n"),
        ("valid certificate", "truncated key"),
        ("valid certificate", "certificate as key"),
    ])
    func malformedPEM(certificate: String, key: String) throws {
        let validCertificate = try DTLSFixtures.text("ecdsa-cert.pem")
        let validKey = try DTLSFixtures.text("ecdsa-key.pem")
        func resolve(_ text: String) -> String {
            switch text {
            case "valid certificate": validCertificate
            case "valid key": validKey
            case "truncated certificate": String(validCertificate.prefix(validCertificate.count / 2))
            case "truncated key": String(validKey.prefix(validKey.count / 2))
            case "certificate as key": validCertificate
            default: text
            }
        }
        _ = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in
            try DTLSCertificate(pemCertificate: resolve(certificate), pemPrivateKey: resolve(key))
        }
    }

    @Test("an encrypted key is refused without prompting for a passphrase")
    func encryptedKey() throws {
        let error = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in
            try DTLSCertificate(pemCertificate: DTLSFixtures.textOrEmpty("ecdsa-cert.pem"),
                                pemPrivateKey: DTLSFixtures.textOrEmpty("ecdsa-key-encrypted.pem"))
        }
        #expect(error?.reason.contains("unencrypted") == true)
    }

    @Test("an RSA key below 2048 bits is refused")
    func weakRSA() throws {
        let error = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in
            try DTLSCertificate(certificateFile: DTLSFixtures.pathOrEmpty("rsa1024-cert.pem"),
                                privateKeyFile: DTLSFixtures.pathOrEmpty("rsa1024-key.pem"))
        }
        #expect(error?.reason.contains("1024") == true)
    }

    @Test("an unreadable file is named in the error")
    func missingFile() throws {
        let missing = "/nonexistent/webrtc-lab/cert.pem"
        let error = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in
            try DTLSCertificate(certificateFile: missing, privateKeyFile: DTLSFixtures.pathOrEmpty("ecdsa-key.pem"))
        }
        #expect(error?.reason.contains(missing) == true)
        let keyError = expectDTLSError(.invalidCertificate) { () throws(DTLSError) in
            try DTLSCertificate(certificateFile: DTLSFixtures.pathOrEmpty("ecdsa-cert.pem"), privateKeyFile: "/nonexistent/key.pem")
        }
        #expect(keyError?.reason.contains("/nonexistent/key.pem") == true)
    }

    @Test("one certificate can be read from many tasks at once")
    func sharedAcrossTasks() async throws {
        let certificate = try DTLSCertificate.generateSelfSigned()
        let expected = certificate.fingerprint()
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<16 {
                group.addTask { certificate.fingerprint() == expected && certificate.pemCertificate.count > 100 }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 16))
    }
}

extension DTLSFixtures {
    /// For use inside typed-throws closures: a missing fixture becomes a path that fails to open.
    static func pathOrEmpty(_ name: String) -> String { (try? path(name)) ?? "/missing-fixture/\(name)" }
    static func textOrEmpty(_ name: String) -> String { (try? text(name)) ?? "" }
}

/// Runs the `openssl` CLI with `input` on stdin and returns its stdout; a missing or
/// failing `openssl` fails the test.
func runOpenSSL(_ arguments: [String], input: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl"] + arguments
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "openssl \(arguments.joined(separator: " ")) failed")
    return String(decoding: output, as: UTF8.self)
}

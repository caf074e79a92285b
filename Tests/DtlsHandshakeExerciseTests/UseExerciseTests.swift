import DTLS
import ExerciseInterfaces
import SDP
import Solutions
import Testing
@testable import dtls_handshake

/// `dtls-handshake --use-exercise` on its success path. The tool runs the student's
/// exercise 05 by default, which in this repository is the starter (exit 8, tested
/// in DtlsHandshakeTests); here the same code path gets the reference solution, so
/// the fingerprints that really verify the handshake come from exercise code.
@Suite("--use-exercise with the reference solution (solutions/05-dtls-fingerprint)")
struct UseExerciseTests {
    static var solution: any DTLSFingerprintExercise.Type { Solutions.DTLSFingerprint.self }

    static func settings(_ arguments: [String]) throws -> RunSettings {
        try RunSettings(HandshakeCommand.parse(arguments), exercise: solution)
    }

    @Test("the solution's fingerprints are the library's, and its verdict on a real certificate agrees")
    func fingerprintsAndVerdict() throws {
        let certificates = try ["alice", "bob"].map { try DTLSCertificate.generateSelfSigned(commonName: $0) }
        let published = try FingerprintExercise.fingerprints(of: certificates, using: Self.solution)
        #expect(published == certificates.map { $0.fingerprint() })

        let right = FingerprintExercise.verdict(peerCertificateDER: certificates[1].der, expected: published[1], using: Self.solution)
        #expect(right.agrees && right.line.contains("matches"))
        let wrong = FingerprintExercise.verdict(peerCertificateDER: certificates[0].der, expected: published[1], using: Self.solution)
        #expect(!wrong.agrees && wrong.line.contains("does NOT match"))
    }

    @Test("a loopback handshake verified with the solution's fingerprints succeeds (exit 0)")
    func loopbackSucceeds() throws {
        let settings = try Self.settings(["--use-exercise", "--json"])
        #expect(settings.activeExercise != nil)
        #expect(try LoopbackRun(settings: settings).run() == .success)
    }

    @Test("under the solution a wrong expected fingerprint is still refused (exit 6)")
    func wrongFingerprintRefused() throws {
        let stranger = try DTLSCertificate.generateSelfSigned(commonName: "mallory").fingerprint()
        let settings = try Self.settings(["--use-exercise", "--json", "--expect-fingerprint", stranger.description])
        #expect(try LoopbackRun(settings: settings).run() == .fingerprintMismatch)
    }

    /// Right digest, wrong spelling (lower-case hex): the check before any packet must catch it.
    enum LowerCaseHex: DTLSFingerprintExercise {
        static func fingerprint(der: [UInt8], algorithm: String) throws -> String? {
            try Solutions.DTLSFingerprint.fingerprint(der: der, algorithm: algorithm)?.lowercased()
        }
        static func fingerprintsMatch(_ a: String, _ b: String) throws -> Bool {
            try Solutions.DTLSFingerprint.fingerprintsMatch(a, b)
        }
        static func dtlsRole(localSetup: String, remoteSetup: String) throws -> String? {
            try Solutions.DTLSFingerprint.dtlsRole(localSetup: localSetup, remoteSetup: remoteSetup)
        }
    }

    @Test("an implementation that spells the fingerprint wrong stops the run with exit 8")
    func wrongSpellingStops() throws {
        let certificate = try DTLSCertificate.generateSelfSigned(commonName: "alice")
        do {
            _ = try FingerprintExercise.fingerprints(of: [certificate], using: LowerCaseHex.self)
            Issue.record("a lower-case fingerprint was accepted")
        } catch let failure as HandshakeFailure {
            #expect(failure.exit == .exerciseFailure)
            #expect(failure.message.contains(certificate.fingerprint().description))
        }
    }
}

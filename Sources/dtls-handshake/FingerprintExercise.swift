import DTLS
import ExerciseInterfaces
import Exercises
import SDP

/// --use-exercise: the student's exercise 05 (`Exercises.DTLSFingerprint`) computes
/// the fingerprints the handshake really checks.
///
/// The implementation is a parameter (any `DTLSFingerprintExercise`, the student's
/// by default) so tests can prove the success path with the reference solution.
///
/// Before any packet is sent, the student's `fingerprint(der:algorithm:)` runs on
/// every certificate of the run and must give exactly the library's SDP text, and
/// `fingerprintsMatch` must accept a fingerprint with itself and refuse a different
/// one: a wrong answer would otherwise show up as a baffling handshake failure.
/// The endpoints are then given the student's fingerprints (parsed from the text)
/// to verify the peers with; after the handshake the student's `fingerprintsMatch`
/// judges the real peer certificate too, and its verdict is reported.
enum FingerprintExercise {
    static let file = "exercises/05-dtls-fingerprint/DTLSFingerprint.swift"

    /// The student's fingerprint of each certificate, checked against the library.
    /// - Throws: `HandshakeFailure(.exerciseFailure)` naming what is wrong.
    static func fingerprints(of certificates: [DTLSCertificate],
                             using implementation: any DTLSFingerprintExercise.Type = DTLSFingerprint.self) throws -> [Fingerprint] {
        var result: [Fingerprint] = []
        for certificate in certificates {
            let library = certificate.fingerprint(.sha256)
            let text: String?
            do {
                text = try implementation.fingerprint(der: certificate.der, algorithm: "sha-256")
            } catch {
                throw failure(error, in: "fingerprint(der:algorithm:)")
            }
            guard let text else {
                throw HandshakeFailure(.exerciseFailure, "--use-exercise: your fingerprint(der:algorithm: \"sha-256\") returned nil "
                                       + "for a \(certificate.der.count)-byte certificate; expected \"\(library)\"")
            }
            guard text == library.description, let parsed = try? Fingerprint(parsing: Substring(text)) else {
                throw HandshakeFailure(.exerciseFailure, "--use-exercise: your fingerprint(der:algorithm:) gave \"\(text)\" "
                                       + "but the library computes \"\(library)\" (SDP form: lower-case hash name, one space, "
                                       + "upper-case hex pairs joined by ':')")
            }
            result.append(parsed)
        }
        // fingerprintsMatch on the run's own values: equal to itself, different from a changed copy.
        if let first = result.first {
            var changed = first
            changed.bytes[0] ^= 0xFF
            let same: Bool, different: Bool
            do {
                same = try implementation.fingerprintsMatch(first.description, first.description.lowercased())
                different = try implementation.fingerprintsMatch(first.description, changed.description)
            } catch {
                throw failure(error, in: "fingerprintsMatch")
            }
            guard same else {
                throw HandshakeFailure(.exerciseFailure, "--use-exercise: your fingerprintsMatch says \"\(first)\" does not match "
                                       + "its lower-case spelling; hex is compared ignoring case")
            }
            guard !different else {
                throw HandshakeFailure(.exerciseFailure, "--use-exercise: your fingerprintsMatch accepts \"\(changed)\" "
                                       + "for \"\(first)\": a different certificate would get in")
            }
        }
        return result
    }

    /// The student's verdict on the real peer certificate after the handshake.
    /// - Returns: (the student's code agrees it matches, one line for the report).
    static func verdict(peerCertificateDER der: [UInt8], expected: Fingerprint,
                        using implementation: any DTLSFingerprintExercise.Type = DTLSFingerprint.self) -> (agrees: Bool, line: String) {
        do {
            guard let text = try implementation.fingerprint(der: der, algorithm: expected.hashFunction.rawValue) else {
                return (false, "your fingerprint(der:algorithm:) returned nil for the peer's certificate")
            }
            let match = try implementation.fingerprintsMatch(text, expected.description)
            return (match, "your code says the peer's certificate (\(text)) \(match ? "matches" : "does NOT match") the expected fingerprint")
        } catch {
            return (false, "your code threw \(error) on the peer's certificate")
        }
    }

    private static func failure(_ error: any Error, in function: String) -> HandshakeFailure {
        if case ExerciseError.notImplemented? = error as? ExerciseError {
            return HandshakeFailure(.exerciseFailure, "--use-exercise: \(function) in \(file) is not implemented yet "
                                    + "(it throws notImplemented); write it, then check it with `lab check 05`")
        }
        return HandshakeFailure(.exerciseFailure, "--use-exercise: your \(function) threw \(error) on a valid certificate")
    }
}

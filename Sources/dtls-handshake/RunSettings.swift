import DTLS
import ExerciseInterfaces
import Exercises
import SDP
import Wire

/// The command line turned into the values a run needs, with every input that
/// can be wrong (PEM files, the exercise) checked before any socket is opened.
struct RunSettings {
    let command: HandshakeCommand
    /// --cert/--key loaded, if given.
    let loadedCertificate: DTLSCertificate?
    /// --expect-fingerprint parsed.
    let expected: Fingerprint?
    /// Whose exercise 05 code --use-exercise runs: the student's, except in tests
    /// that prove the success path with the reference solution.
    let exercise: any DTLSFingerprintExercise.Type

    init(_ command: HandshakeCommand, exercise: any DTLSFingerprintExercise.Type = Exercises.DTLSFingerprint.self) throws {
        self.command = command
        self.exercise = exercise
        expected = try command.expectedFingerprint()
        if let cert = command.cert, let key = command.key {
            do {
                loadedCertificate = try DTLSCertificate(certificateFile: cert, privateKeyFile: key)
            } catch {
                throw HandshakeFailure(.usage, "--cert \(cert) --key \(key): \(error.reason)")
            }
        } else {
            loadedCertificate = nil
        }
    }

    /// A fresh ECDSA P-256 self-signed certificate.
    static func freshCertificate(_ name: String) throws -> DTLSCertificate {
        do {
            return try DTLSCertificate.generateSelfSigned(commonName: name)
        } catch {
            throw HandshakeFailure(.localFailure, "cannot generate a certificate: \(error.reason)")
        }
    }

    /// The exercise code in use: `exercise` under --use-exercise, nil otherwise.
    var activeExercise: (any DTLSFingerprintExercise.Type)? { command.useExercise ? exercise : nil }

    /// Our published fingerprints (the library's, or the exercise code's under --use-exercise).
    func published(_ certificates: [DTLSCertificate]) throws -> [Fingerprint] {
        if let activeExercise { return try FingerprintExercise.fingerprints(of: certificates, using: activeExercise) }
        return certificates.map { $0.fingerprint(.sha256) }
    }

    /// A DTLS configuration with the command's timers.
    func configuration(role: DTLSRole, certificate: DTLSCertificate, expected: Fingerprint?,
                       local: TransportAddress, remote: TransportAddress) -> DTLSConfiguration {
        DTLSConfiguration(role: role, certificate: certificate, remoteFingerprints: expected.map { [$0] } ?? [],
                          localAddress: local, remoteAddress: remote, mtu: 1200,
                          initialRetransmitTimeout: .milliseconds(command.initialTimeout),
                          handshakeDeadline: .milliseconds(Int64(command.timeout * 1000)),
                          cookieExchange: command.cookie && role == .server,
                          keyLogging: command.keylog != nil)
    }
}

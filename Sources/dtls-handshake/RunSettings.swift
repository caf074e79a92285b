import DTLS
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

    init(_ command: HandshakeCommand) throws {
        self.command = command
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

    /// Our published fingerprints (the library's, or the student's under --use-exercise).
    func published(_ certificates: [DTLSCertificate]) throws -> [Fingerprint] {
        if command.useExercise { return try FingerprintExercise.fingerprints(of: certificates) }
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

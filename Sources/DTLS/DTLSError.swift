import Wire

/// The one error type of the DTLS module.
///
/// `origin` keeps a caller who misused the API (a bug to fix) apart from a peer
/// that broke the protocol or failed authentication (an event to report, then
/// close), as the other modules do.
public struct DTLSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        // Peer violations and failed authentication.
        /// The peer's certificate matches none of the fingerprints from the remote description.
        case fingerprintMismatch
        /// The peer sent no certificate, so there is nothing to check against the fingerprint.
        case missingPeerCertificate
        /// The handshake did not finish before its deadline.
        case handshakeTimeout
        /// The peer sent a fatal alert.
        case alertReceived
        /// The peer's bytes broke DTLS (OpenSSL failed the handshake or a record).
        case protocolViolation
        /// A record or message is truncated or malformed (dissector and parsers).
        case malformedRecord
        /// A certificate or key from outside (PEM file, peer DER) cannot be parsed or used.
        case invalidCertificate

        // API misuse.
        /// An argument is out of range or inconsistent (e.g. an unknown hash function).
        case invalidArgument
        /// The call is not allowed in the current state (sending before the handshake finished,
        /// exporting keys before it, handling input after close).
        case invalidState
        /// OpenSSL itself failed for a local reason (out of memory, a library call refused).
        case openSSLFailure
    }

    /// Who is at fault (shared by every module's error type).
    public typealias Origin = FaultOrigin

    /// What went wrong.
    public var code: Code
    /// Why, for humans (OpenSSL's own error text is appended where it helps).
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The party at fault, derived from the code.
    public var origin: Origin {
        switch code {
        case .invalidArgument, .invalidState, .openSSLFailure: return .caller
        default: return .peer
        }
    }

    /// "DTLS fingerprintMismatch: reason".
    public var description: String { "DTLS \(code.rawValue): \(reason)" }
}

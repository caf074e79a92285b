import DTLS
import SCTP
import Wire

/// The one error type of the DataTransport module.
///
/// Wraps the layer below's error where one caused it, so a caller can still
/// tell "the message is too large" (SCTP) from "not connected yet" (here).
public struct DataTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// Sending before the association is up, or after it closed.
        case notConnected
        /// The SCTP layer refused the call (too large, bad stream, buffer full...): see `reason`.
        case sctpRefused
        /// The SCTP runtime could not create the association (a local failure).
        case sctpUnavailable
        /// The configuration of the two layers does not fit together (SCTP packets larger than a DTLS record).
        case invalidConfiguration
        /// DTLS refused to carry an SCTP packet.
        case dtlsRefused
    }

    /// Who is at fault (shared by every module's error type).
    public typealias Origin = FaultOrigin

    /// What went wrong.
    public var code: Code
    /// Why, for humans.
    public var reason: String
    /// The SCTP error behind a `.sctpRefused` or `.sctpUnavailable`.
    public var sctpError: SCTPError?

    /// Creates an error.
    public init(_ code: Code, _ reason: String, sctpError: SCTPError? = nil) {
        self.code = code
        self.reason = reason
        self.sctpError = sctpError
    }

    /// Every error here comes from a call made in the wrong state or with bad
    /// arguments, or from a local failure: the peer's faults arrive as events.
    public var origin: Origin { .caller }

    /// "DataTransport notConnected: reason".
    public var description: String { "DataTransport \(code.rawValue): \(reason)" }
}

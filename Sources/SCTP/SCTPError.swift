import Wire

/// The one error type of the SCTP module.
///
/// `origin` keeps a caller who misused the API (a bug to fix, or back-pressure to
/// respect) apart from a peer that broke the protocol, as the other modules do.
/// Peer trouble on a running association is reported as an `SCTPEvent`, not thrown:
/// only the caller's own calls throw.
public struct SCTPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        // API misuse (or local limits the caller must respect).
        /// An argument is out of range or inconsistent (a configuration value, an empty stream list).
        case invalidArgument
        /// The call is not allowed in the current state (connect twice, send after close or shutdown).
        case invalidState
        /// The message is larger than `maxMessageSize`; nothing was queued or sent.
        case messageTooLarge
        /// The stream id is not below the number of outbound streams.
        case invalidStream
        /// The stream is being reset (RFC 6525): it may be used again only after the
        /// `.streamReset(outgoing, succeeded: true)` event.
        case streamResetting
        /// Queued data would exceed `maxBufferedAmount`: wait for `.bufferedAmountLow` and retry.
        case bufferFull
        /// usrsctp refused a call for a local reason (the errno is in the reason).
        case usrsctpFailure

        // Peer violations.
        /// The peer's bytes broke SCTP (e.g. a message larger than the size we advertised).
        case protocolViolation
    }

    /// Who is at fault (shared by every module's error type).
    public typealias Origin = FaultOrigin

    /// What went wrong.
    public var code: Code
    /// Why, for humans.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The party at fault, derived from the code.
    public var origin: Origin {
        code == .protocolViolation ? .peer : .caller
    }

    /// "SCTP messageTooLarge: reason".
    public var description: String { "SCTP \(code.rawValue): \(reason)" }
}

import Wire

/// The one error type of the SCTP module.
///
/// Only the caller's own calls throw, so every code is the caller's: API misuse (a bug
/// to fix), back-pressure to respect, or a local usrsctp refusal. Peer trouble (a peer
/// that breaks SCTP, aborts or dies) is never thrown: usrsctp drops malformed packets
/// itself and the rest arrives as an `SCTPEvent` (`.associationClosed`,
/// `.messageDiscarded`, `.remoteError`...), so there is no peer-violation code.
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

    /// The party at fault: always the caller (see the type's documentation); kept so
    /// every module's error answers the same question.
    public var origin: Origin { .caller }

    /// "SCTP messageTooLarge: reason".
    public var description: String { "SCTP \(code.rawValue): \(reason)" }
}

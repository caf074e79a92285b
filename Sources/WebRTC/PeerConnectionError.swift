import Wire

/// The one error type of the WebRTC module.
///
/// `origin` keeps "you called this in the wrong state or with a bad argument"
/// (`.caller`) apart from "the peer's description or packets broke a rule"
/// (`.peer`); a local failure (sockets, certificate) counts as `.caller`.
public struct PeerConnectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// The call is not allowed in the current signaling or connection state
        /// (W3C InvalidStateError).
        case invalidState
        /// An argument is out of range or malformed (W3C TypeError / SyntaxError).
        case invalidArgument
        /// A remote description or candidate is malformed or unusable.
        case invalidDescription
        /// The message is larger than the peer's `a=max-message-size` (or ours).
        case messageTooLarge
        /// The channel cannot send: not open, closing, or closed.
        case channelNotOpen
        /// A channel id is in use, of the wrong parity, or beyond the stream count.
        case channelIdUnavailable
        /// The send buffer is full (`bufferedAmount` would pass its limit).
        case bufferFull
        /// The peer connection is closed.
        case closed
        /// A local failure: sockets, certificate, the SCTP runtime.
        case localFailure
    }

    /// Who is at fault (shared by every module's error type).
    public typealias Origin = FaultOrigin

    /// What went wrong.
    public var code: Code
    /// Why, for humans.
    public var reason: String
    /// Who is at fault.
    public var origin: Origin

    /// Creates an error.
    public init(_ code: Code, _ reason: String, origin: Origin = .caller) {
        self.code = code
        self.reason = reason
        self.origin = origin
    }

    /// "PeerConnection invalidState: reason".
    public var description: String { "PeerConnection \(code.rawValue): \(reason)" }
}

import Wire

/// The one error type of the DataChannels module.
///
/// `code` says what went wrong, `reason` says it for humans, and `origin` keeps the
/// two kinds of failure apart (h11's rule, ARCHITECTURE.md): a caller that misused
/// the API has a bug to fix and gets the error thrown; a peer that broke DCEP is a
/// normal event on the Internet, reported as `.protocolError` while the channel it
/// concerns is closed. Some codes can be either (`streamInUse` is the caller's when
/// two negotiated channels ask for one id, the peer's when its OPEN lands on a busy
/// stream), which is why the origin is stored rather than derived from the code.
public struct DataChannelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        // Bytes that are not valid DCEP (always the peer's).
        /// The message ended before a field it announced (or was empty).
        case truncated
        /// The message has bytes after its last field, or an ACK's padding is not zero.
        case malformedMessage
        /// The label or protocol of an OPEN is not valid UTF-8 (RFC 8832 §5.1).
        case invalidUTF8
        /// An OPEN names a channel type RFC 8832 §8.2.2 does not define.
        case unknownChannelType
        /// The first byte is neither DATA_CHANNEL_OPEN (0x03) nor DATA_CHANNEL_ACK (0x02).
        case unknownMessageType
        /// A message arrived with a PPID that WebRTC does not use (RFC 8831 §8).
        case unknownPPID

        // Stream ids (caller or peer, see `origin`).
        /// The stream id is already used by another channel, or still being closed.
        case streamInUse
        /// The stream id is not below the association's stream counts.
        case streamOutOfRange
        /// The peer opened a stream id of our parity (RFC 8832 §6: DTLS client even, server odd).
        case wrongParity
        /// Every stream id of our parity below the association's limit is in use.
        case noStreamAvailable
        /// A message arrived on a stream that carries no channel.
        case unknownStream
        /// A DCEP message arrived that the channel was not waiting for (an ACK it never asked for).
        case unexpectedMessage
        /// The peer kept refusing to reset a stream, so its id is retired (RFC 6525).
        case resetFailed

        // API misuse (always the caller's).
        /// The channel is not open: still connecting, closing or closed.
        case notOpen
        /// The call is not possible in the registry's state (no DTLS role or association yet).
        case invalidState
        /// No channel has this id.
        case unknownChannel
        /// The parameters are outside what DCEP can carry (a label over 65 535 UTF-8 bytes).
        case invalidParameters
    }

    /// Who is at fault (shared by every module's error type).
    public typealias Origin = FaultOrigin

    /// What went wrong.
    public var code: Code
    /// Why, for humans.
    public var reason: String
    /// Who is at fault: the remote peer, or the local caller.
    public var origin: Origin

    /// Creates an error.
    public init(_ code: Code, _ reason: String, origin: Origin) {
        self.code = code
        self.reason = reason
        self.origin = origin
    }

    /// True when the error describes what the peer sent.
    public var isPeerViolation: Bool { origin == .peer }

    /// "DataChannels truncated (peer): reason".
    public var description: String { "DataChannels \(code.rawValue) (\(origin.rawValue)): \(reason)" }

    /// A peer violation.
    static func peer(_ code: Code, _ reason: String) -> DataChannelError { DataChannelError(code, reason, origin: .peer) }

    /// Caller misuse.
    static func caller(_ code: Code, _ reason: String) -> DataChannelError { DataChannelError(code, reason, origin: .caller) }
}

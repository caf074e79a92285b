import Wire

/// The one error type of the STUN module.
///
/// `code` says what went wrong, `reason` says it for humans (with the offset
/// when one is known). `origin` keeps the two kinds of failure apart, as h11
/// does: a peer that broke the protocol is a normal event on the Internet to be
/// dropped or answered, while a caller that misused the API has a bug to fix.
public struct STUNError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        // Peer violations: the bytes received are not valid STUN.
        /// The input ended before a field it announced.
        case truncated
        /// The first two bits are not zero, or the input is shorter than a header.
        case notSTUN
        /// Bytes 4-7 are not the magic cookie 0x2112A442.
        case badMagicCookie
        /// The length field is not a multiple of 4 or disagrees with the datagram.
        case badLength
        /// The message is larger than the configured maximum.
        case messageTooLarge
        /// An attribute's value does not follow its RFC layout.
        case malformedAttribute
        /// A FINGERPRINT attribute does not match the message.
        case fingerprintMismatch
        /// A MESSAGE-INTEGRITY(-SHA256) attribute does not match the message.
        case integrityMismatch

        // API misuse: the caller asked for something the RFC does not allow.
        /// An argument is out of range (e.g. a 13-byte transaction id, a 1000-byte USERNAME).
        case invalidArgument
    }

    /// Who is at fault (shared by every module's error type).
    public typealias Origin = FaultOrigin

    /// What went wrong.
    public var code: Code
    /// Human-readable detail.
    public var reason: String
    /// Byte offset in the message where the problem was found, when known.
    public var offset: Int?

    /// Creates an error.
    public init(_ code: Code, _ reason: String, offset: Int? = nil) {
        self.code = code
        self.reason = reason
        self.offset = offset
    }

    /// Whether the peer or the caller is at fault.
    public var origin: Origin { code == .invalidArgument ? .caller : .peer }

    /// True when the error describes bytes received from the network.
    public var isPeerViolation: Bool { origin == .peer }

    /// A one-line description for logs.
    public var description: String {
        if let offset { return "\(code.rawValue) at offset \(offset): \(reason)" }
        return "\(code.rawValue): \(reason)"
    }

    /// Converts a reader error into a peer violation; `context` names the field being read.
    static func from(_ error: any Error, context: String) -> STUNError {
        if let stun = error as? STUNError { return stun }
        if case let WireError.truncated(needed, available, offset) = error {
            return STUNError(.truncated, "\(context): needed \(needed) byte(s), only \(available) left", offset: offset)
        }
        return STUNError(.malformedAttribute, "\(context): \(error)")
    }
}

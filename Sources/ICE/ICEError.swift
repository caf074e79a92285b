import Wire

/// The one error type of the ICE module.
///
/// As in the STUN module, `origin` separates a caller who misused the API (a
/// bug to fix) from a peer that broke the protocol (an event to answer or drop).
public struct ICEError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        // API misuse.
        /// An argument is outside the range the RFC allows (a component id of 0,
        /// a type preference of 127, a 3-character ufrag...).
        case invalidArgument
        /// A pair state transition the RFC does not allow (e.g. Frozen → Succeeded).
        case invalidTransition
        /// The named pair is not in the checklist.
        case unknownPair
        /// Data was sent before a pair was selected, or after consent expired.
        case notConnected

        // Peer violations.
        /// The peer's bytes are not a message this module can use.
        case malformedMessage
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
    public var origin: Origin { code == .malformedMessage ? .peer : .caller }

    /// "ICE invalidArgument: reason".
    public var description: String { "ICE \(code.rawValue): \(reason)" }
}

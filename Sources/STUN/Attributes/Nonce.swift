import Wire

/// NONCE (0x0015): a server-chosen value the client must echo, so the server can expire credentials in use (RFC 8489 §14.10).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Nonce value (UTF-8, variable)             ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Opaque to the client. Servers encode an expiry in it (this module's
/// server does, with a MAC so that clients cannot forge fresh ones) and answer
/// 438 Stale Nonce when it has passed.
public struct Nonce: STUNTextAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.nonce
    /// The longest value the RFC allows, in UTF-8 bytes.
    public static let maximumLength = 763
    /// The text.
    public var value: String

    /// Creates the attribute; more than `maximumLength` UTF-8 bytes is API misuse.
    public init(_ value: String) throws {
        try STUNText.validate(value, attribute: Self.attributeType, maxBytes: Self.maximumLength)
        self.value = value
    }
}

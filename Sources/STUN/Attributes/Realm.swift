import Wire

/// REALM (0x0014): the protection domain a long-term credential belongs to, sent by the server in 401/438 and echoed by the client (RFC 8489 §14.9).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Realm value (UTF-8, variable)             ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Fewer than 128 characters and at most 763 bytes; this module checks the
/// byte limit. Its presence in a request signals long-term credentials.
public struct Realm: STUNTextAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.realm
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

import Wire

/// USERNAME (0x0006): who is authenticating, for short-term or long-term credentials (RFC 8489 §14.3).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Username (UTF-8, variable)                ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// The RFC limits it to fewer than 509 bytes. For long-term credentials it is
/// part of the key (MD5 of username:realm:password), so it must be sent exactly
/// as the server stores it.
public struct Username: STUNTextAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.username
    /// The longest value the RFC allows, in UTF-8 bytes.
    public static let maximumLength = 508
    /// The text.
    public var value: String

    /// Creates the attribute; more than `maximumLength` UTF-8 bytes is API misuse.
    public init(_ value: String) throws {
        try STUNText.validate(value, attribute: Self.attributeType, maxBytes: Self.maximumLength)
        self.value = value
    }
}

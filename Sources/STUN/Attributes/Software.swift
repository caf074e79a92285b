import Wire

/// SOFTWARE (0x8022): a textual description of the agent's software, for diagnostics (RFC 8489 §14.14).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 Software description (UTF-8, variable)    ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Comprehension-optional, fewer than 128 characters and at most 763 bytes.
public struct Software: STUNTextAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.software
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

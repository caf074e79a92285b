import Wire

/// UNKNOWN-ATTRIBUTES (0x000A): the comprehension-required attribute types a
/// server did not understand, sent with 420 Unknown Attribute (RFC 8489 §14.13).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Attribute 1 Type         |       Attribute 2 Type        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Attribute 3 Type         |       Attribute 4 Type    ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// An odd count leaves two bytes of ordinary padding.
public struct UnknownAttributes: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.unknownAttributes
    /// The listed types, in order.
    public var types: [STUNAttributeType]

    /// Creates the attribute.
    public init(_ types: [STUNAttributeType]) { self.types = types }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining % 2 == 0 else {
            throw STUNError(.malformedAttribute, "UNKNOWN-ATTRIBUTES length \(reader.remaining) is odd")
        }
        var types: [STUNAttributeType] = []
        while !reader.isAtEnd { types.append(STUNAttributeType(rawValue: try reader.readUInt16())) }
        self.types = types
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) {
        for type in types { writer.writeUInt16(type.rawValue) }
    }
}

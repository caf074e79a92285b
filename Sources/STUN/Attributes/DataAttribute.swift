import Wire

/// DATA (0x0013): the application payload of a Send or Data indication (RFC 8656 §18.4).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Data (variable)                       ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Named `DataAttribute` rather than `Data` so it never shadows Foundation's type.
public struct DataAttribute: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.data
    /// The payload bytes (an empty payload is legal).
    public var bytes: [UInt8]

    /// Creates the attribute.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Decodes the value bytes: any content is valid.
    public init(parsing reader: inout ByteReader) throws { bytes = reader.readRemaining() }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) { writer.writeBytes(bytes) }
}

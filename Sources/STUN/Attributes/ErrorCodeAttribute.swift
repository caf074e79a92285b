import Wire

/// ERROR-CODE (0x0009): why a request failed (RFC 8489 §14.8).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Reserved, should be 0         |Class|     Number    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Reason Phrase (variable)                                ..
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// The code is split into Class (hundreds digit, 3-6) and Number (0-99) so
/// that 401 is class 4, number 1. The reason phrase is UTF-8 for humans; the
/// code alone drives behaviour.
public struct ErrorCodeAttribute: STUNPlainAttributeValue, Hashable {
    /// The attribute type this value travels in.
    public static let attributeType = STUNAttributeType.errorCode
    /// The longest reason phrase the RFC allows, in UTF-8 bytes.
    public static let maximumReasonLength = 763
    /// The error code.
    public var code: STUNErrorCode
    /// The reason phrase.
    public var reason: String

    /// Creates the attribute. The code must be 300-699 and the reason at most
    /// 763 UTF-8 bytes; `reason` defaults to the RFC's phrase for known codes.
    public init(_ code: STUNErrorCode, reason: String? = nil) throws {
        guard (300...699).contains(code.rawValue) else {
            throw STUNError(.invalidArgument, "error codes run from 300 to 699, got \(code.rawValue)")
        }
        let text = reason ?? code.reasonPhrase ?? ""
        try STUNText.validate(text, attribute: Self.attributeType, maxBytes: Self.maximumReasonLength)
        self.code = code
        self.reason = text
    }

    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        guard reader.remaining >= 4 else {
            throw STUNError(.malformedAttribute, "ERROR-CODE needs at least 4 bytes, has \(reader.remaining)")
        }
        let word = try reader.readUInt32()
        let errorClass = Int((word >> 8) & 0x7)
        let number = Int(word & 0xFF)
        guard (3...6).contains(errorClass) else {
            throw STUNError(.malformedAttribute, "ERROR-CODE class \(errorClass) is outside 3-6")
        }
        guard number < 100 else {
            throw STUNError(.malformedAttribute, "ERROR-CODE number \(number) is not below 100")
        }
        code = STUNErrorCode(rawValue: errorClass * 100 + number)
        reason = try STUNText.decode(&reader, attribute: Self.attributeType, maxBytes: Self.maximumReasonLength)
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt16(0)
        writer.writeUInt8(UInt8(code.errorClass & 0x7))
        writer.writeUInt8(UInt8(code.number))
        writer.writeBytes(reason.utf8)
    }
}

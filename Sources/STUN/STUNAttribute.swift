import Wire

/// One attribute as it travels: a type, a value, and the padding after it.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Type                  |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Value (variable)                ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// (RFC 8489 §14.) Length counts the value only; the value is then padded to
/// a multiple of 4 bytes. The padding's content is "ignored by receivers" but
/// covered by MESSAGE-INTEGRITY and FINGERPRINT, so it is kept as received:
/// RFC 5769's sample request pads with spaces, and only a byte-exact
/// re-encoding reproduces its HMAC.
public struct STUNAttribute: Hashable, Sendable, CustomStringConvertible {
    /// The attribute type.
    public var type: STUNAttributeType
    /// The value bytes (without padding).
    public var value: [UInt8]
    /// The padding bytes after the value as received (0-3 bytes); zeros for attributes built locally.
    public var padding: [UInt8]

    /// The largest value a TLV can carry (16-bit length, padded to 4).
    public static let maximumValueLength = 65_532

    /// Creates an attribute padded with zeros.
    public init(type: STUNAttributeType, value: [UInt8]) {
        self.type = type
        self.value = value
        self.padding = [UInt8](repeating: 0, count: Self.paddingLength(for: value.count))
    }

    /// Creates an attribute with explicit padding bytes (for reproducing received bytes exactly).
    /// Padding of the wrong size is cut or zero-extended on encoding.
    public init(type: STUNAttributeType, value: [UInt8], padding: [UInt8]) {
        self.type = type
        self.value = value
        self.padding = padding
    }

    /// Encodes a typed value; `transactionID` is needed by the XOR-ed address attributes.
    public init<A: STUNAttributeValue>(_ typed: A, transactionID: TransactionID) {
        var writer = ByteWriter()
        typed.encode(into: &writer, transactionID: transactionID)
        self.init(type: A.attributeType, value: writer.bytes)
    }

    /// Reads one TLV (header, value, padding). Throws `.truncated` when the
    /// value or its padding runs past the reader's end.
    public init(parsing reader: inout ByteReader) throws {
        let start = reader.offset
        do {
            let type = STUNAttributeType(rawValue: try reader.readUInt16())
            let length = Int(try reader.readUInt16())
            guard length <= reader.remaining else {
                throw STUNError(.truncated, "\(type) announces \(length) value byte(s), only \(reader.remaining) left", offset: start)
            }
            let value = try reader.readBytes(length)
            let padCount = Self.paddingLength(for: length)
            guard padCount <= reader.remaining else {
                throw STUNError(.truncated, "\(type) is missing \(padCount - reader.remaining) padding byte(s)", offset: start)
            }
            self.init(type: type, value: value, padding: try reader.readBytes(padCount))
        } catch {
            throw STUNError.from(error, context: "attribute at offset \(start)")
        }
    }

    /// Writes the TLV: header, value, padding (received bytes, else zeros).
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt16(type.rawValue)
        writer.writeUInt16(UInt16(truncatingIfNeeded: value.count))
        writer.writeBytes(value)
        let needed = Self.paddingLength(for: value.count)
        for index in 0..<needed { writer.writeUInt8(index < padding.count ? padding[index] : 0) }
    }

    /// Bytes this attribute takes on the wire: 4 + value + padding.
    public var encodedLength: Int { 4 + value.count + Self.paddingLength(for: value.count) }

    /// Decodes the value as `A`. Throws `.malformedAttribute` (peer violation)
    /// when the bytes do not follow A's layout, and `.invalidArgument` when this
    /// attribute is not of A's type.
    public func decode<A: STUNAttributeValue>(as _: A.Type, transactionID: TransactionID) throws -> A {
        guard type == A.attributeType else {
            throw STUNError(.invalidArgument, "attribute is \(type), not \(A.attributeType)")
        }
        var reader = ByteReader(value)
        do {
            let decoded = try A(parsing: &reader, transactionID: transactionID)
            guard reader.isAtEnd else {
                throw STUNError(.malformedAttribute, "\(type) has \(reader.remaining) unexpected trailing byte(s)")
            }
            return decoded
        } catch let error as STUNError {
            throw error
        } catch {
            throw STUNError(.malformedAttribute, "\(type) value too short: \(error)")
        }
    }

    /// Number of padding bytes after a value of `length` bytes.
    public static func paddingLength(for length: Int) -> Int { (4 - length % 4) % 4 }

    /// "SOFTWARE (0x8022), 11 bytes".
    public var description: String {
        "\(type.name ?? "Unknown") (0x\(STUNFormat.hex(type.rawValue, digits: 4))), \(value.count) byte(s)"
    }
}

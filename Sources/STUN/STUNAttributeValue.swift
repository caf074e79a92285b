import Wire

/// A typed STUN attribute value: one RFC layout with its codec.
///
/// Each conforming type lives in its own file under Attributes/ with the RFC
/// diagram above it. Codecs receive the message's transaction id because the
/// XOR-ed address attributes mix it into IPv6 addresses (RFC 8489 §14.2);
/// attributes that do not need it conform to `STUNPlainAttributeValue` instead
/// and implement the context-free `init(parsing:)` / `encode(into:)`.
public protocol STUNAttributeValue: Sendable {
    /// The attribute type this value is carried in.
    static var attributeType: STUNAttributeType { get }
    /// Decodes the value bytes (the reader covers exactly the value, no padding).
    init(parsing reader: inout ByteReader, transactionID: TransactionID) throws
    /// Encodes the value bytes (no TLV header, no padding).
    func encode(into writer: inout ByteWriter, transactionID: TransactionID)
}

/// A typed attribute whose encoding does not depend on the transaction id.
public protocol STUNPlainAttributeValue: STUNAttributeValue {
    /// Decodes the value bytes.
    init(parsing reader: inout ByteReader) throws
    /// Encodes the value bytes.
    func encode(into writer: inout ByteWriter)
}

extension STUNPlainAttributeValue {
    /// Forwards to `init(parsing:)`: the transaction id plays no part.
    public init(parsing reader: inout ByteReader, transactionID: TransactionID) throws {
        try self.init(parsing: &reader)
    }

    /// Forwards to `encode(into:)`: the transaction id plays no part.
    public func encode(into writer: inout ByteWriter, transactionID: TransactionID) {
        encode(into: &writer)
    }

    /// The value bytes alone, for tests and tools.
    public var encodedValue: [UInt8] {
        var writer = ByteWriter()
        encode(into: &writer)
        return writer.bytes
    }
}

/// A UTF-8 text attribute (USERNAME, REALM, NONCE, SOFTWARE): one limit, one codec.
///
/// Conforming types only name their type, their RFC byte limit and a checked
/// `init(_:)`; decoding and encoding are shared so the limits are enforced the
/// same way everywhere.
public protocol STUNTextAttributeValue: STUNPlainAttributeValue {
    /// The longest value the RFC allows, in UTF-8 bytes.
    static var maximumLength: Int { get }
    /// The text.
    var value: String { get }
    /// Creates the attribute; more than `maximumLength` UTF-8 bytes is API misuse.
    init(_ value: String) throws
}

extension STUNTextAttributeValue {
    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        try self.init(STUNText.decode(&reader, attribute: Self.attributeType, maxBytes: Self.maximumLength))
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) {
        writer.writeBytes(value.utf8)
    }
}

/// An attribute holding one plain (not XOR-ed) address: MAPPED-ADDRESS,
/// ALTERNATE-SERVER, RESPONSE-ORIGIN, OTHER-ADDRESS and RFC 3489's SOURCE-ADDRESS
/// and CHANGED-ADDRESS all share the RFC 8489 §14.1 layout and one codec.
public protocol STUNAddressAttributeValue: STUNPlainAttributeValue {
    /// The address and port.
    var address: TransportAddress { get }
    /// Creates the attribute.
    init(_ address: TransportAddress)
}

extension STUNAddressAttributeValue {
    /// Decodes the value bytes; malformed values throw `STUNError` (peer violation).
    public init(parsing reader: inout ByteReader) throws {
        self.init(try STUNAddressCodec.read(&reader, attribute: Self.attributeType))
    }

    /// Encodes the value bytes (no TLV header, no padding).
    public func encode(into writer: inout ByteWriter) {
        STUNAddressCodec.write(address, into: &writer)
    }
}

/// Shared checks for the UTF-8 text attributes (USERNAME, REALM, NONCE, SOFTWARE, reasons).
enum STUNText {
    /// Decodes UTF-8 no longer than `maxBytes`, else a peer violation.
    static func decode(_ reader: inout ByteReader, attribute: STUNAttributeType, maxBytes: Int) throws -> String {
        let bytes = reader.readRemaining()
        guard bytes.count <= maxBytes else {
            throw STUNError(.malformedAttribute, "\(attribute) is \(bytes.count) bytes, the limit is \(maxBytes)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw STUNError(.malformedAttribute, "\(attribute) is not valid UTF-8")
        }
        return text
    }

    /// Checks a local value against the RFC limit: too long is API misuse.
    static func validate(_ text: String, attribute: STUNAttributeType, maxBytes: Int) throws {
        let count = text.utf8.count
        guard count <= maxBytes else {
            throw STUNError(.invalidArgument, "\(attribute) must be at most \(maxBytes) bytes of UTF-8, got \(count)")
        }
    }
}

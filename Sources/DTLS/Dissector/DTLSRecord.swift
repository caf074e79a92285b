import Wire

/// One DTLS record (RFC 6347 §4.1): a 13-byte header and its fragment.
///
/// ```
///   struct {
///        ContentType type;
///        ProtocolVersion version;
///        uint16 epoch;                                    // New field
///        uint48 sequence_number;                          // New field
///        uint16 length;
///        opaque fragment[DTLSPlaintext.length];
///   } DTLSPlaintext;
///
///    0       1       2       3       4       5       6       7
///   +-------+-------+-------+-------+-------+-------+-------+-------+
///   | type  |    version    |     epoch     |  sequence_number ...  |
///   +-------+-------+-------+-------+-------+-------+-------+-------+
///   |  ... (48 bits)        |    length     |  fragment ...         |
///   +-------+-------+-------+-------+-------+-------+-------+-------+
/// ```
///
/// Unlike TLS, DTLS puts the epoch and an explicit sequence number in every record
/// because datagrams can be lost or reordered: the receiver cannot count. Several
/// records may share one datagram (RFC 6347 §4.1.1), which is how OpenSSL sends a
/// whole flight. A record with epoch > 0 is protected by that epoch's keys, so its
/// fragment is ciphertext to anyone without them.
public struct DTLSRecord: Hashable, Sendable {
    /// Size of the record header.
    public static let headerSize = 13
    /// RFC 6347 §4.1 / RFC 5246 §6.2.3: a fragment may not exceed 2^14 + 2048 bytes.
    public static let maximumFragmentLength = 16_384 + 2048

    /// What the fragment holds.
    public var contentType: DTLSContentType
    /// The record version (1.0 in the first ClientHello and HelloVerifyRequest).
    public var version: DTLSProtocolVersion
    /// Incremented at every ChangeCipherSpec; 0 means plaintext.
    public var epoch: UInt16
    /// 48-bit per-epoch record counter (replay detection, and the AEAD nonce).
    public var sequenceNumber: UInt64
    /// The payload (plaintext in epoch 0, ciphertext after).
    public var fragment: [UInt8]

    /// Creates a record. `sequenceNumber` keeps only its low 48 bits when encoded.
    public init(contentType: DTLSContentType, version: DTLSProtocolVersion = .dtls12,
                epoch: UInt16 = 0, sequenceNumber: UInt64, fragment: [UInt8]) {
        self.contentType = contentType
        self.version = version
        self.epoch = epoch
        self.sequenceNumber = sequenceNumber
        self.fragment = fragment
    }

    /// True when the fragment is encrypted (epoch > 0): the dissector shows it opaque.
    public var isEncrypted: Bool { epoch > 0 }

    /// Parses one record; a length that overruns the input throws `.malformedRecord`.
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        contentType = DTLSContentType(rawValue: try cursor.uint8("Content Type") { DTLSContentType(rawValue: $0).description })
        version = DTLSProtocolVersion(rawValue: try cursor.uint16("Version") { DTLSProtocolVersion(rawValue: $0).description })
        epoch = try cursor.uint16("Epoch")
        sequenceNumber = try cursor.integer("Sequence Number", width: 6)
        let lengthOffset = cursor.offset
        let length = Int(try cursor.uint16("Length"))
        guard length <= cursor.remaining else {
            throw DTLSError(.malformedRecord,
                            "record Length \(length) (at offset \(lengthOffset)) overruns the datagram: \(cursor.remaining) byte(s) left")
        }
        let start = cursor.offset
        cursor.seek(to: start + length)
        fragment = Array(cursor.bytes[start..<start + length])
    }

    /// Writes header and fragment. The caller keeps fragments within `maximumFragmentLength`.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt8(contentType.rawValue)
        writer.writeUInt16(version.rawValue)
        writer.writeUInt16(epoch)
        writer.writeUInt16(UInt16(truncatingIfNeeded: sequenceNumber >> 32))
        writer.writeUInt32(UInt32(truncatingIfNeeded: sequenceNumber))
        writer.writeUInt16(UInt16(truncatingIfNeeded: fragment.count))
        writer.writeBytes(fragment)
    }

    /// Every record in a datagram, or the first error (a datagram with a broken
    /// record is dropped whole by DTLS stacks, so a strict caller wants to know).
    public static func parseAll(datagram: [UInt8]) throws(DTLSError) -> [DTLSRecord] {
        let scan = scan(datagram: datagram)
        if let error = scan.trailingError { throw error }
        return scan.records
    }

    /// Every record that parses, then the error that stopped the scan (nil when the
    /// datagram was used up cleanly). Records after a broken length cannot be found.
    public static func scan(datagram: [UInt8]) -> (records: [DTLSRecord], trailingError: DTLSError?) {
        var cursor = DissectionCursor(datagram, range: 0..<datagram.count, recording: false)
        var records: [DTLSRecord] = []
        while !cursor.isAtEnd {
            do throws(DTLSError) {
                records.append(try DTLSRecord(cursor: &cursor))
            } catch {
                return (records, error)
            }
        }
        if datagram.isEmpty { return ([], DTLSError(.malformedRecord, "empty datagram: no record header")) }
        return (records, nil)
    }
}

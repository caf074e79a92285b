import Wire

/// The fixed 20-byte header, read on its own (diagram: `STUNMessage`).
///
/// Separate from the message so that tools and integrity checks can look at a
/// header without trusting the attributes after it.
struct STUNHeader: Hashable, Sendable {
    var messageType: STUNMessageType
    var messageLength: Int
    var transactionID: TransactionID
    var format: STUNMessageFormat

    /// Checks size, the zero top bits, length alignment and the cookie (not the length/size match).
    /// With `acceptingClassic`, a missing cookie makes an RFC 3489 header instead of an error.
    init(parsing bytes: [UInt8], maximumSize: Int, acceptingClassic: Bool = false) throws {
        guard bytes.count >= STUNMessage.headerSize else {
            throw STUNError(.truncated, "\(bytes.count) byte(s) cannot hold the 20-byte STUN header", offset: 0)
        }
        guard bytes.count <= maximumSize else {
            throw STUNError(.messageTooLarge, "\(bytes.count) bytes exceed the \(maximumSize)-byte limit", offset: 0)
        }
        var reader = ByteReader(bytes)
        let rawType = try reader.readUInt16()
        guard rawType & 0xC000 == 0 else {
            throw STUNError(.notSTUN, "the two most significant bits must be zero (first byte 0x\(STUNFormat.hex(bytes[0], digits: 2)))", offset: 0)
        }
        let length = Int(try reader.readUInt16())
        guard length % 4 == 0 else {
            throw STUNError(.badLength, "message length \(length) is not a multiple of 4", offset: 2)
        }
        let cookie = try reader.readUInt32()
        if cookie == STUNMessage.magicCookie {
            format = .rfc8489
        } else if acceptingClassic {
            format = .rfc3489(transactionIDPrefix: cookie)
        } else {
            throw STUNError(.badMagicCookie, "magic cookie is 0x\(STUNFormat.hex(cookie, digits: 8)), expected 0x2112a442", offset: 4)
        }
        self.messageType = STUNMessageType(rawValue: rawType)
        self.messageLength = length
        self.transactionID = TransactionID(checked: try reader.readBytes(TransactionID.size))
    }
}

/// Where each attribute sits in a message's bytes, found without decoding values.
///
/// Integrity, fingerprint and the dissector all need offsets into the bytes as
/// received, and the dissector needs the attributes before a broken one, so the
/// scan stops at the first bad TLV and reports it instead of throwing.
struct STUNAttributeScan {
    struct Record {
        var type: STUNAttributeType
        /// Offset of the TLV header.
        var offset: Int
        var valueLength: Int
        /// True when RFC 8489 §14.5-§14.7 say to ignore it (it follows an integrity or fingerprint attribute).
        var isIgnored: Bool

        var valueOffset: Int { offset + 4 }
        var paddingLength: Int { STUNAttribute.paddingLength(for: valueLength) }
        var end: Int { valueOffset + valueLength + paddingLength }

        func attribute(in bytes: [UInt8]) -> STUNAttribute {
            STUNAttribute(type: type,
                          value: Array(bytes[valueOffset..<valueOffset + valueLength]),
                          padding: Array(bytes[valueOffset + valueLength..<end]))
        }
    }

    var records: [Record] = []
    var error: STUNError?

    /// Scans bytes[20..<end].
    init(bytes: [UInt8], end: Int) {
        var offset = STUNMessage.headerSize
        var seenIntegrity = false, seenIntegritySHA256 = false, seenFingerprint = false
        let limit = min(end, bytes.count)
        while offset < limit {
            guard limit - offset >= 4 else {
                error = STUNError(.truncated, "\(limit - offset) byte(s) left, an attribute header needs 4", offset: offset)
                return
            }
            let type = STUNAttributeType(rawValue: UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]))
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let padded = length + STUNAttribute.paddingLength(for: length)
            guard offset + 4 + padded <= limit else {
                error = STUNError(.truncated, "\(type) announces \(length) byte(s) (+\(padded - length) padding), only \(limit - offset - 4) left", offset: offset)
                return
            }
            // RFC 8489 §14.5: after MESSAGE-INTEGRITY only -SHA256 and FINGERPRINT count;
            // §14.6: after -SHA256 only FINGERPRINT; §14.7: FINGERPRINT is last.
            let ignored: Bool
            if seenFingerprint {
                ignored = true
            } else if seenIntegritySHA256 {
                ignored = type != .fingerprint
            } else if seenIntegrity {
                ignored = type != .fingerprint && type != .messageIntegritySHA256
            } else {
                ignored = false
            }
            if !ignored {
                if type == .messageIntegrity { seenIntegrity = true }
                if type == .messageIntegritySHA256 { seenIntegritySHA256 = true }
                if type == .fingerprint { seenFingerprint = true }
            }
            records.append(Record(type: type, offset: offset, valueLength: length, isIgnored: ignored))
            offset += 4 + padded
        }
    }

    /// The first attribute of `type` that counts.
    func first(_ type: STUNAttributeType) -> Record? {
        records.first { $0.type == type && !$0.isIgnored }
    }
}

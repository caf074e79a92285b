import Wire

/// The outcome of checking MESSAGE-INTEGRITY(-SHA256) on received bytes.
public enum STUNIntegrityVerdict: Hashable, Sendable, CustomStringConvertible {
    /// The message carries no integrity attribute.
    case absent
    /// The HMAC matches.
    case valid(STUNIntegrityAlgorithm)
    /// The HMAC does not match: wrong key, or the message was altered.
    case invalid(STUNIntegrityAlgorithm, expected: [UInt8], received: [UInt8])
    /// The message or its integrity attribute could not be read.
    case malformed(STUNError)

    /// True only for `.valid`.
    public var isValid: Bool { if case .valid = self { return true } else { return false } }

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .absent: return "absent"
        case let .valid(algorithm): return "valid (\(algorithm.rawValue))"
        case let .invalid(algorithm, expected, _): return "INVALID (\(algorithm.rawValue); expected \(Hex.encode(expected)))"
        case let .malformed(error): return "malformed (\(error.reason))"
        }
    }
}

/// The outcome of checking FINGERPRINT on received bytes.
public enum STUNFingerprintVerdict: Hashable, Sendable, CustomStringConvertible {
    /// The message carries no FINGERPRINT.
    case absent
    /// The CRC matches.
    case valid(UInt32)
    /// The CRC does not match.
    case invalid(expected: UInt32, received: UInt32)
    /// The message or its FINGERPRINT attribute could not be read.
    case malformed(STUNError)

    /// True for `.valid`.
    public var isValid: Bool { if case .valid = self { return true } else { return false } }

    /// A one-line description for logs.
    public var description: String {
        switch self {
        case .absent: return "absent"
        case let .valid(value): return "valid (0x\(STUNFormat.hex(value, digits: 8)))"
        case let .invalid(expected, received):
            return "INVALID (received 0x\(STUNFormat.hex(received, digits: 8)), expected 0x\(STUNFormat.hex(expected, digits: 8)))"
        case let .malformed(error): return "malformed (\(error.reason))"
        }
    }
}

extension STUNMessage {
    /// Encodes the message and appends, in this order, MESSAGE-INTEGRITY
    /// and/or MESSAGE-INTEGRITY-SHA256 computed with `integrityKey` and then
    /// FINGERPRINT (RFC 8489 §14.5-§14.7). Each is computed over the bytes
    /// before it with the length field set as if it were the last attribute.
    ///
    /// `attributes` should not already hold these attributes (they would be
    /// encoded twice); use `removingProtection()` on a parsed message first.
    /// Asking for either on an RFC 3489 message is `.invalidArgument`.
    public func encode(integrityKey: STUNKey? = nil,
                       algorithms: [STUNIntegrityAlgorithm] = [.hmacSHA1],
                       fingerprint: Bool = false) throws -> [UInt8] {
        if format.isClassic && (integrityKey != nil || fingerprint) {
            // RFC 3489's MESSAGE-INTEGRITY hashes differently (zero-padded to 64 bytes, no length
            // adjustment) and FINGERPRINT did not exist: a classic peer could check neither.
            throw STUNError(.invalidArgument, "RFC 3489 messages carry neither RFC 8489 MESSAGE-INTEGRITY nor FINGERPRINT")
        }
        var bytes = try encode()
        if let integrityKey {
            for algorithm in STUNIntegrityAlgorithm.allCases where algorithms.contains(algorithm) {
                let size = algorithm == .hmacSHA1 ? MessageIntegrity.length : 32
                try Self.setLength(&bytes, bodyLength: bytes.count - Self.headerSize + 4 + size)
                let mac = Self.hmac(algorithm, key: integrityKey, over: bytes)
                bytes += Self.tlvHeader(algorithm.attributeType, length: size) + mac
            }
        }
        if fingerprint {
            try Self.setLength(&bytes, bodyLength: bytes.count - Self.headerSize + 8)
            let crc = Fingerprint.compute(over: bytes)
            bytes += Self.tlvHeader(.fingerprint, length: 4)
            bytes += [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
        }
        return bytes
    }

    /// A copy without MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT,
    /// ready to be re-signed with `encode(integrityKey:...)`.
    public func removingProtection() -> STUNMessage {
        var copy = self
        copy.attributes.removeAll { [.messageIntegrity, .messageIntegritySHA256, .fingerprint].contains($0.type) }
        copy.ignoredAttributes = []
        return copy
    }

    /// Checks the integrity of a received message, on its bytes as received.
    ///
    /// When MESSAGE-INTEGRITY-SHA256 is present it is the one checked (RFC 8489
    /// §9.1.3); otherwise MESSAGE-INTEGRITY. The comparison runs in constant time.
    public static func verifyIntegrity(of bytes: [UInt8], key: STUNKey) -> STUNIntegrityVerdict {
        let scan: STUNAttributeScan
        do { scan = try validatedScan(bytes) } catch { return .malformed(STUNError.from(error, context: "message")) }
        let record: STUNAttributeScan.Record
        let algorithm: STUNIntegrityAlgorithm
        if let sha256 = scan.first(.messageIntegritySHA256) {
            record = sha256
            algorithm = .hmacSHA256
            guard MessageIntegritySHA256.isValidLength(record.valueLength) else {
                return .malformed(STUNError(.malformedAttribute, "MESSAGE-INTEGRITY-SHA256 is \(record.valueLength) bytes", offset: record.offset))
            }
        } else if let sha1 = scan.first(.messageIntegrity) {
            record = sha1
            algorithm = .hmacSHA1
            guard record.valueLength == MessageIntegrity.length else {
                return .malformed(STUNError(.malformedAttribute, "MESSAGE-INTEGRITY is \(record.valueLength) bytes, not 20", offset: record.offset))
            }
        } else {
            return .absent
        }
        let expected = expectedIntegrity(bytes, record: record, algorithm: algorithm, key: key)
        let received = Array(bytes[record.valueOffset..<record.valueOffset + record.valueLength])
        return STUNCrypto.constantTimeEqual(expected, received) ? .valid(algorithm) : .invalid(algorithm, expected: expected, received: received)
    }

    /// Checks FINGERPRINT on a received message's bytes.
    public static func verifyFingerprint(of bytes: [UInt8]) -> STUNFingerprintVerdict {
        let scan: STUNAttributeScan
        do { scan = try validatedScan(bytes) } catch { return .malformed(STUNError.from(error, context: "message")) }
        guard let record = scan.first(.fingerprint) else { return .absent }
        guard record.valueLength == 4 else {
            return .malformed(STUNError(.malformedAttribute, "FINGERPRINT is \(record.valueLength) bytes, not 4", offset: record.offset))
        }
        let expected = expectedFingerprint(bytes, record: record)
        var reader = ByteReader(bytes, range: record.valueOffset..<record.valueOffset + 4)
        let received = (try? reader.readUInt32()) ?? 0
        return expected == received ? .valid(received) : .invalid(expected: expected, received: received)
    }

    // MARK: - Shared with the dissector

    /// Header and TLV framing checks, returning where the attributes are.
    static func validatedScan(_ bytes: [UInt8]) throws -> STUNAttributeScan {
        let header = try STUNHeader(parsing: bytes, maximumSize: defaultMaximumSize)
        guard header.messageLength + headerSize == bytes.count else {
            throw STUNError(.badLength, "length field says \(header.messageLength), datagram has \(bytes.count - headerSize) byte(s) after the header", offset: 2)
        }
        let scan = STUNAttributeScan(bytes: bytes, end: bytes.count)
        if let error = scan.error { throw error }
        return scan
    }

    /// The HMAC the attribute at `record` should hold.
    static func expectedIntegrity(_ bytes: [UInt8], record: STUNAttributeScan.Record,
                                  algorithm: STUNIntegrityAlgorithm, key: STUNKey) -> [UInt8] {
        var covered = Array(bytes[0..<record.offset])
        // Length as if the message ended with this attribute (its full, unpadded size is a multiple of 4).
        let body = record.offset - headerSize + 4 + record.valueLength + record.paddingLength
        covered[2] = UInt8((body >> 8) & 0xFF)
        covered[3] = UInt8(body & 0xFF)
        let mac = hmac(algorithm, key: key, over: covered)
        return Array(mac.prefix(record.valueLength))
    }

    /// The CRC the FINGERPRINT at `record` should hold.
    static func expectedFingerprint(_ bytes: [UInt8], record: STUNAttributeScan.Record) -> UInt32 {
        var covered = Array(bytes[0..<record.offset])
        let body = record.offset - headerSize + 8
        covered[2] = UInt8((body >> 8) & 0xFF)
        covered[3] = UInt8(body & 0xFF)
        return Fingerprint.compute(over: covered)
    }

    private static func hmac(_ algorithm: STUNIntegrityAlgorithm, key: STUNKey, over bytes: [UInt8]) -> [UInt8] {
        algorithm == .hmacSHA1 ? STUNCrypto.hmacSHA1(key: key.bytes, data: bytes)
                               : STUNCrypto.hmacSHA256(key: key.bytes, data: bytes)
    }

    private static func setLength(_ bytes: inout [UInt8], bodyLength: Int) throws {
        guard bodyLength <= STUNAttribute.maximumValueLength else {
            throw STUNError(.invalidArgument, "message body of \(bodyLength) bytes does not fit the length field")
        }
        bytes[2] = UInt8(bodyLength >> 8)
        bytes[3] = UInt8(bodyLength & 0xFF)
    }

    private static func tlvHeader(_ type: STUNAttributeType, length: Int) -> [UInt8] {
        [UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xFF), UInt8(length >> 8), UInt8(length & 0xFF)]
    }
}

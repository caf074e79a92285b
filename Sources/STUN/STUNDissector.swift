import Wire

/// Turns any byte string into a Wireshark-like tree of `DissectedField`s:
/// the header field by field, then every attribute with its type, length,
/// decoded value and padding, with integrity and fingerprint verdicts.
///
/// Built for tools (`stun-probe`) and lessons, so it explains rather than
/// judges: broken input (truncated, wrong cookie, a bad attribute) becomes
/// error nodes (`isError`) next to everything that could still be read, never
/// a thrown error or a trap. Field names follow Wireshark's STUN dissector
/// ("Message Type", "Message Cookie", "Attribute Type"...).
public enum STUNDissector {
    /// The protocol node's name.
    public static let protocolName = "Session Traversal Utilities for NAT"

    /// Dissects `bytes`. With `integrityKey`, MESSAGE-INTEGRITY(-SHA256) gets a
    /// valid/invalid verdict; FINGERPRINT is always checked.
    public static func dissect(_ bytes: [UInt8], integrityKey: STUNKey? = nil) -> DissectedField {
        var children = header(bytes)
        var summary = "truncated"
        var rootError = false
        var declaredLength = 0
        if bytes.count >= 4 { declaredLength = Int(bytes[2]) << 8 | Int(bytes[3]) }
        if bytes.count >= 2 {
            let type = STUNMessageType(rawValue: UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
            summary = "\(type)"
            let kind = DemuxedProtocol.classify(firstByte: bytes[0])
            if bytes[0] & 0xC0 != 0 {
                summary = "not STUN (the two top bits of the first byte are not zero; RFC 7983 says \(kind.rawValue))"
                rootError = true
            } else if kind != .stun {
                summary = "not STUN (RFC 7983: first byte 0x\(STUNFormat.hex(bytes[0], digits: 2)) is \(kind.rawValue)), read as \(type)"
                rootError = true
            }
        }
        if bytes.count >= STUNMessage.headerSize {
            let end = min(bytes.count, STUNMessage.headerSize + declaredLength)
            children.append(attributes(bytes, end: end, integrityKey: integrityKey))
            if STUNMessage.headerSize + declaredLength < bytes.count {
                let extra = bytes.count - STUNMessage.headerSize - declaredLength
                children.append(DissectedField(name: "Trailing bytes", offset: end, length: extra,
                                               value: "\(extra) byte(s) after the message length", isError: true))
            }
        } else {
            children.append(DissectedField(name: "Malformed", offset: bytes.count, length: 0,
                                           value: "\(bytes.count) byte(s): a STUN header needs 20", isError: true))
        }
        return DissectedField(name: protocolName, offset: 0, length: bytes.count,
                              value: "\(summary), \(bytes.count) bytes", children: children, isError: rootError)
    }

    // MARK: - Header

    private static func header(_ bytes: [UInt8]) -> [DissectedField] {
        var fields: [DissectedField] = []
        if bytes.count >= 2 {
            let raw = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
            fields.append(messageType(raw))
        }
        if bytes.count >= 4 {
            let length = Int(bytes[2]) << 8 | Int(bytes[3])
            let after = bytes.count - STUNMessage.headerSize
            var value = "\(length)"
            var problem = false
            if length % 4 != 0 { value += " (not a multiple of 4)"; problem = true }
            if bytes.count >= STUNMessage.headerSize, length != after {
                value += " (but \(max(0, after)) byte(s) follow the header)"
                problem = true
            }
            fields.append(DissectedField(name: "Message Length", offset: 2, length: 2, value: value, isError: problem))
        }
        if bytes.count >= 8 {
            let cookie = UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7])
            let ok = cookie == STUNMessage.magicCookie
            fields.append(DissectedField(name: "Message Cookie", offset: 4, length: 4,
                                         value: "0x\(STUNFormat.hex(cookie, digits: 8))"
                                             + (ok ? "" : " (expected 0x2112a442; an RFC 3489 message has none: bytes 4-19 are its 128-bit transaction id)"),
                                         isError: !ok))
        }
        if bytes.count >= STUNMessage.headerSize {
            fields.append(DissectedField(name: "Message Transaction ID", offset: 8, length: 12,
                                         value: "0x" + Hex.encode(bytes[8..<20])))
        }
        return fields
    }

    private static func messageType(_ raw: UInt16) -> DissectedField {
        let type = STUNMessageType(rawValue: raw)
        let c1 = (raw >> 8) & 1, c0 = (raw >> 4) & 1
        var children = [
            DissectedField(name: "Message Class", offset: 0, length: 2,
                           value: "\(type.messageClass) (0x\(STUNFormat.hex(type.messageClass.rawValue, digits: 2))): C1 = \(c1) (bit 8), C0 = \(c0) (bit 4)"),
            DissectedField(name: "Message Method", offset: 0, length: 2,
                           value: "\(type.method) (0x\(STUNFormat.hex(type.method.rawValue, digits: 3))): bits M11-M0 around the class bits"),
        ]
        if raw & 0xC000 != 0 {
            children.insert(DissectedField(name: "Leading Bits", offset: 0, length: 1,
                                           value: "\(raw >> 14) (must be 0 in STUN)", isError: true), at: 0)
        }
        return DissectedField(name: "Message Type", offset: 0, length: 2,
                              value: "0x\(STUNFormat.hex(raw, digits: 4)) (\(type))", children: children)
    }

    // MARK: - Attributes

    private static func attributes(_ bytes: [UInt8], end: Int, integrityKey: STUNKey?) -> DissectedField {
        let scan = STUNAttributeScan(bytes: bytes, end: end)
        let transactionID = TransactionID(checked: Array(bytes[8..<20]))
        var children: [DissectedField] = []
        for record in scan.records {
            children.append(attribute(bytes, record: record, transactionID: transactionID, integrityKey: integrityKey))
        }
        if let error = scan.error {
            let offset = error.offset ?? end
            children.append(DissectedField(name: "Malformed", offset: offset, length: max(0, end - offset),
                                           value: error.reason, isError: true))
        }
        let count = scan.records.count
        return DissectedField(name: "Attributes", offset: STUNMessage.headerSize, length: max(0, end - STUNMessage.headerSize),
                              value: "\(count) attribute\(count == 1 ? "" : "s")", children: children)
    }

    private static func attribute(_ bytes: [UInt8], record: STUNAttributeScan.Record,
                                  transactionID: TransactionID, integrityKey: STUNKey?) -> DissectedField {
        let type = record.type
        let requirement = type.isComprehensionRequired ? "comprehension-required" : "comprehension-optional"
        var children = [
            DissectedField(name: "Attribute Type", offset: record.offset, length: 2,
                           value: "\(type.name ?? "Unknown") (0x\(STUNFormat.hex(type.rawValue, digits: 4))), \(requirement)"),
            DissectedField(name: "Attribute Length", offset: record.offset + 2, length: 2, value: "\(record.valueLength)"),
        ]
        let value = STUNAttributeDissector.fields(bytes, record: record, transactionID: transactionID, integrityKey: integrityKey)
        children += value.fields
        if record.paddingLength > 0 {
            let start = record.valueOffset + record.valueLength
            let pad = bytes[start..<start + record.paddingLength]
            let zero = pad.allSatisfy { $0 == 0 }
            children.append(DissectedField(name: "Padding", offset: start, length: record.paddingLength,
                                           value: "\(record.paddingLength) byte(s)" + (zero ? "" : " (not zero; allowed, and covered by integrity)")))
        }
        var summary = value.summary
        if record.isIgnored { summary = "(ignored: follows MESSAGE-INTEGRITY or FINGERPRINT) " + summary }
        return DissectedField(name: type.name ?? "Unknown attribute 0x\(STUNFormat.hex(type.rawValue, digits: 4))",
                              offset: record.offset, length: record.end - record.offset,
                              value: summary, children: children, isError: value.isError)
    }
}

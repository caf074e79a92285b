import Wire

/// Per-attribute value fields for `STUNDissector` (one case per layout).
enum STUNAttributeDissector {
    struct Result {
        var summary: String
        var fields: [DissectedField]
        var isError = false
    }

    static func fields(_ bytes: [UInt8], record: STUNAttributeScan.Record,
                       transactionID: TransactionID, integrityKey: STUNKey?) -> Result {
        let start = record.valueOffset
        let value = Array(bytes[start..<start + record.valueLength])
        let attribute = STUNAttribute(type: record.type, value: value)
        func field(_ name: String, _ offset: Int, _ length: Int, _ text: String, error: Bool = false) -> DissectedField {
            DissectedField(name: name, offset: start + offset, length: length, value: text, isError: error)
        }
        func malformed(_ error: any Error) -> Result {
            let reason = (error as? STUNError)?.reason ?? "\(error)"
            return Result(summary: "malformed: \(reason)",
                          fields: [field("Malformed", 0, value.count, reason, error: true)], isError: true)
        }
        do {
            switch record.type {
            case .mappedAddress, .alternateServer, .responseAddress, .sourceAddress, .changedAddress,
                 .responseOrigin, .otherAddress:
                // All share MAPPED-ADDRESS's plain layout (RFC 8489 §14.1, RFC 3489 §11.2, RFC 5780 §7).
                var reader = ByteReader(value)
                let address = try STUNAddressCodec.read(&reader, attribute: record.type)
                return Result(summary: "\(address)", fields: [
                    field("Reserved", 0, 1, "0x\(STUNFormat.hex(value[0], digits: 2))"),
                    field("Protocol Family", 1, 1, "\(STUNAddressFamily(rawValue: value[1])) (0x\(STUNFormat.hex(value[1], digits: 2)))"),
                    field("Port", 2, 2, "\(address.port)"),
                    field("IP", 4, value.count - 4, "\(address.ip)"),
                ])
            case .xorMappedAddress, .xorPeerAddress, .xorRelayedAddress:
                return try xorAddress(value, record: record, transactionID: transactionID, field: field)
            case .username, .realm, .nonce, .software:
                let names: [STUNAttributeType: String] = [.username: "Username", .realm: "Realm", .nonce: "Nonce", .software: "Software"]
                let text: String
                switch record.type {
                case .username: text = try attribute.decode(as: Username.self, transactionID: transactionID).value
                case .realm: text = try attribute.decode(as: Realm.self, transactionID: transactionID).value
                case .nonce: text = try attribute.decode(as: Nonce.self, transactionID: transactionID).value
                default: text = try attribute.decode(as: Software.self, transactionID: transactionID).value
                }
                return Result(summary: "\"\(text)\"", fields: [field(names[record.type] ?? "Value", 0, value.count, "\"\(text)\"")])
            case .messageIntegrity, .messageIntegritySHA256:
                return integrity(bytes, record: record, integrityKey: integrityKey, field: field)
            case .fingerprint:
                return fingerprint(bytes, record: record, field: field)
            case .errorCode:
                let error = try attribute.decode(as: ErrorCodeAttribute.self, transactionID: transactionID)
                return Result(summary: "\(error.code.rawValue) \(error.reason)", fields: [
                    field("Reserved", 0, 2, "0x\(STUNFormat.hex(UInt16(value[0]) << 8 | UInt16(value[1]), digits: 4))"),
                    field("Error Class", 2, 1, "\(error.code.errorClass)"),
                    field("Error Number", 3, 1, "\(error.code.number)"),
                    field("Error Code", 2, 2, "\(error.code)"),
                    field("Error Reason Phrase", 4, value.count - 4, "\"\(error.reason)\""),
                ])
            case .unknownAttributes:
                let list = try attribute.decode(as: UnknownAttributes.self, transactionID: transactionID)
                let entries = list.types.enumerated().map { index, type in
                    field("Attribute Type", index * 2, 2, "\(type.name ?? "Unknown") (0x\(STUNFormat.hex(type.rawValue, digits: 4)))")
                }
                return Result(summary: list.types.map { "0x\(STUNFormat.hex($0.rawValue, digits: 4))" }.joined(separator: ", "), fields: entries)
            case .changeRequest:
                let change = try attribute.decode(as: ChangeRequest.self, transactionID: transactionID)
                return Result(summary: "\(change)", fields: [
                    field("Change IP", 0, 4, change.changesIP ? "set (A, 0x4)" : "not set"),
                    field("Change Port", 0, 4, change.changesPort ? "set (B, 0x2)" : "not set"),
                ])
            case .priority:
                let priority = try attribute.decode(as: ICEPriority.self, transactionID: transactionID)
                return Result(summary: "\(priority.value)", fields: [field("Priority", 0, 4, "\(priority.value) (0x\(STUNFormat.hex(priority.value, digits: 8)))")])
            case .useCandidate:
                _ = try attribute.decode(as: ICEUseCandidate.self, transactionID: transactionID)
                return Result(summary: "flag (no value)", fields: [])
            case .iceControlled, .iceControlling:
                let tieBreaker = record.type == .iceControlled
                    ? try attribute.decode(as: ICEControlled.self, transactionID: transactionID).tieBreaker
                    : try attribute.decode(as: ICEControlling.self, transactionID: transactionID).tieBreaker
                let text = "0x\(STUNFormat.hex(tieBreaker, digits: 16))"
                return Result(summary: "tie-breaker \(text)", fields: [field("Tie breaker", 0, 8, text)])
            case .channelNumber, .lifetime, .data, .requestedAddressFamily, .evenPort, .requestedTransport,
                 .dontFragment, .reservationToken:
                return try turnFields(attribute, transactionID: transactionID, field: field)
            default:
                let text = value.isEmpty ? "(empty)" : Hex.encode(value)
                return Result(summary: "\(value.count) byte(s)", fields: [field("Value", 0, value.count, text)])
            }
        } catch {
            return malformed(error)
        }
    }

    private static func xorAddress(_ value: [UInt8], record: STUNAttributeScan.Record, transactionID: TransactionID,
                                   field: (String, Int, Int, String, Bool) -> DissectedField) throws -> Result {
        var reader = ByteReader(value)
        let xored = try STUNAddressCodec.read(&reader, attribute: record.type)
        let real = STUNAddressCodec.xor(xored, transactionID: transactionID)
        let label = record.type == .xorMappedAddress ? "Mapped" : record.type == .xorPeerAddress ? "Peer" : "Relayed"
        let xAddress = Hex.encode(value[4...])
        return Result(summary: "\(real)", fields: [
            field("Reserved", 0, 1, "0x\(STUNFormat.hex(value[0], digits: 2))", false),
            field("Protocol Family", 1, 1, "\(STUNAddressFamily(rawValue: value[1])) (0x\(STUNFormat.hex(value[1], digits: 2)))", false),
            field("X-Port", 2, 2, "0x\(STUNFormat.hex(xored.port, digits: 4)) (port \(real.port) after XOR with 0x2112)", false),
            field("X-Address", 4, value.count - 4,
                  "0x\(xAddress) (\(real.ip) after XOR with the \(real.ip.isIPv4 ? "magic cookie" : "magic cookie and transaction id"))", false),
            field(label, 0, value.count, "\(real)", false),
        ])
    }

    private static func integrity(_ bytes: [UInt8], record: STUNAttributeScan.Record, integrityKey: STUNKey?,
                                  field: (String, Int, Int, String, Bool) -> DissectedField) -> Result {
        let sha1 = record.type == .messageIntegrity
        let name = sha1 ? "HMAC-SHA1" : "HMAC-SHA256"
        let lengthOK = sha1 ? record.valueLength == MessageIntegrity.length : MessageIntegritySHA256.isValidLength(record.valueLength)
        let received = Array(bytes[record.valueOffset..<record.valueOffset + record.valueLength])
        var fields = [field(name, 0, record.valueLength, Hex.encode(received), false)]
        guard lengthOK else {
            fields.append(field("Malformed", 0, record.valueLength, "\(record.valueLength) bytes is not a valid \(name) length", true))
            return Result(summary: "malformed length \(record.valueLength)", fields: fields, isError: true)
        }
        guard let integrityKey, !record.isIgnored else {
            let why = record.isIgnored ? "not checked (ignored attribute)" : "not checked (no key given)"
            fields.append(field("Verdict", 0, 0, why, false))
            return Result(summary: Hex.encode(received.prefix(8)) + "…, " + why, fields: fields)
        }
        let algorithm: STUNIntegrityAlgorithm = sha1 ? .hmacSHA1 : .hmacSHA256
        let expected = STUNMessage.expectedIntegrity(bytes, record: record, algorithm: algorithm, key: integrityKey)
        let valid = STUNCrypto.constantTimeEqual(expected, received)
        let verdict = valid ? "valid" : "INVALID (expected \(Hex.encode(expected)))"
        fields.append(field("Verdict", 0, 0, verdict, !valid))
        return Result(summary: verdict, fields: fields, isError: !valid)
    }

    private static func fingerprint(_ bytes: [UInt8], record: STUNAttributeScan.Record,
                                    field: (String, Int, Int, String, Bool) -> DissectedField) -> Result {
        guard record.valueLength == 4 else {
            return Result(summary: "malformed length \(record.valueLength)",
                          fields: [field("Malformed", 0, record.valueLength, "FINGERPRINT must be 4 bytes", true)], isError: true)
        }
        let v = record.valueOffset
        let received = UInt32(bytes[v]) << 24 | UInt32(bytes[v + 1]) << 16 | UInt32(bytes[v + 2]) << 8 | UInt32(bytes[v + 3])
        let expected = STUNMessage.expectedFingerprint(bytes, record: record)
        let valid = expected == received
        let hex = "0x\(STUNFormat.hex(received, digits: 8))"
        let verdict = valid ? "valid" : "INVALID (expected 0x\(STUNFormat.hex(expected, digits: 8)))"
        return Result(summary: "\(hex), \(verdict)", fields: [
            field("CRC-32", 0, 4, "\(hex) (CRC-32 of the message before it, XOR 0x5354554e)", false),
            field("Verdict", 0, 0, verdict, !valid),
        ], isError: !valid)
    }
}

import Wire

extension STUNAttributeDissector {
    /// Value fields of the TURN attributes (RFC 8656 §18) other than the XOR-ed addresses,
    /// which share XOR-MAPPED-ADDRESS's dissection.
    static func turnFields(_ attribute: STUNAttribute, transactionID: TransactionID,
                           field: (String, Int, Int, String, Bool) -> DissectedField) throws -> Result {
        let value = attribute.value
        switch attribute.type {
        case .channelNumber:
            let channel = try attribute.decode(as: ChannelNumber.self, transactionID: transactionID)
            let text = "0x\(STUNFormat.hex(channel.number, digits: 4))"
            let range = channel.isInValidRange ? "" : " (outside 0x4000-0x4FFF)"
            return Result(summary: text + range, fields: [
                field("Channel Number", 0, 2, text + range, !channel.isInValidRange),
                field("RFFU", 2, 2, "0x\(STUNFormat.hex(UInt16(value[2]) << 8 | UInt16(value[3]), digits: 4))", false),
            ], isError: !channel.isInValidRange)
        case .lifetime:
            let lifetime = try attribute.decode(as: Lifetime.self, transactionID: transactionID)
            return Result(summary: "\(lifetime.seconds) s", fields: [field("Lifetime", 0, 4, "\(lifetime.seconds) seconds", false)])
        case .data:
            let text = value.isEmpty ? "(empty)" : Hex.encode(value.prefix(64)) + (value.count > 64 ? "…" : "")
            return Result(summary: "\(value.count) byte(s)", fields: [field("Data", 0, value.count, text, false)])
        case .requestedAddressFamily:
            let family = try attribute.decode(as: RequestedAddressFamily.self, transactionID: transactionID).family
            return Result(summary: "\(family)", fields: [
                field("Family", 0, 1, "\(family) (0x\(STUNFormat.hex(family.rawValue, digits: 2)))", false),
                field("Reserved", 1, 3, Hex.encode(value[1...]), false),
            ])
        case .evenPort:
            let even = try attribute.decode(as: EvenPort.self, transactionID: transactionID)
            let text = even.reservesNextPort ? "R=1 (reserve the next port)" : "R=0"
            return Result(summary: text, fields: [field("Reserve", 0, 1, text, false)])
        case .requestedTransport:
            let transport = try attribute.decode(as: RequestedTransport.self, transactionID: transactionID)
            let name = transport.protocolNumber == 17 ? "UDP" : transport.protocolNumber == 6 ? "TCP" : "protocol"
            let text = "\(name) (\(transport.protocolNumber))"
            return Result(summary: text, fields: [
                field("Protocol", 0, 1, text, false),
                field("RFFU", 1, 3, Hex.encode(value[1...]), false),
            ])
        case .dontFragment:
            _ = try attribute.decode(as: DontFragment.self, transactionID: transactionID)
            return Result(summary: "flag (no value)", fields: [])
        default:
            let token = try attribute.decode(as: ReservationToken.self, transactionID: transactionID)
            let text = "0x\(STUNFormat.hex(token.token, digits: 16))"
            return Result(summary: text, fields: [field("Token", 0, 8, text, false)])
        }
    }
}

import STUN
import Wire

/// Answers RFC 3489 ("classic STUN") Binding requests, which RFC 8489's parser
/// rightly rejects: they have no magic cookie, because bytes 4-19 are one
/// 128-bit transaction id.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      STUN Message Type        |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                  Transaction ID (128 bits, RFC 3489)          |
/// |                                                               |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// RFC 8489 §12 asks a server to keep answering such clients, with MAPPED-ADDRESS
/// (they do not know XOR-MAPPED-ADDRESS). Debian's `stun` client is one of them:
/// it runs the RFC 3489 NAT-type tests, sending CHANGE-REQUEST (0x0003) in every
/// request. We have one address, so we cannot answer "from another IP/port": a
/// request with a change flag set gets 420 Unknown Attribute (as coturn does
/// without RFC 5780 support), and flags 0 are answered normally. CHANGED-ADDRESS
/// names our own address so that a classic client's follow-up test stays on it.
///
/// This lives in the tool, not in `STUNServer`, because RFC 3489 support is a
/// compatibility courtesy of this server rather than part of the RFC 8489 stack.
struct LegacyBindingResponder {
    /// An RFC 3489 answer, for the server log.
    struct Answer: CustomStringConvertible {
        var client: TransportAddress
        var changeFlags: UInt32?
        var errorCode: Int?
        var mapped: TransportAddress?

        var description: String {
            var text = "\(client) Binding Request (RFC 3489, no magic cookie"
            if let changeFlags { text += ", CHANGE-REQUEST 0x\(String(changeFlags, radix: 16))" }
            text += ") -> "
            if let errorCode { return text + "Binding Error Response \(errorCode): cannot answer from another address" }
            return text + "Binding Success Response (MAPPED-ADDRESS \(mapped.map { "\($0)" } ?? "?"))"
        }
    }

    static let bindingRequest: UInt16 = 0x0001
    static let bindingSuccess: UInt16 = 0x0101
    static let bindingError: UInt16 = 0x0111
    static let changeRequest: UInt16 = 0x0003
    static let responseAddress: UInt16 = 0x0002
    static let sourceAddress: UInt16 = 0x0004
    static let changedAddress: UInt16 = 0x0005

    /// True for a well-framed Binding request without the RFC 8489 magic cookie.
    static func isLegacyBindingRequest(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 20, bytes[0] == 0x00, bytes[1] == 0x01 else { return false }
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        let cookie = UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7])
        return cookie != STUNMessage.magicCookie && length % 4 == 0 && length + 20 == bytes.count
    }

    /// The answer to a legacy request (call only when `isLegacyBindingRequest`), or nil
    /// when its attributes are not well framed (garbage is never answered).
    static func answer(_ datagram: Datagram) -> (response: [UInt8], answer: Answer)? {
        let bytes = datagram.payload
        var reader = ByteReader(bytes, range: 20..<bytes.count)
        var changeFlags: UInt32?
        var unknown: [UInt16] = []
        while !reader.isAtEnd {
            guard let type = try? reader.readUInt16(), let length = try? reader.readUInt16(),
                  var value = try? reader.subReader(Int(length)) else { return nil }
            switch type {
            case changeRequest:
                guard length == 4, let flags = try? value.readUInt32() else { return nil }
                changeFlags = flags
            case responseAddress:
                // Answering to a third address would make us a reflector: refuse it.
                unknown.append(type)
            case 0x0006, 0x0008:
                break // USERNAME, MESSAGE-INTEGRITY: this server does not authenticate classic clients
            default:
                if type < 0x8000 { unknown.append(type) }
            }
        }
        let transactionID = Array(bytes[4..<20])
        let wantsChange = (changeFlags ?? 0) & 0x06 != 0
        if wantsChange { unknown.insert(changeRequest, at: 0) }
        var writer = ByteWriter(capacity: 96)
        let info = Answer(client: datagram.source, changeFlags: changeFlags,
                          errorCode: unknown.isEmpty ? nil : 420, mapped: unknown.isEmpty ? datagram.source : nil)
        if unknown.isEmpty {
            writer.writeUInt16(bindingSuccess)
            writer.writeUInt16(0)
            writer.writeBytes(transactionID)
            writeAddress(type: STUNAttributeType.mappedAddress.rawValue, datagram.source, into: &writer)
            writeAddress(type: sourceAddress, datagram.destination, into: &writer)
            writeAddress(type: changedAddress, datagram.destination, into: &writer)
        } else {
            writer.writeUInt16(bindingError)
            writer.writeUInt16(0)
            writer.writeBytes(transactionID)
            // RFC 3489 §11.2.9: the reason phrase's length is a multiple of 4 (classic parsers skip no padding).
            let reason = spacePadded("Unknown Attribute: this server has no alternate address")
            writer.writeUInt16(STUNAttributeType.errorCode.rawValue)
            writer.writeUInt16(UInt16(4 + reason.count))
            writer.writeBytes([0, 0, 4, 20] + reason)
            var list = unknown
            if list.count % 2 == 1 { list.append(list[list.count - 1]) } // RFC 3489 §11.2.10: repeat one to fill 32 bits
            writer.writeUInt16(STUNAttributeType.unknownAttributes.rawValue)
            writer.writeUInt16(UInt16(list.count * 2))
            for type in list { writer.writeUInt16(type) }
        }
        let software = spacePadded("webrtc-lab stun-probe")
        writer.writeUInt16(STUNAttributeType.software.rawValue)
        writer.writeUInt16(UInt16(software.count))
        writer.writeBytes(software)
        writer.patchUInt16(UInt16(writer.count - 20), at: 2)
        return (writer.bytes, info)
    }

    /// UTF-8 padded with spaces to a multiple of 4: classic parsers expect no padding after text.
    private static func spacePadded(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        while bytes.count % 4 != 0 { bytes.append(0x20) }
        return bytes
    }

    /// MAPPED-ADDRESS layout (RFC 3489 §11.2.1), IPv4 or IPv6.
    private static func writeAddress(type: UInt16, _ address: TransportAddress, into writer: inout ByteWriter) {
        let ip = address.ip.bytes
        writer.writeUInt16(type)
        writer.writeUInt16(UInt16(4 + ip.count))
        writer.writeUInt8(0)
        writer.writeUInt8(address.ip.isIPv4 ? 0x01 : 0x02)
        writer.writeUInt16(address.port)
        writer.writeBytes(ip)
    }
}

import STUN
import Wire

/// One datagram of a `--turn` run, on one of the two hops the run can see.
struct TurnWireMessage {
    /// Which hop, named from the client's point of view.
    enum Leg: String, Encodable {
        case clientToServer = "client->server"
        case serverToClient = "server->client"
        case relayToPeer = "relay->peer"
        case peerToRelay = "peer->relay"

        /// TURN-framed (client hop) or the bare payload (peer hop).
        var isClientHop: Bool { self == .clientToServer || self == .serverToClient }
    }

    var leg: Leg
    var datagram: Datagram
    var at: Instant
    /// The step of the walk-through it belongs to.
    var step: TurnStep

    var bytes: [UInt8] { datagram.payload }

    /// The STUN message, when the datagram holds one.
    var stun: STUNMessage? {
        guard leg.isClientHop, DemuxedProtocol.classify(bytes) == .stun else { return nil }
        return try? STUNMessage(parsing: bytes)
    }

    /// The ChannelData message, when the datagram holds one.
    var channelData: ChannelData? {
        guard leg.isClientHop, DemuxedProtocol.classify(bytes) == .turnChannel else { return nil }
        return try? ChannelData(parsing: bytes)
    }

    /// "Allocate Error Response 401", "ChannelData 0x4000", "UDP payload".
    var kind: String {
        if let message = stun {
            var text = "\(message.messageType)"
            if let error = try? message.attribute(ErrorCodeAttribute.self) { text += " \(error.code.rawValue)" }
            return text
        }
        if let channel = channelData { return "ChannelData 0x\(TurnText.hex4(channel.channelNumber))" }
        return leg.isClientHop ? "unrecognised datagram" : "UDP payload"
    }

    /// The application bytes a Send/Data indication or ChannelData carries, or the
    /// whole datagram on the peer hop (where the relay sends bare UDP).
    var payload: [UInt8]? {
        if !leg.isClientHop { return bytes }
        if let channel = channelData { return channel.data }
        guard let message = stun, message.messageType.messageClass == .indication else { return nil }
        return message.rawAttribute(.data)?.value
    }

    /// Bytes spent on TURN's framing, part by part: the 20-byte STUN header and every
    /// attribute (its 4-byte header, value and padding) except the payload itself,
    /// whose attribute header and padding count as framing; or ChannelData's 4-byte header.
    var framing: [(part: String, bytes: Int)] {
        if channelData != nil { return [("ChannelData header", ChannelData.headerSize)] }
        guard let message = stun else { return [] }
        var parts: [(String, Int)] = [("STUN header", STUNMessage.headerSize)]
        for attribute in message.attributes {
            if attribute.type == .data {
                parts.append(("DATA header" + (attribute.padding.isEmpty ? "" : " + padding"), 4 + attribute.padding.count))
            } else {
                parts.append(("\(attribute.type)", 4 + attribute.value.count + attribute.padding.count))
            }
        }
        return parts
    }

    /// The datagram as a packet tree: STUN through the library's dissector (with the
    /// long-term key, once known, to verify MESSAGE-INTEGRITY), ChannelData here.
    func tree(key: STUNKey?) -> DissectedField {
        if leg.isClientHop, DemuxedProtocol.classify(bytes) == .turnChannel { return Self.dissectChannelData(bytes) }
        return STUNDissector.dissect(bytes, integrityKey: key)
    }

    /// RFC 8656 §12.4: Channel Number (2 bytes), Length (2 bytes), Application Data.
    static func dissectChannelData(_ bytes: [UInt8]) -> DissectedField {
        guard bytes.count >= ChannelData.headerSize else {
            return DissectedField(name: "TURN ChannelData", offset: 0, length: bytes.count,
                                  value: "truncated: \(bytes.count) of 4 header bytes", isError: true)
        }
        let channel = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        let available = bytes.count - ChannelData.headerSize
        let inRange = ChannelNumber.validRange.contains(channel)
        var children = [
            DissectedField(name: "Channel Number", offset: 0, length: 2,
                           value: "0x\(TurnText.hex4(channel))" + (inRange ? "" : " (outside 0x4000-0x4FFF)"),
                           isError: !inRange),
            DissectedField(name: "Length", offset: 2, length: 2, value: "\(length) bytes of application data",
                           isError: length > available),
        ]
        let shown = min(length, available)
        let data = bytes[ChannelData.headerSize..<(ChannelData.headerSize + shown)]
        children.append(DissectedField(name: "Application Data", offset: ChannelData.headerSize, length: shown,
                                       value: TurnText.quoted(Array(data))))
        if available > length {
            children.append(DissectedField(name: "Padding", offset: ChannelData.headerSize + length, length: available - length,
                                           value: "\(available - length) byte(s) (optional over UDP, RFC 8656 §12.5)"))
        }
        return DissectedField(name: "TURN ChannelData", offset: 0, length: bytes.count,
                              value: "channel 0x\(TurnText.hex4(channel)), \(length) bytes",
                              children: children, isError: !inRange || length > available)
    }
}

/// Small text helpers shared by the TURN reports.
enum TurnText {
    /// Four hexadecimal digits, as channel numbers are written ("4000").
    static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Printable ASCII in quotes, anything else as hexadecimal (first 64 bytes).
    static func quoted(_ bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "\"" + String(decoding: bytes.prefix(64), as: UTF8.self) + (bytes.count > 64 ? "…" : "") + "\""
        }
        return Hex.encode(bytes.prefix(64)) + (bytes.count > 64 ? "…" : "")
    }
}

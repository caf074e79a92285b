import Wire

/// An IP packet carrying one UDP datagram: what one pcap record holds.
///
/// `synthesize` builds the bytes the kernel would have sent for a `Datagram`;
/// `init(parsing:)` takes such bytes apart again and checks both checksums.
public struct CapturedPacket: Hashable, Sendable {
    /// The IP header, of either family.
    public enum IPHeader: Hashable, Sendable {
        case v4(IPv4Header)
        case v6(IPv6Header)
    }

    /// The IP header.
    public var ip: IPHeader
    /// The UDP header.
    public var udp: UDPHeader
    /// The UDP payload (as long as UDP's length field says).
    public var payload: [UInt8]

    /// Largest UDP payload one IPv4 packet can carry (65535 - 20 - 8).
    public static let maximumIPv4Payload = 65_507
    /// Largest UDP payload without IPv6 jumbograms (65535 - 8).
    public static let maximumIPv6Payload = 65_527

    /// Builds the IPv4 or IPv6 packet for `datagram`, with correct checksums.
    ///
    /// Throws `.unsupportedDatagram` when the addresses are of different families
    /// or the payload cannot fit one IP packet.
    public static func synthesize(_ datagram: Datagram, identification: UInt16 = 0) throws -> [UInt8] {
        let source = datagram.source, destination = datagram.destination
        guard source.ip.isIPv4 == destination.ip.isIPv4 else {
            throw PacketCaptureError(.unsupportedDatagram,
                                     "cannot put \(source) -> \(destination) in one IP packet: mixed families")
        }
        let limit = source.ip.isIPv4 ? maximumIPv4Payload : maximumIPv6Payload
        guard datagram.payload.count <= limit else {
            throw PacketCaptureError(.unsupportedDatagram,
                                     "a \(datagram.payload.count)-byte payload exceeds the \(limit)-byte IP limit")
        }
        let udp = UDPHeader(source: source, destination: destination, payload: datagram.payload)
        let udpLength = UDPHeader.length + datagram.payload.count
        var writer = ByteWriter(capacity: IPv6Header.length + udpLength)
        if source.ip.isIPv4 {
            IPv4Header(source: source.ip.bytes, destination: destination.ip.bytes, payloadLength: udpLength,
                       identification: identification).encode(into: &writer)
        } else {
            IPv6Header(source: source.ip.bytes, destination: destination.ip.bytes, payloadLength: udpLength)
                .encode(into: &writer)
        }
        udp.encode(into: &writer)
        writer.writeBytes(datagram.payload)
        return writer.bytes
    }

    /// Parses an IPv4 or IPv6 packet carrying UDP (the version nibble decides).
    /// Throws `.malformedPacket` for other protocols, inconsistent lengths or truncation.
    public init(parsing bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        do {
            guard let first = bytes.first else { throw PacketCaptureError(.malformedPacket, "empty packet") }
            let udpEnd: Int
            switch first >> 4 {
            case 4:
                let header = try IPv4Header(parsing: &reader)
                guard header.protocolNumber == IPv4Header.udpProtocol else {
                    throw PacketCaptureError(.malformedPacket, "IP protocol \(header.protocolNumber) is not UDP")
                }
                guard Int(header.totalLength) <= bytes.count, Int(header.totalLength) >= reader.offset else {
                    throw PacketCaptureError(.malformedPacket, "IPv4 total length \(header.totalLength) is inconsistent")
                }
                ip = .v4(header)
                udpEnd = Int(header.totalLength)
            case 6:
                let header = try IPv6Header(parsing: &reader)
                guard header.nextHeader == IPv4Header.udpProtocol else {
                    throw PacketCaptureError(.malformedPacket, "next header \(header.nextHeader) is not UDP")
                }
                udpEnd = IPv6Header.length + Int(header.payloadLength)
                guard udpEnd <= bytes.count else {
                    throw PacketCaptureError(.malformedPacket, "IPv6 payload length \(header.payloadLength) exceeds the packet")
                }
                ip = .v6(header)
            default:
                throw PacketCaptureError(.malformedPacket, "IP version \(first >> 4) is neither 4 nor 6")
            }
            udp = try UDPHeader(parsing: &reader)
            let payloadLength = Int(udp.length) - UDPHeader.length
            guard payloadLength >= 0, reader.offset + payloadLength <= udpEnd else {
                throw PacketCaptureError(.malformedPacket, "UDP length \(udp.length) is inconsistent")
            }
            payload = try reader.readBytes(payloadLength)
        } catch let error as WireError {
            throw PacketCaptureError(.malformedPacket, "\(error)")
        }
    }

    /// Source and destination IP address bytes.
    private var addressBytes: (source: [UInt8], destination: [UInt8]) {
        switch ip {
        case let .v4(header): return (header.source, header.destination)
        case let .v6(header): return (header.source, header.destination)
        }
    }

    /// The UDP datagram this packet carries.
    public var datagram: Datagram {
        let (source, destination) = addressBytes
        // Address bytes always have valid lengths here: the headers read exactly 4 or 16.
        let sourceIP = IPAddress(bytes: source) ?? .anyV4
        let destinationIP = IPAddress(bytes: destination) ?? .anyV4
        return Datagram(from: TransportAddress(sourceIP, udp.sourcePort),
                        to: TransportAddress(destinationIP, udp.destinationPort), payload: payload)
    }

    /// True when the IPv4 header checksum is right (IPv6 has none: always true).
    public var isIPChecksumValid: Bool {
        if case let .v4(header) = ip { return header.isChecksumValid }
        return true
    }

    /// True when the UDP checksum verifies over the pseudo-header.
    public var isUDPChecksumValid: Bool {
        let (source, destination) = addressBytes
        return udp.isChecksumValid(sourceIP: source, destinationIP: destination, payload: payload)
    }
}

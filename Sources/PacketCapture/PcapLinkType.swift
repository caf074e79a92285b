/// The link-layer header type of a pcap file (tcpdump.org's LINKTYPE_ registry):
/// what every record starts with. An open set, so a file of another type can be
/// read and its type shown.
public struct PcapLinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// LINKTYPE_RAW: records start with an IPv4 or IPv6 header (version nibble decides).
    public static let raw = PcapLinkType(rawValue: 101)
    /// LINKTYPE_IPV4: records are IPv4 packets only.
    public static let ipv4 = PcapLinkType(rawValue: 228)
    /// LINKTYPE_IPV6: records are IPv6 packets only.
    public static let ipv6 = PcapLinkType(rawValue: 229)

    public var description: String {
        switch self {
        case .raw: return "LINKTYPE_RAW (101)"
        case .ipv4: return "LINKTYPE_IPV4 (228)"
        case .ipv6: return "LINKTYPE_IPV6 (229)"
        default: return "LINKTYPE \(rawValue)"
        }
    }
}

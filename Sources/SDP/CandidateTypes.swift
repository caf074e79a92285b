import Wire

/// A candidate's transport (RFC 8839 §5.1): `UDP`, `TCP` (RFC 6544), or an unknown token.
///
/// Compared case-insensitively (Chrome writes `udp`, Firefox `UDP`), yet the
/// spelling received is kept so a round trip is byte-exact.
public struct CandidateTransport: Hashable, Sendable, CustomStringConvertible {
    /// The token as written.
    public var rawValue: String
    /// Creates a transport from its token.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// UDP.
    public static let udp = CandidateTransport("udp")
    /// TCP (RFC 6544).
    public static let tcp = CandidateTransport("tcp")
    /// Equal when the tokens match ignoring ASCII case.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        SDPText.lowercased(lhs.rawValue) == SDPText.lowercased(rhs.rawValue)
    }
    /// Hashes the lower-cased token, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(SDPText.lowercased(rawValue)) }
    /// The token as written.
    public var description: String { rawValue }
}

/// A candidate type (RFC 8839 §5.1 cand-type, RFC 8445 §5.1.1).
public struct CandidateType: Hashable, Sendable, CustomStringConvertible {
    /// The token as written.
    public var rawValue: String
    /// Creates a type from its token.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// An address on a local interface.
    public static let host = CandidateType("host")
    /// Server reflexive: the address a STUN server saw (outside a NAT).
    public static let serverReflexive = CandidateType("srflx")
    /// Peer reflexive: an address learned from a connectivity check.
    public static let peerReflexive = CandidateType("prflx")
    /// Relayed through a TURN server.
    public static let relayed = CandidateType("relay")
    /// The token as written.
    public var description: String { rawValue }
}

/// The RFC 6544 §4.5 `tcptype` of a TCP candidate.
public struct TCPCandidateType: Hashable, Sendable, CustomStringConvertible {
    /// The token as written.
    public var rawValue: String
    /// Creates a tcptype from its token.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// Opens outgoing connections only (port 9 in the SDP).
    public static let active = TCPCandidateType("active")
    /// Accepts incoming connections.
    public static let passive = TCPCandidateType("passive")
    /// Simultaneous open.
    public static let simultaneousOpen = TCPCandidateType("so")
    /// The token as written.
    public var description: String { rawValue }
}

/// What a candidate's connection-address names (RFC 8839 §5.1).
public enum CandidateAddress: Hashable, Sendable {
    /// An IPv4 or IPv6 address.
    case ip(IPAddress)
    /// A host name: an mDNS `<uuid>.local` name (draft-ietf-mmusic-mdns-ice-candidates)
    /// that hides the real address, or another FQDN.
    case hostname(String)

    /// Classifies the text of a connection address; nil when it is neither an IP nor a host name.
    init?(text: Substring) {
        if text.utf8.contains(0x3A) {
            // Only IPv6 characters reach inet_pton (which would stop at an embedded NUL).
            guard text.utf8.allSatisfy({ SDPText.isHexDigit($0) || $0 == 0x3A || $0 == 0x2E }),
                  let ip = IPAddress(String(text)), !ip.isIPv4 else { return nil }
            self = .ip(ip)
        } else if text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }) {
            guard let ip = IPAddress(String(text)) else { return nil }
            self = .ip(ip)
        } else {
            let allowed = text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x2E || byte == 0x5F
            }
            guard allowed, !text.isEmpty, text.utf8.count <= 253 else { return nil }
            self = .hostname(String(text))
        }
    }

    /// True for a `.local` name, which the peer resolves with multicast DNS.
    public var isMDNS: Bool {
        if case let .hostname(name) = self { return SDPText.lowercased(name).hasSuffix(".local") }
        return false
    }
}

/// One `name value` extension pair after the candidate type (RFC 8839 §5.1 cand-extension),
/// including the standard `raddr`, `rport`, `tcptype` and the widely used `generation`,
/// `ufrag`, `network-id`, `network-cost`.
public struct CandidateExtension: Hashable, Sendable {
    /// The extension name.
    public var name: String
    /// The extension value.
    public var value: String
    /// Creates an extension pair.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

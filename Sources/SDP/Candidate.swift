import Wire

/// An ICE candidate as SDP carries it (RFC 8839 §5.1).
///
/// ```
/// candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
///           [raddr <address>] [rport <port>] *(<extension-name> <extension-value>)
/// candidate:842163049 1 udp 1677729535 203.0.113.7 61325 typ srflx raddr 192.0.2.10
///           rport 61325 generation 0 ufrag EsAw network-id 1 network-cost 10
/// ```
/// Everything after the type is kept as an ordered list of pairs, so unknown
/// extensions and the peer's ordering survive a round trip byte for byte; the
/// well-known pairs have typed accessors.
public struct Candidate: Hashable, Sendable, CustomStringConvertible {
    /// Groups candidates that share type, base IP, server and transport (1-32 ice-chars).
    public var foundation: String
    /// The component (1 = RTP, or the only component with BUNDLE and rtcp-mux).
    public var component: UInt16
    /// UDP or TCP.
    public var transport: CandidateTransport
    /// The RFC 8445 §5.1.2 priority.
    public var priority: UInt32
    /// The connection address as written (an IP or an mDNS/FQDN name).
    public var address: String
    /// The port.
    public var port: UInt16
    /// host, srflx, prflx or relay.
    public var type: CandidateType
    /// raddr/rport and extensions, in the order written.
    public var extensions: [CandidateExtension]

    /// Creates a candidate; optional fields become extension pairs in the order Chrome writes them.
    public init(foundation: String, component: UInt16 = 1, transport: CandidateTransport = .udp, priority: UInt32,
                address: String, port: UInt16, type: CandidateType, relatedAddress: String? = nil,
                relatedPort: UInt16? = nil, tcpType: TCPCandidateType? = nil, generation: UInt32? = nil,
                ufrag: String? = nil, networkID: UInt32? = nil, networkCost: UInt32? = nil,
                otherExtensions: [CandidateExtension] = []) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        var pairs: [CandidateExtension] = []
        if let relatedAddress { pairs.append(.init("raddr", relatedAddress)) }
        if let relatedPort { pairs.append(.init("rport", String(relatedPort))) }
        if let tcpType { pairs.append(.init("tcptype", tcpType.rawValue)) }
        if let generation { pairs.append(.init("generation", String(generation))) }
        if let ufrag { pairs.append(.init("ufrag", ufrag)) }
        if let networkID { pairs.append(.init("network-id", String(networkID))) }
        if let networkCost { pairs.append(.init("network-cost", String(networkCost))) }
        self.extensions = pairs + otherExtensions
    }

    /// Parses a candidate in any of its three spellings: the attribute line
    /// `a=candidate:...`, the trickle string `candidate:...` (RFC 8838 §4,
    /// `RTCIceCandidate.candidate`), or the bare attribute value.
    public init(parsing text: String) throws(SDPError) {
        var rest = Substring(text)
        if rest.utf8.starts(with: "a=".utf8) { rest = Substring(rest.utf8.dropFirst(2)) }
        if rest.utf8.starts(with: "candidate:".utf8) { rest = Substring(rest.utf8.dropFirst(10)) }
        try self.init(attributeValue: rest)
    }

    /// Parses the value of an `a=candidate` attribute (the text after `candidate:`).
    public init(attributeValue value: Substring) throws(SDPError) {
        func fail(_ why: String) -> SDPError { SDPError(.malformedCandidate, why) }
        let fields = SDPText.fields(value)
        guard fields.count >= 8 else { throw fail("needs at least 8 fields, found \(fields.count)") }
        guard SDPText.isICEString(fields[0], length: 1...32) else {
            throw fail("foundation '\(fields[0])' must be 1-32 ice-chars")
        }
        guard let component = SDPText.number(fields[1], maxDigits: 3), (1...256).contains(component) else {
            throw fail("component id '\(fields[1])' must be 1-256")
        }
        guard SDPText.isToken(fields[2]) else { throw fail("transport '\(fields[2])' is not a token") }
        guard let priority = SDPText.number(fields[3], maxDigits: 10, limit: UInt64(UInt32.max)) else {
            throw fail("priority '\(fields[3])' must be 1-10 digits within 2^32-1")
        }
        guard CandidateAddress(text: fields[4]) != nil else {
            throw fail("connection address '\(fields[4])' is not an IPv4, IPv6 or host name")
        }
        guard let port = SDPText.port(fields[5]) else { throw fail("port '\(fields[5])' must be 0-65535") }
        guard fields[6] == "typ" else { throw fail("expected 'typ' after the port, found '\(fields[6])'") }
        guard SDPText.isToken(fields[7]) else { throw fail("candidate type '\(fields[7])' is not a token") }
        let tail = fields.dropFirst(8)
        guard tail.count % 2 == 0 else { throw fail("extension '\(tail.last ?? "")' has no value") }
        var pairs: [CandidateExtension] = []
        var index = tail.startIndex
        while index < tail.endIndex {
            let name = tail[index], value = tail[index + 1]
            guard !name.isEmpty, !value.isEmpty else { throw fail("empty extension field (double space?)") }
            try Self.check(extension: name, value: value)
            pairs.append(CandidateExtension(String(name), String(value)))
            index += 2
        }
        self.foundation = String(fields[0])
        self.component = UInt16(component)
        self.transport = CandidateTransport(String(fields[2]))
        self.priority = UInt32(priority)
        self.address = String(fields[4])
        self.port = port
        self.type = CandidateType(String(fields[7]))
        self.extensions = pairs
    }

    /// Checks the grammar of the extensions this module gives typed accessors.
    private static func check(extension name: Substring, value: Substring) throws(SDPError) {
        let valid: Bool
        switch name {
        case "raddr": valid = CandidateAddress(text: value) != nil
        case "rport": valid = SDPText.port(value) != nil
        case "tcptype": valid = SDPText.isToken(value)
        case "generation", "network-id", "network-cost": valid = SDPText.number(value, maxDigits: 10, limit: UInt64(UInt32.max)) != nil
        case "ufrag": valid = SDPText.isICEString(value, length: 1...256)
        default: valid = true
        }
        if !valid { throw SDPError(.malformedCandidate, "\(name) value '\(value)' is invalid") }
    }

    /// The value of the first extension named `name`.
    public func extensionValue(_ name: String) -> String? {
        extensions.first { $0.name == name }?.value
    }

    /// The connection address classified (IP or host name).
    public var connectionAddress: CandidateAddress? { CandidateAddress(text: Substring(address)) }
    /// The related (base) address of a reflexive or relayed candidate.
    public var relatedAddress: String? { extensionValue("raddr") }
    /// The related port.
    public var relatedPort: UInt16? { extensionValue("rport").flatMap { SDPText.port(Substring($0)) } }
    /// The RFC 6544 tcptype of a TCP candidate.
    public var tcpType: TCPCandidateType? { extensionValue("tcptype").map(TCPCandidateType.init) }
    /// The ICE generation (pre-standard Chrome extension; 0 until an ICE restart).
    public var generation: UInt32? { number("generation") }
    /// The ufrag of the ICE session this candidate belongs to (RFC 8838 trickle).
    public var ufrag: String? { extensionValue("ufrag") }
    /// Chrome's network interface id.
    public var networkID: UInt32? { number("network-id") }
    /// Chrome's network cost (10 for Ethernet/unknown, higher for cellular).
    public var networkCost: UInt32? { number("network-cost") }

    private func number(_ name: String) -> UInt32? {
        extensionValue(name).flatMap { SDPText.number(Substring($0), maxDigits: 10, limit: UInt64(UInt32.max)) }
            .map { UInt32($0) }
    }

    /// The value of the `a=candidate` attribute (without `candidate:`).
    public var attributeValue: String {
        var parts = [foundation, String(component), transport.rawValue, String(priority), address, String(port),
                     "typ", type.rawValue]
        for pair in extensions { parts.append(pair.name); parts.append(pair.value) }
        return parts.joined(separator: " ")
    }

    /// The `a=candidate:...` line.
    public var line: SDPLine { SDPLine("a", "candidate:" + attributeValue) }

    /// The trickle form, `candidate:...` (what `RTCIceCandidate.candidate` holds).
    public var description: String { "candidate:" + attributeValue }
}

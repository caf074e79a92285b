import ICE
import SDP

/// One `a=candidate` explained: its priority taken apart with the ICE module's
/// RFC 8445 §5.1.2.1 helpers, what its address is, and whether it would still
/// work if UDP were blocked.
struct CandidateFacts {
    /// What the address field names.
    enum AddressKind: String {
        case ipv4 = "IPv4"
        case ipv6 = "IPv6"
        /// A `<uuid>.local` name hiding the real address (mDNS obfuscation).
        case mdns = "mDNS"
        /// Another host name (rare; resolved with ordinary DNS).
        case hostname = "hostname"
    }

    /// What blocking all UDP would do to this candidate.
    enum UDPBlocked: String {
        /// Still usable: a TCP candidate, or a relay reached over TCP/TLS.
        case remains
        /// Gone: it needs UDP between the two agents (or to its TURN server).
        case lost
        /// A relay candidate whose client-to-TURN transport the SDP does not reveal.
        case depends
    }

    /// 1-based position among all candidates of the description.
    let number: Int
    /// The candidate as the SDP module parsed it.
    let candidate: Candidate
    /// Its line in the input.
    let line: LineIndex.Line?
    /// Index of its media section.
    let section: Int
    /// Bits 24-31 of the priority.
    let typePreference: UInt8
    /// Bits 8-23 of the priority.
    let localPreference: UInt16
    /// 256 minus bits 0-7 of the priority.
    let componentFromPriority: Int
    /// The priority recomputed from the three parts (nil when a part is outside the RFC's range).
    let recomputed: UInt32?
    /// The RFC 8445 §5.1.2.2 recommendation for this type (nil for an unknown type).
    let recommendedTypePreference: UInt8?
    /// IPv4, IPv6, mDNS or another host name.
    let addressKind: AddressKind
    /// For relay candidates: how this agent reaches its TURN server, when the priority reveals it.
    let relayProtocol: String?
    /// What blocking UDP does to it.
    let udpBlocked: UDPBlocked

    init(number: Int, candidate: Candidate, line: LineIndex.Line?, section: Int) {
        self.number = number
        self.candidate = candidate
        self.line = line
        self.section = section
        let priority = candidate.priority
        typePreference = ICECandidatePriority.typePreference(of: priority)
        localPreference = ICECandidatePriority.localPreference(of: priority)
        componentFromPriority = ICECandidatePriority.componentID(of: priority)
        recomputed = try? ICECandidatePriority.compute(typePreference: typePreference, localPreference: localPreference,
                                                       componentID: componentFromPriority)
        let type = ICECandidateType(rawValue: candidate.type.rawValue.lowercased())
        let known: [ICECandidateType] = [.host, .serverReflexive, .peerReflexive, .relayed]
        recommendedTypePreference = known.contains(type) ? type.recommendedTypePreference : nil
        switch candidate.connectionAddress {
        case let .ip(ip)?: addressKind = ip.isIPv4 ? .ipv4 : .ipv6
        case let address? where address.isMDNS: addressKind = .mdns
        default: addressKind = .hostname
        }
        // libwebrtc (Chrome, Safari) encodes the client-to-TURN transport in a relay's
        // type preference: 2 = UDP, 1 = TCP, 0 = TLS. 0 is also the RFC's value for
        // every relay, so only 1 and 2 are read as evidence.
        if type == .relayed {
            switch typePreference {
            case 2: relayProtocol = "udp"
            case 1: relayProtocol = "tcp"
            default: relayProtocol = nil
            }
        } else {
            relayProtocol = nil
        }
        if candidate.transport == .tcp {
            udpBlocked = .remains
        } else if type == .relayed {
            switch relayProtocol {
            case "tcp": udpBlocked = .remains
            case "udp": udpBlocked = .lost
            default: udpBlocked = .depends
            }
        } else {
            udpBlocked = .lost
        }
    }

    /// True for a relay candidate.
    var isRelay: Bool { candidate.type.rawValue.lowercased() == "relay" }

    /// The formula with this candidate's numbers: `2^24×126 + 2^8×30 + (256 − 1)`.
    var formula: String {
        "2^24×\(typePreference) + 2^8×\(localPreference) + (256 − \(componentFromPriority))"
    }

    /// `host 192.0.2.10:57963 udp`.
    var summary: String {
        let address = addressKind == .ipv6 ? "[\(candidate.address)]" : candidate.address
        var text = "\(candidate.type) \(address):\(candidate.port) \(candidate.transport.rawValue.lowercased())"
        if let tcpType = candidate.tcpType { text += " tcptype \(tcpType)" }
        return text
    }

    /// What the type means, in one line.
    var typeMeaning: String {
        switch candidate.type.rawValue.lowercased() {
        case "host": return "an address on one of the agent's own interfaces"
        case "srflx": return "server reflexive: the agent's address as a STUN server saw it, outside its NAT"
        case "prflx": return "peer reflexive: an address learnt from a connectivity check"
        case "relay": return "relayed: an address allocated on a TURN server, which forwards to the agent"
        default: return "an unknown type (type preference treated as 0)"
        }
    }

    /// What the address field means, in one line.
    var addressMeaning: String {
        switch addressKind {
        case .ipv4: return "IPv4"
        case .ipv6: return "IPv6"
        case .mdns:
            return "mDNS name: the browser hides its real IP behind a random <uuid>.local name (mDNS obfuscation); "
                + "only a peer on the same LAN can resolve it with multicast DNS, others fall back to peer-reflexive discovery"
        case .hostname: return "a host name, resolved with DNS before use"
        }
    }

    /// What raddr/rport say, when present.
    var relatedMeaning: String? {
        guard let address = candidate.relatedAddress else { return nil }
        let port = candidate.relatedPort.map(String.init) ?? "?"
        if address == "0.0.0.0" || address == "::" {
            return "\(address):\(port): the base is hidden (browsers redact it so the SDP does not leak a private address)"
        }
        let shown = address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
        switch candidate.type.rawValue.lowercased() {
        case "srflx", "prflx": return "behind NAT: base is \(shown), the private address the NAT mapped to this one"
        case "relay": return "\(shown): where the TURN server saw the agent (its reflexive address); the relay forwards there"
        default: return shown
        }
    }

    /// What the relay protocol hint says, for relay candidates.
    var relayMeaning: String? {
        guard isRelay else { return nil }
        switch relayProtocol {
        case "udp": return "likely TURN over UDP: libwebrtc (Chrome, Safari) gives type preference 2 to TURN/UDP relays, 1 to TCP, 0 to TLS"
        case "tcp": return "likely TURN over TCP: libwebrtc (Chrome, Safari) gives type preference 2 to TURN/UDP relays, 1 to TCP, 0 to TLS"
        default: return "unknown: the SDP does not say whether the agent reaches its TURN server over UDP, TCP or TLS"
        }
    }

    /// One line on what blocking UDP does to this candidate.
    var udpBlockedMeaning: String {
        switch udpBlocked {
        case .remains where candidate.transport == .tcp:
            let active = candidate.tcpType == .active
            return "remains: ICE-TCP (RFC 6544)" + (active ? ", but tcptype active only dials out: the peer needs a passive candidate" : "")
        case .remains: return "remains: the agent reaches its TURN server over TCP, the relay speaks UDP to the peer"
        case .lost: return "lost: it needs UDP end to end"
        case .depends: return "remains only if the agent reaches its TURN server over TCP or TLS"
        }
    }
}

import ICE
import SDP
import Wire

/// JSEP's candidate mapping: the ICE agent's candidates as SDP `a=candidate`
/// lines (RFC 8839 §5.1) and back.
enum CandidateConversion {
    /// Our candidate as the line we signal. Server-reflexive and relayed ones carry
    /// raddr/rport (RFC 8839 §5.1); host and peer-reflexive ones do not.
    static func sdp(_ candidate: ICECandidate) -> Candidate {
        let related = candidate.type == .host ? nil : candidate.relatedAddress
        return Candidate(foundation: candidate.foundation, component: UInt16(clamping: candidate.componentID),
                         transport: .udp, priority: candidate.priority, address: candidate.address.ip.description,
                         port: candidate.address.port, type: CandidateType(candidate.type.rawValue),
                         relatedAddress: related.map { $0.ip.description }, relatedPort: related?.port,
                         generation: 0)
    }

    /// Why a remote candidate cannot be used.
    struct Skip: Error {
        let reason: String
    }

    /// The peer's candidate for our ICE agent. Only UDP candidates with an IP
    /// address are usable: an mDNS `.local` name would need a multicast DNS
    /// lookup (not done: the project never leaves loopback), and TCP
    /// candidates (RFC 6544) are not implemented.
    static func ice(_ candidate: Candidate) throws(Skip) -> ICECandidate {
        guard candidate.transport == .udp else {
            throw Skip(reason: "transport \(candidate.transport) is not supported (UDP only)")
        }
        guard let address = candidate.connectionAddress else {
            throw Skip(reason: "'\(candidate.address)' is neither an IP address nor a host name")
        }
        let ip: IPAddress
        switch address {
        case let .ip(value): ip = value
        case let .hostname(name) where address.isMDNS:
            throw Skip(reason: "mDNS name \(name) is not resolved (no multicast DNS here)")
        case let .hostname(name):
            throw Skip(reason: "host name \(name) is not resolved (candidates must carry an IP address)")
        }
        guard candidate.port != 0 else { throw Skip(reason: "port 0 cannot be checked") }
        let related: TransportAddress? = candidate.relatedAddress.flatMap(IPAddress.init).map { relatedIP in
            TransportAddress(relatedIP, candidate.relatedPort ?? 0)
        }
        return ICECandidate(type: ICECandidateType(rawValue: candidate.type.rawValue), transport: .udp,
                            address: TransportAddress(ip, candidate.port), componentID: Int(candidate.component),
                            foundation: candidate.foundation, priority: candidate.priority, relatedAddress: related)
    }
}

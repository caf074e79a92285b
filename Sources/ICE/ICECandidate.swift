import Wire

/// One ICE candidate (RFC 8445 §5.1.1, §5.3).
///
/// The fields are those the peer learns through signaling (RFC 8839's
/// `a=candidate` line) plus `base`, which is local knowledge: the address we
/// actually send from. For a host or relayed candidate the base is its own
/// address; for a server-reflexive one it is the host candidate behind the NAT
/// (§5.1.1.2). Remote candidates use their own address as base.
public struct ICECandidate: Hashable, Sendable, CustomStringConvertible {
    /// Host, server-reflexive, peer-reflexive, relayed, or a type we do not know.
    public var type: ICECandidateType
    /// The transport protocol (UDP here).
    public var transport: ICETransportProtocol
    /// The address the peer sends to.
    public var address: TransportAddress
    /// The address we send from (§5.1.1.2).
    public var base: TransportAddress
    /// The component (1 for a data channel: one component, RTCP muxed or absent).
    public var componentID: Int
    /// Groups candidates that share type, base IP, server and transport (§5.1.1.3):
    /// such candidates tend to succeed or fail together. 1-32 ice-chars.
    public var foundation: String
    /// The candidate priority (§5.1.2).
    public var priority: UInt32
    /// For reflexive candidates the base, for relayed ones the mapped address
    /// (RFC 8839 `raddr`/`rport`): informative only, never used by ICE itself.
    public var relatedAddress: TransportAddress?

    /// Creates a candidate; the base defaults to the address (host, relayed, remote).
    public init(type: ICECandidateType, transport: ICETransportProtocol = .udp, address: TransportAddress,
                base: TransportAddress? = nil, componentID: Int, foundation: String, priority: UInt32,
                relatedAddress: TransportAddress? = nil) {
        self.type = type
        self.transport = transport
        self.address = address
        self.base = base ?? address
        self.componentID = componentID
        self.foundation = foundation
        self.priority = priority
        self.relatedAddress = relatedAddress
    }

    /// The local preference encoded in the priority (bits 8-23).
    public var localPreference: UInt16 { ICECandidatePriority.localPreference(of: priority) }

    /// The PRIORITY attribute a check sent from this candidate carries (§7.1.1).
    public var peerReflexivePriority: UInt32 { ICECandidatePriority.peerReflexive(from: priority) }

    /// True when the candidate's address is IPv4.
    public var isIPv4: Bool { address.ip.isIPv4 }

    /// "host udp 127.0.0.1:5000 (component 1, foundation 1, priority 2130706431)".
    public var description: String {
        var text = "\(type) \(transport) \(address) (component \(componentID), foundation \(foundation), priority \(priority)"
        if base != address { text += ", base \(base)" }
        if let relatedAddress { text += ", related \(relatedAddress)" }
        return text + ")"
    }

    /// A remote peer-reflexive candidate learnt from a check's source address
    /// and PRIORITY (§7.3.1.3): the peer reached us from an address it never
    /// signaled, typically its NAT's mapping towards us. Its foundation only
    /// has to differ from every other remote foundation, so the caller picks it.
    public static func remotePeerReflexive(source: TransportAddress, priority: UInt32, componentID: Int,
                                           foundation: String) -> ICECandidate {
        ICECandidate(type: .peerReflexive, address: source, componentID: componentID,
                     foundation: foundation, priority: priority)
    }

    /// A local peer-reflexive candidate learnt from the mapped address of a
    /// successful check's response (§7.2.5.3.1). Its priority is the PRIORITY we
    /// sent in that check; its base is the base of the pair's local candidate;
    /// its foundation follows §5.1.1.3 like any local candidate.
    public static func localPeerReflexive(mapped: TransportAddress, sentPriority: UInt32, localCandidate: ICECandidate,
                                          foundations: inout ICEFoundations) -> ICECandidate {
        let key = ICEFoundationKey(type: .peerReflexive, baseIP: localCandidate.base.ip, server: nil,
                                   transport: localCandidate.transport)
        return ICECandidate(type: .peerReflexive, transport: localCandidate.transport, address: mapped,
                            base: localCandidate.base, componentID: localCandidate.componentID,
                            foundation: foundations.foundation(for: key), priority: sentPriority,
                            relatedAddress: localCandidate.base)
    }

    /// Removes redundant candidates (§5.1.3): a candidate is redundant when
    /// another has the same transport address and the same base (a srflx equal
    /// to its host, when there is no NAT, is the usual case). The
    /// higher-priority one is kept; the survivors keep their input order.
    public static func eliminatingRedundant(_ candidates: [ICECandidate]) -> [ICECandidate] {
        var best: [RedundancyKey: Int] = [:]
        for (index, candidate) in candidates.enumerated() {
            let key = RedundancyKey(address: candidate.address, base: candidate.base,
                                    componentID: candidate.componentID, transport: candidate.transport)
            if let kept = best[key], candidates[kept].priority >= candidate.priority { continue }
            best[key] = index
        }
        let survivors = Set(best.values)
        return candidates.indices.filter { survivors.contains($0) }.map { candidates[$0] }
    }

    /// Candidates of different components or transports are never redundant with each other.
    private struct RedundancyKey: Hashable {
        var address: TransportAddress
        var base: TransportAddress
        var componentID: Int
        var transport: ICETransportProtocol
    }
}

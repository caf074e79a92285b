/// Candidate priority (RFC 8445 §5.1.2.1):
///
/// ```
/// priority = (2^24)*(type preference) +
///            (2^8)*(local preference) +
///            (2^0)*(256 - component ID)
/// ```
///
/// The three terms occupy disjoint bit ranges of the 32-bit result
/// (bits 24-31, 8-23, 0-7), so the type always dominates, then the local
/// preference, then the component: component 1 (RTP, or the only component
/// of a data channel) ranks above component 2.
public enum ICECandidatePriority {
    /// The largest type preference the formula allows (§5.1.2.1: 0-126).
    public static let maximumTypePreference: UInt8 = 126
    /// Valid component ids (§5.1.1: 1-256).
    public static let componentIDs: ClosedRange<Int> = 1...256

    /// Computes the priority. A type preference above 126 or a component id
    /// outside 1-256 is API misuse (`.invalidArgument`): both would spill into
    /// the neighbouring term.
    public static func compute(typePreference: UInt8, localPreference: UInt16, componentID: Int) throws -> UInt32 {
        guard typePreference <= maximumTypePreference else {
            throw ICEError(.invalidArgument, "type preference \(typePreference) is above 126")
        }
        guard componentIDs.contains(componentID) else {
            throw ICEError(.invalidArgument, "component id \(componentID) is outside 1-256")
        }
        return (UInt32(typePreference) << 24) + (UInt32(localPreference) << 8) + UInt32(256 - componentID)
    }

    /// The priority of a candidate of `type` with the RFC's recommended type preference.
    public static func compute(type: ICECandidateType, localPreference: UInt16, componentID: Int) throws -> UInt32 {
        try compute(typePreference: type.recommendedTypePreference, localPreference: localPreference, componentID: componentID)
    }

    /// The type preference encoded in `priority` (bits 24-31).
    public static func typePreference(of priority: UInt32) -> UInt8 { UInt8(priority >> 24) }

    /// The local preference encoded in `priority` (bits 8-23).
    public static func localPreference(of priority: UInt32) -> UInt16 { UInt16((priority >> 8) & 0xFFFF) }

    /// The component id encoded in `priority` (256 minus bits 0-7; a low byte of 0 means 256).
    public static func componentID(of priority: UInt32) -> Int { 256 - Int(priority & 0xFF) }

    /// The PRIORITY a check from a local candidate carries (§7.1.1): the same
    /// local preference and component, but the peer-reflexive type preference,
    /// because that is the candidate the peer learns if it has not seen us yet.
    public static func peerReflexive(from priority: UInt32) -> UInt32 {
        (UInt32(ICECandidateType.peerReflexive.recommendedTypePreference) << 24) | (priority & 0x00FF_FFFF)
    }
}

/// Candidate pair priority (RFC 8445 §6.1.2.3), with G the priority of the
/// controlling agent's candidate and D the controlled agent's:
///
/// ```
/// pair priority = 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0)
/// ```
///
/// Both agents compute the same number for the same pair, whatever side they
/// are on, which is what makes them walk their checklists in the same order.
public enum ICEPairPriority {
    /// The largest valid candidate priority (§5.1.2.1: 1 to 2^31 - 1).
    public static let maximumCandidatePriority: UInt32 = 0x7FFF_FFFF

    /// Computes the pair priority from the controlling (G) and controlled (D) priorities.
    ///
    /// Candidate priorities above 2^31 - 1 are invalid; a broken or hostile peer
    /// may still send them (in SDP or PRIORITY), so they are clamped to 2^31 - 1
    /// first. With that, 2^32*MIN < 2^63 and 2*MAX + 1 < 2^32: the sum never
    /// overflows 64 bits (unclamped, G = D = 2^32 - 1 would).
    public static func compute(controlling: UInt32, controlled: UInt32) -> UInt64 {
        let g = UInt64(min(controlling, maximumCandidatePriority))
        let d = UInt64(min(controlled, maximumCandidatePriority))
        return (min(g, d) << 32) + 2 * max(g, d) + (g > d ? 1 : 0)
    }

    /// Computes the priority of a pair from our side: our candidate is G when we control.
    public static func compute(local: UInt32, remote: UInt32, role: ICERole) -> UInt64 {
        role == .controlling ? compute(controlling: local, controlled: remote)
                             : compute(controlling: remote, controlled: local)
    }
}

import Wire

/// How a NAT reuses an external address for an internal endpoint (RFC 4787 §4.1).
///
/// The question is: when an internal transport address X:x sends to two different remote
/// endpoints, does it appear under the same external address X':x' to both?
public enum NATMappingBehavior: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// One mapping per internal address, whatever the destination (REQ-1's MUST): what
    /// makes server-reflexive candidates useful to every peer.
    case endpointIndependent
    /// A new mapping per remote IP; different ports of one remote IP share it.
    case addressDependent
    /// A new mapping per remote IP *and* port: the "symmetric" NAT, whose
    /// server-reflexive address is useless to any peer other than the STUN server.
    case addressAndPortDependent

    /// RFC 4787's abbreviation: EIM, ADM or APDM.
    public var abbreviation: String {
        switch self {
        case .endpointIndependent: return "EIM"
        case .addressDependent: return "ADM"
        case .addressAndPortDependent: return "APDM"
        }
    }

    public var description: String {
        switch self {
        case .endpointIndependent: return "endpoint-independent mapping"
        case .addressDependent: return "address-dependent mapping"
        case .addressAndPortDependent: return "address-and-port-dependent mapping"
        }
    }
}

/// Which unsolicited inbound datagrams a NAT lets through an existing mapping
/// (RFC 4787 §5).
///
/// A mapping X:x → X':x' exists because X:x sent something out. Filtering decides
/// whether a datagram arriving at X':x' from remote Y:y reaches X:x.
public enum NATFilteringBehavior: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Anyone may send to X':x' ("full cone"; REQ-8 recommends it for transparency).
    case endpointIndependent
    /// Only IPs that X:x has sent to ("restricted cone").
    case addressDependent
    /// Only IP:port pairs that X:x has sent to ("port-restricted cone", and symmetric NATs).
    case addressAndPortDependent

    /// RFC 4787's abbreviation: EIF, ADF or APDF.
    public var abbreviation: String {
        switch self {
        case .endpointIndependent: return "EIF"
        case .addressDependent: return "ADF"
        case .addressAndPortDependent: return "APDF"
        }
    }

    public var description: String {
        switch self {
        case .endpointIndependent: return "endpoint-independent filtering"
        case .addressDependent: return "address-dependent filtering"
        case .addressAndPortDependent: return "address-and-port-dependent filtering"
        }
    }
}

/// How a NAT picks the external port of a new mapping (RFC 4787 §4.2.1).
public enum NATPortAllocation: Hashable, Sendable, CustomStringConvertible {
    /// The next free port of `portRange` after the last one handed out, wrapping around.
    case sequential
    /// One uniform draw from the network's seeded generator inside `portRange`; if that
    /// port is taken, the next free port above it (wrapping). Exactly one draw per new
    /// mapping, so runs stay reproducible by seed.
    case random

    public var description: String { self == .sequential ? "sequential" : "random" }
}

/// Everything that decides a simulated NAT's behaviour, apart from its public addresses.
///
/// Presets follow the classic (RFC 3489) names, which RFC 4787 §5 maps onto its
/// mapping × filtering vocabulary:
///
/// | preset               | mapping | filtering |
/// |----------------------|---------|-----------|
/// | `fullCone`           | EIM     | EIF       |
/// | `restrictedCone`     | EIM     | ADF       |
/// | `portRestrictedCone` | EIM     | APDF      |
/// | `symmetric`          | APDM    | APDF      |
///
/// Every preset preserves the internal port when it is free, else allocates
/// sequentially from 49152...65535, times mappings out after 120 s without outbound
/// traffic, and hairpins. Change any field for other NATs.
public struct NATConfiguration: Hashable, Sendable, CustomStringConvertible {
    /// When a mapping is reused.
    public var mapping: NATMappingBehavior
    /// Which inbound datagrams pass an existing mapping.
    public var filtering: NATFilteringBehavior
    /// Keep the internal port as the external port when it is free on the external IP
    /// (RFC 4787 §4.2.1: common, and NOT required). A taken port falls back to `portAllocation`.
    public var preservesPorts: Bool
    /// How a port is chosen when it is not preserved.
    public var portAllocation: NATPortAllocation
    /// The ports `portAllocation` draws from (preserved ports may lie outside it).
    public var portRange: ClosedRange<UInt16>
    /// A mapping, and each remote's filter permission on it, expires this long after the
    /// last OUTBOUND datagram refreshed it (REQ-6: inbound traffic does not refresh).
    /// REQ-5 asks for at least 2 minutes; shorter values model non-compliant boxes.
    public var mappingTimeout: Duration
    /// Whether a datagram from inside to one of the NAT's own public addresses is turned
    /// back in (REQ-9: MUST, with the external source address) or dropped.
    public var hairpinning: Bool

    /// Creates a configuration; the defaults are those of every preset.
    public init(mapping: NATMappingBehavior, filtering: NATFilteringBehavior, preservesPorts: Bool = true,
                portAllocation: NATPortAllocation = .sequential, portRange: ClosedRange<UInt16> = 49152...65535,
                mappingTimeout: Duration = .seconds(120), hairpinning: Bool = true) {
        self.mapping = mapping
        self.filtering = filtering
        self.preservesPorts = preservesPorts
        self.portAllocation = portAllocation
        self.portRange = portRange
        self.mappingTimeout = mappingTimeout
        self.hairpinning = hairpinning
    }

    /// Full cone: EIM + EIF. Once mapped, anyone can reach the internal endpoint.
    public static var fullCone: NATConfiguration { NATConfiguration(mapping: .endpointIndependent, filtering: .endpointIndependent) }
    /// Restricted cone: EIM + ADF. Reachable from IPs the inside has sent to.
    public static var restrictedCone: NATConfiguration { NATConfiguration(mapping: .endpointIndependent, filtering: .addressDependent) }
    /// Port-restricted cone: EIM + APDF. Reachable from IP:ports the inside has sent to.
    public static var portRestrictedCone: NATConfiguration {
        NATConfiguration(mapping: .endpointIndependent, filtering: .addressAndPortDependent)
    }
    /// Symmetric: APDM + APDF. A new external port per destination.
    public static var symmetric: NATConfiguration {
        NATConfiguration(mapping: .addressAndPortDependent, filtering: .addressAndPortDependent)
    }

    /// The preset names tools accept, in order of growing restriction.
    public static let presetNames = ["full-cone", "restricted-cone", "port-restricted-cone", "symmetric"]

    /// The preset called `name` (one of `presetNames`), or nil.
    public static func preset(named name: String) -> NATConfiguration? {
        switch name {
        case "full-cone": return .fullCone
        case "restricted-cone": return .restrictedCone
        case "port-restricted-cone": return .portRestrictedCone
        case "symmetric": return .symmetric
        default: return nil
        }
    }

    /// The classic name when mapping and filtering match a preset ("port-restricted
    /// cone NAT"), else the RFC 4787 abbreviations ("NAT (ADM, EIF)"). Used in drop reasons.
    public var description: String {
        switch (mapping, filtering) {
        case (.endpointIndependent, .endpointIndependent): return "full cone NAT"
        case (.endpointIndependent, .addressDependent): return "restricted cone NAT"
        case (.endpointIndependent, .addressAndPortDependent): return "port-restricted cone NAT"
        case (.addressAndPortDependent, .addressAndPortDependent): return "symmetric NAT"
        default: return "NAT (\(mapping.abbreviation), \(filtering.abbreviation))"
        }
    }
}

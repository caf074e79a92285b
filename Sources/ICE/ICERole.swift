/// An agent's role (RFC 8445 §6.1.1): the controlling agent nominates the pair
/// used for data; the controlled one follows.
public enum ICERole: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Nominates pairs (sends USE-CANDIDATE). The initiating full agent by default.
    case controlling
    /// Waits for nominations.
    case controlled

    /// The other role.
    public var opposite: ICERole { self == .controlling ? .controlled : .controlling }

    /// "controlling" / "controlled".
    public var description: String { rawValue }
}

/// The role a peer claims in a check, with its tie-breaker (ICE-CONTROLLING or
/// ICE-CONTROLLED, RFC 8445 §7.1.3, §16.1).
public struct ICEClaimedRole: Hashable, Sendable, CustomStringConvertible {
    /// The role the peer believes it has.
    public var role: ICERole
    /// Its 64-bit random tie-breaker.
    public var tieBreaker: UInt64

    /// Creates a claim.
    public init(_ role: ICERole, tieBreaker: UInt64) {
        self.role = role
        self.tieBreaker = tieBreaker
    }

    /// "controlling (tie-breaker 0x...)".
    public var description: String { "\(role) (tie-breaker 0x\(String(tieBreaker, radix: 16)))" }
}

/// Role conflict resolution (RFC 8445 §7.3.1.1 for requests we receive,
/// §7.2.5.1 for 487 responses to ours), as decisions with no side effects:
/// the agent applies them.
public enum ICERoleConflict {
    /// What to do about an incoming request's role claim.
    public enum Decision: Hashable, Sendable {
        /// Roles differ (or the agents agree): process the request normally.
        case noConflict
        /// Switch to `role`, then process the request normally.
        case switchRole(to: ICERole)
        /// Keep our role and answer the request with 487 (Role Conflict).
        case respondRoleConflict
    }

    /// Decides, for a request whose role claim is `peer`, given our role and tie-breaker.
    ///
    /// Both controlling: the larger tie-breaker keeps controlling. If ours is
    /// larger or equal we keep our role and answer 487 so that the peer switches;
    /// if smaller we switch to controlled. Both controlled: if ours is larger or
    /// equal we switch to controlling, otherwise we answer 487. Either way the
    /// agent with the larger tie-breaker ends up controlling.
    public static func decide(localRole: ICERole, localTieBreaker: UInt64, peer: ICEClaimedRole) -> Decision {
        guard peer.role == localRole else { return .noConflict }
        switch localRole {
        case .controlling:
            return localTieBreaker >= peer.tieBreaker ? .respondRoleConflict : .switchRole(to: .controlled)
        case .controlled:
            return localTieBreaker >= peer.tieBreaker ? .switchRole(to: .controlling) : .respondRoleConflict
        }
    }

    /// What to do after a 487 response to a check we sent.
    public enum ResponseDecision: Hashable, Sendable {
        /// Switch to `role`, recompute pair priorities, and retry the pair
        /// as a triggered check (pair back to Waiting).
        case switchRoleAndRetry(to: ICERole)
        /// Our role already changed since the check left (another 487 or a
        /// request switched it): just retry the pair with the current role.
        case retry
    }

    /// Decides after a 487: the check claimed `roleInRequest`; we are now `currentRole`.
    /// §7.2.5.1: a check sent as controlled makes us controlling and vice versa,
    /// but only if we have not switched already.
    public static func decideAfter487(roleInRequest: ICERole, currentRole: ICERole) -> ResponseDecision {
        roleInRequest == currentRole ? .switchRoleAndRetry(to: roleInRequest.opposite) : .retry
    }
}

/// A replacement for the checklist's own rules about ordinary checks: which pairs
/// start Waiting (RFC 8445 §6.1.2.6), which pair the next ordinary check goes to
/// (§6.1.4.2) and what a result unfreezes (§7.2.5.3.3). The lab plugs a student's
/// checklist in here (`ice-check --use-exercise`); with none configured (the
/// default) the agent follows its own `ICEChecklist` rules, unchanged.
///
/// Everything else stays the library's: pairing and ids (the agent's checklist
/// holds every pair, so incoming checks find theirs), triggered checks (§7.3.1.4,
/// served before any ordinary one), peer-reflexive discovery, nomination, role
/// conflicts. With a strategy the checklist never unfreezes a pair by itself
/// (`ICEChecklist.unfreezesPairs` is false): pairs stay Frozen until a decision
/// below or a triggered check moves them.
///
/// The strategy forms its own checklist once, when both candidate lists are final
/// (our gathering complete, the peer's end-of-candidates and credentials known),
/// so it sees the whole lists as §6.1.2 describes rather than a trickle. It is a
/// value owned by the agent: no callbacks, no clock.
public protocol ICEChecklistStrategy: Sendable {
    /// Both candidate lists are final: form the checklist. `checklist` is the
    /// agent's, with the library's pair ids for the same candidates.
    mutating func form(local: [ICECandidate], remote: [ICECandidate], role: ICERole,
                       checklist: ICEChecklist) -> ICEChecklistDecision

    /// True when `nextOrdinaryCheck` may return a pair: the agent schedules a Ta
    /// slot only then, so this must not stay true while the answer would be nil.
    var hasOrdinaryCheck: Bool { get }

    /// Ta allows a check and no triggered check is queued: the pair to check now
    /// (`check`), and any pairs unfrozen on the way.
    mutating func nextOrdinaryCheck(checklist: ICEChecklist) -> ICEChecklistDecision

    /// The check of pair `id` ended (an ordinary or a triggered one): what it unfreezes.
    mutating func checkEnded(pair id: Int, succeeded: Bool, checklist: ICEChecklist) -> ICEChecklistDecision
}

/// What an `ICEChecklistStrategy` decided, in the agent checklist's pair ids.
public struct ICEChecklistDecision: Hashable, Sendable {
    /// Pairs to move from Frozen to Waiting (others are left as they are).
    public var unfreeze: [Int]
    /// The pair to send an ordinary check on now (it must be Frozen or Waiting,
    /// else nothing is sent); nil for none.
    public var check: Int?

    /// Creates a decision; the default decides nothing.
    public init(unfreeze: [Int] = [], check: Int? = nil) {
        self.unfreeze = unfreeze
        self.check = check
    }
}

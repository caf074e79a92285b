// ICE: Interactive Connectivity Establishment (RFC 8445), sans-IO.
//
// Theory of operation
// -------------------
// Two agents behind unknown NATs each collect *candidates*: transport addresses
// where they might be reached (§5.1.1). A host candidate is an address on one of
// our interfaces; a server-reflexive one is what a STUN server saw; a relayed one
// is an address on a TURN server; a peer-reflexive one is learnt during checks.
// Each candidate gets a priority from its type, a local preference and its
// component (§5.1.2) and a foundation that groups candidates likely to succeed
// or fail together (§5.1.1.3). Redundant candidates are dropped (§5.1.3).
//
// After the exchange, each agent pairs its candidates with the peer's (same
// component, same address family, §6.1.2.2), orders the pairs by a priority both
// agents compute identically (§6.1.2.3: the controlling agent's candidate is G),
// replaces server-reflexive locals by their bases and prunes duplicates
// (§6.1.2.4), caps the list (§6.1.2.5) and unfreezes one pair per foundation
// (§6.1.2.6). Checks are STUN Binding requests authenticated with the peer's
// short-term password and carrying PRIORITY, ICE-CONTROLLING/-CONTROLLED and, to
// nominate, USE-CANDIDATE (§7.1, §7.2.2); one new check leaves every Ta (§14.2).
// A check may be triggered by an incoming request (§7.3.1.4) and jump the queue.
// When both agents believe they control (or are controlled), the 64-bit
// tie-breakers decide who switches (§7.3.1.1, §7.2.5.1).
//
// A relayed candidate (RFC 8656) is the last resort, for the NAT pairs no
// direct path crosses (symmetric against port-restricted or symmetric): the
// agent allocates on a TURN server from each base, and a check "from" the
// relayed address really leaves the base wrapped in a Send indication or
// ChannelData, after a CreatePermission for the peer's IP; what the peer sends
// to the relayed address comes back wrapped and is processed as received there.
//
// This module keeps every one of those rules a pure function or a small value
// type, so each is tested on its own with the RFC's numbers:
//
// - Candidates: `ICECandidateType`, `ICECandidate`, `ICECandidatePriority`,
//   `ICEFoundations`, `ICECandidate.eliminatingRedundant(_:)`.
// - Host gathering from an interface list under an `ICEInterfacePolicy`
//   (`ICEHostGathering`). Enumerating interfaces and binding sockets is I/O and
//   belongs to a driver; this project's default policy is loopback only.
// - Pairs: `ICEPairPriority`, `ICECandidatePair`, `ICEPairState` (every legal
//   transition is in `ICEPairState.next(on:)`), `ICEChecklist` (formation,
//   initial states, `nextCheck()` scheduling per §6.1.4.2, unfreezing on
//   success, role switch), `ICETriggeredCheckQueue`, `ICEPacing` (Ta and the
//   check RTO of §14). Late candidates (trickled, RFC 8838) and peer-reflexive
//   discovery (§7.2.5.3.1, §7.3.1.3) in `ICEChecklist+Discovery`, including the
//   valid pair a success produces (§7.2.5.3.2).
// - Roles: `ICERole`, `ICERoleConflict` (decisions as enums, no side effects).
// - Checks on the wire: `ICECredentials`, `ICEConnectivityCheck` (build a
//   request), `ICEConnectivityCheck.validate` (judge an incoming one: a check,
//   a keepalive, a 400/401/420 rejection, or a silent discard),
//   `ICEResponses` (answer it), `ICEPendingCheck.judge` (judge the answer to
//   ours: success with mapped address, 487, failure, or discard).
//
// `ICEAgent` is the state machine built on these (a Wire `DatagramEndpoint`):
// srflx gathering through `STUNClient`, one `STUNClientTransaction` per check
// with the RTO above, a Ta timer calling `nextCheck()`, regular nomination,
// trickle and end-of-candidates, ICE restart, keepalives (§11) and consent
// freshness (RFC 7675). It feeds the pieces time and bytes and acts on their
// decisions; none of them reads a clock.
//
// One hook lets a caller replace the ordinary-check decisions (initial states,
// the next pair, unfreezing): `ICEAgentConfiguration.checklistStrategy`, an
// `ICEChecklistStrategy`. The lab runs a student's checklist through it
// (`ice-check --use-exercise`); left nil, the agent uses `ICEChecklist`'s rules.
import Wire

/// The RFC 8445 defaults this module uses when the caller says nothing.
public enum ICEDefaults {
    /// Ta, the pacing interval between new checks (RFC 8445 §14.2: 50 ms).
    public static let ta: Duration = .milliseconds(50)
    /// The floor for any agent's pacing: no host sends new STUN transactions
    /// more often than once every 5 ms across all its agents (§14.2).
    public static let minimumTransactionInterval: Duration = .milliseconds(5)
    /// The smallest RTO of a connectivity check (§14.3: 500 ms).
    public static let minimumCheckRTO: Duration = .milliseconds(500)
    /// The default cap on the number of pairs in a checklist (§6.1.2.5: 100).
    public static let maximumPairs = 100
}

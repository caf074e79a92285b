/// The state of a candidate pair (RFC 8445 §6.1.2.6), named by what the pair waits for.
public enum ICEPairState: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Waits to be unfrozen: another pair of the same foundation goes first.
    case frozen
    /// Waits for its turn to send a check (ordinary, every Ta, or triggered).
    case waiting
    /// Waits for the response to its check.
    case inProgress
    /// Its check succeeded: a valid pair was found through it.
    case succeeded
    /// Its check failed (timeout, or an unrecoverable error response).
    case failed

    /// What happens to a pair.
    public enum Event: String, Hashable, Sendable, CaseIterable {
        /// Initial states (§6.1.2.6), a foundation succeeding (§7.2.5.3.3), or an
        /// idle checklist unfreezing (§6.1.4.2).
        case unfreeze
        /// Its ordinary or triggered check was sent.
        case sendCheck
        /// A success response arrived for it (§7.2.5.3).
        case checkSucceeded
        /// The check timed out or got an error other than 487 (§7.2.5.2, §7.2.5.4).
        case checkFailed
        /// A 487 arrived: roles switched, check again (§7.2.5.1).
        case roleConflict
        /// A request arrived on the pair, so it gets a triggered check (§7.3.1.4).
        case triggerCheck
    }

    /// The one place where pair transitions are defined; nil when the RFC does
    /// not allow `event` in this state (a caller bug).
    ///
    /// A triggered check moves any pair but a succeeded one to Waiting: a frozen
    /// one is unfrozen, a failed one gets another chance (the peer evidently
    /// reaches us now), an in-progress one has its transaction cancelled and is
    /// checked afresh (§7.3.1.4). On a succeeded pair it changes nothing.
    public func next(on event: Event) -> ICEPairState? {
        switch (self, event) {
        case (.frozen, .unfreeze): return .waiting
        case (.waiting, .sendCheck): return .inProgress
        case (.inProgress, .checkSucceeded): return .succeeded
        case (.inProgress, .checkFailed): return .failed
        case (.inProgress, .roleConflict): return .waiting
        case (.succeeded, .triggerCheck): return .succeeded
        case (_, .triggerCheck): return .waiting
        default: return nil
        }
    }

    /// "Frozen", "Waiting", "In-Progress", "Succeeded", "Failed" as the RFC spells them.
    public var description: String {
        switch self {
        case .frozen: return "Frozen"
        case .waiting: return "Waiting"
        case .inProgress: return "In-Progress"
        case .succeeded: return "Succeeded"
        case .failed: return "Failed"
        }
    }
}

/// The per-connection rate limit: a token bucket that the caller's clock refills.
///
/// Why a bucket: signaling is bursty by nature (an offer is followed by a dozen
/// candidates in a few milliseconds, and a newcomer offers to every peer at once),
/// so the limit is on the average rate with room for a burst, not on the gap
/// between two frames. A flood is told apart from a burst by how long the bucket
/// stays empty: refusals are counted until the bucket has refilled to half, and a
/// connection refused `floodLimit` times in one flood is closed.
public struct RegistryRateLimiter: Hashable, Sendable {
    /// Whether one frame may pass.
    public enum Verdict: Hashable, Sendable {
        /// Within the limit.
        case allowed
        /// Over the limit: drop the frame, tell the sender.
        case refused
        /// Over the limit for too long: close the connection.
        case flood
    }

    /// Tokens per second.
    public let rate: Double
    /// Bucket size.
    public let burst: Double
    /// Refusals in one flood before `flood`.
    public let floodLimit: Int
    /// Tokens now (at `updated`).
    public private(set) var tokens: Double
    /// When `tokens` was last brought up to date.
    public private(set) var updated: ContinuousClock.Instant
    /// Refusals since the bucket was last at least half full.
    public private(set) var refusals: Int = 0

    /// A full bucket at `now`.
    public init(limits: RegistryLimits, now: ContinuousClock.Instant) {
        rate = limits.framesPerSecond
        burst = limits.burst
        floodLimit = limits.floodLimit
        tokens = limits.burst
        updated = now
    }

    /// Takes one token for a frame arriving at `now`.
    public mutating func admit(at now: ContinuousClock.Instant) -> Verdict {
        refill(to: now)
        if tokens >= burst / 2 { refusals = 0 }
        if tokens >= 1 {
            tokens -= 1
            return .allowed
        }
        refusals += 1
        return refusals >= floodLimit ? .flood : .refused
    }

    /// Adds what `rate` earned since `updated` (a clock that seems to go back earns nothing).
    private mutating func refill(to now: ContinuousClock.Instant) {
        guard now > updated else { return }
        let elapsed = now - updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        tokens = min(burst, tokens + seconds * rate)
        updated = now
    }
}

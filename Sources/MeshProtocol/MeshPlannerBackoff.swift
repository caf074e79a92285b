/// The wait before each signaling reconnect attempt: exponential, doubling from
/// the range's lower bound after every failed attempt, capped at its upper bound.
/// A restarted registry is then not hit by every agent at the same instant
/// (jitter) nor polled forever at full rate (the cap is reached quickly).
///
/// Randomness is the caller's: `jitter` is a number in 0...1 (from a seeded
/// generator in tests), which scales the wait into its upper half
/// (`[delay/2, delay]`, "equal jitter"), so a wait never falls below half the
/// schedule.
public struct MeshBackoff: Hashable, Sendable {
    /// The first wait and the cap.
    public let range: ClosedRange<Duration>

    /// A schedule within `range` (a negative lower bound counts as zero).
    public init(range: ClosedRange<Duration>) {
        let lower = max(range.lowerBound, .zero)
        self.range = lower...max(lower, range.upperBound)
    }

    /// The wait after `failures` failed attempts in a row (0: the first attempt).
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = range.lowerBound
        var step = 0
        // Doubling step by step (instead of 2^n) cannot overflow for any `failures`.
        // Zero cannot double: a zero first wait is followed by the cap.
        while step < max(0, failures), delay < range.upperBound {
            delay = delay == .zero ? range.upperBound : delay * 2
            step += 1
        }
        return min(delay, range.upperBound)
    }

    /// The wait after `failures` failed attempts, scaled by `jitter` (0...1,
    /// clamped) into `[delay/2, delay]`.
    public func delay(afterFailures failures: Int, jitter: Double) -> Duration {
        let full = delay(afterFailures: failures)
        let fraction = 0.5 + 0.5 * min(1, max(0, jitter.isNaN ? 1 : jitter))
        return full * fraction
    }
}

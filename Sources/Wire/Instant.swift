/// A point on a monotonic time line, in nanoseconds since an arbitrary origin.
///
/// Protocol layers never read a clock: the driver (real UDP or the simulated
/// network's virtual clock) passes the current `Instant` in. That is what lets
/// a 60-second retransmission schedule be tested in microseconds.
public struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the clock's origin.
    public var nanoseconds: Int64

    /// Creates an instant `nanoseconds` after the origin.
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The origin of a virtual clock.
    public static let zero = Instant(nanoseconds: 0)

    /// Creates an instant a whole number of milliseconds after the origin.
    public static func milliseconds(_ value: Int64) -> Instant { Instant(nanoseconds: value * 1_000_000) }

    /// Creates an instant a whole number of seconds after the origin.
    public static func seconds(_ value: Int64) -> Instant { Instant(nanoseconds: value * 1_000_000_000) }

    /// Milliseconds since the origin, as a floating-point number (for display).
    public var milliseconds: Double { Double(nanoseconds) / 1_000_000 }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public static func + (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanoseconds: lhs.nanoseconds + rhs.totalNanoseconds)
    }

    public static func - (lhs: Instant, rhs: Duration) -> Instant {
        Instant(nanoseconds: lhs.nanoseconds - rhs.totalNanoseconds)
    }

    public static func += (lhs: inout Instant, rhs: Duration) { lhs = lhs + rhs }

    /// The elapsed time from `rhs` to `lhs`.
    public static func - (lhs: Instant, rhs: Instant) -> Duration {
        .nanoseconds(lhs.nanoseconds - rhs.nanoseconds)
    }

    public var description: String {
        let ms = Double(nanoseconds) / 1_000_000
        return "t=\(ms.formatted3)ms"
    }
}

extension Duration {
    /// The duration in whole nanoseconds (sub-nanosecond parts are dropped).
    public var totalNanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }

    /// The duration in milliseconds as a floating-point number (for display).
    public var milliseconds: Double { Double(totalNanoseconds) / 1_000_000 }
}

extension Double {
    /// Three decimals, without Foundation (keeps Wire dependency-free).
    var formatted3: String {
        let scaled = (self * 1000).rounded()
        let whole = Int64(scaled / 1000)
        let frac = Int64(abs(scaled.truncatingRemainder(dividingBy: 1000)))
        let sign = (self < 0 && whole == 0) ? "-" : ""
        let fracText = String(frac)
        return "\(sign)\(whole)." + String(repeating: "0", count: 3 - fracText.count) + fracText
    }
}

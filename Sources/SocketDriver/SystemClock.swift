#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// The real clocks, read only by drivers (protocol layers are fed `Instant`s).
public enum SystemClock {
    /// Now on CLOCK_MONOTONIC: never jumps when the wall clock is set, which is
    /// what retransmission timers need. Its origin is arbitrary (usually boot).
    public static func now() -> Instant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Instant(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    /// Nanoseconds since the Unix epoch on CLOCK_REALTIME. Only for labelling
    /// captures (pcap timestamps are wall-clock time); never for timers.
    public static func unixNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// The Unix time, in nanoseconds, that corresponds to monotonic `Instant.zero`:
    /// add it to an `Instant` from `now()` to get wall-clock time for a capture.
    public static func unixOffsetOfMonotonicZero() -> Int64 {
        let monotonic = now().nanoseconds
        let wall = unixNanoseconds()
        return wall - monotonic
    }
}

/// Small text formatting shared by the lab's reports.
public enum Format {
    /// "3.2 s" (one decimal) for durations a person reads.
    public static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let tenths = (Int64(whole) * 10) + attoseconds / 100_000_000_000_000_000
        return "\(tenths / 10).\(abs(tenths % 10)) s"
    }

    /// Seconds with three decimals, for machine formats (JUnit `time`, JSON `execution_time`).
    public static func secondsValue(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds / 1_000_000_000_000_000) / 1000
    }
}

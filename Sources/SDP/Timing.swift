/// The timing line (RFC 8866 §5.9): `t=<start-time> <stop-time>`, NTP seconds.
///
/// WebRTC sessions are unbounded: `t=0 0`.
public struct Timing: Hashable, Sendable, CustomStringConvertible {
    /// Start time in NTP seconds, 0 for "now".
    public var start: UInt64
    /// Stop time in NTP seconds, 0 for "unbounded".
    public var stop: UInt64

    /// Creates a timing line value; the default is WebRTC's `0 0`.
    public init(start: UInt64 = 0, stop: UInt64 = 0) {
        self.start = start
        self.stop = stop
    }

    /// Parses the value of a `t=` line.
    public init(parsing value: Substring) throws(SDPError) {
        let fields = SDPText.fields(value)
        guard fields.count == 2, let start = SDPText.number(fields[0]), let stop = SDPText.number(fields[1]) else {
            throw SDPError(.invalidValue, "t= needs two decimal times")
        }
        self.start = start
        self.stop = stop
    }

    /// The value of a `t=` line.
    public var description: String { "\(start) \(stop)" }
}

/// The bandwidth line (RFC 8866 §5.8): `b=<bwtype>:<bandwidth>`, e.g. `b=AS:30`.
public struct Bandwidth: Hashable, Sendable, CustomStringConvertible {
    /// The modifier: `CT`, `AS`, `TIAS`, or another token.
    public var type: String
    /// The value (kilobits per second for CT and AS, bits per second for TIAS).
    public var value: UInt64

    /// Creates a bandwidth line value.
    public init(type: String, value: UInt64) {
        self.type = type
        self.value = value
    }

    /// Parses the value of a `b=` line.
    public init(parsing text: Substring) throws(SDPError) {
        guard let (type, amount) = SDPText.splitOnce(text, at: 0x3A), SDPText.isToken(type),
              let value = SDPText.number(amount) else {
            throw SDPError(.invalidValue, "b= must be <bwtype>:<bandwidth>")
        }
        self.type = String(type)
        self.value = value
    }

    /// The value of a `b=` line.
    public var description: String { "\(type):\(value)" }
}

import Wire

/// The 32-byte hello random (RFC 5246 §7.4.1.2).
///
/// ```
///   struct {
///       uint32 gmt_unix_time;
///       opaque random_bytes[28];
///   } Random;
///
///    0                   1                   2                   3
///    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   |                         gmt_unix_time                         |
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   |                  random_bytes (28 bytes) ...                  |
/// ```
///
/// Modern stacks (OpenSSL included) fill all 32 bytes randomly because a real clock
/// value fingerprints the host, so the "time" usually decodes to a random date.
public struct DTLSRandom: Hashable, Sendable {
    /// All 32 bytes.
    public var bytes: [UInt8]

    /// Wraps 32 bytes (other counts are the caller's bug; `encode` pads or cuts to 32).
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The first four bytes read as seconds since 1970.
    public var gmtUnixTime: UInt32 {
        bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        cursor.open("Random")
        let time = try cursor.uint32("GMT Unix Time") { "\(DTLSRandom.utc($0)) (random in most stacks)" }
        let rest = try cursor.bytes("Random Bytes", count: 28)
        var all: [UInt8] = []
        for shift in [24, 16, 8, 0] { all.append(UInt8(truncatingIfNeeded: time >> UInt32(shift))) }
        bytes = all + rest
        cursor.close(value: Hex.encode(bytes))
    }

    /// Writes exactly 32 bytes.
    public func encode(into writer: inout ByteWriter) {
        let fixed = Array(bytes.prefix(32))
        writer.writeBytes(fixed + [UInt8](repeating: 0, count: 32 - fixed.count))
    }

    /// "2021-02-04 14:48:07 UTC" without Foundation: days to a civil date
    /// (the proleptic Gregorian calendar, counting from 0000-03-01 so leap days come last).
    static func utc(_ seconds: UInt32) -> String {
        let days = Int(seconds / 86_400), secondOfDay = Int(seconds % 86_400)
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) UTC"
    }
}

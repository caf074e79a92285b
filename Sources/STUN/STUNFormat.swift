import Wire

/// Small text helpers shared by descriptions and the dissector (no Foundation).
enum STUNFormat {
    /// Zero-padded lower-case hex of an integer: `hex(0x20, digits: 4)` is "0020".
    static func hex<T: BinaryInteger>(_ value: T, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    /// Text for a byte string that should be UTF-8: the string, or a hex dump when it is not valid UTF-8.
    static func text(_ bytes: [UInt8]) -> String {
        if let string = String(validating: bytes, as: UTF8.self) { return "\"\(string)\"" }
        return "(not UTF-8) " + Hex.encode(bytes)
    }
}

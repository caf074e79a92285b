/// Hex helpers for tests, tools and lessons.
public enum Hex {
    private static let digits = Array("0123456789abcdef")

    /// Lower-case hex with no separators: `2112a442`.
    public static func encode<S: Sequence>(_ bytes: S, separator: String = "") -> String where S.Element == UInt8 {
        var parts: [String] = []
        for byte in bytes {
            parts.append(String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]))
        }
        return parts.joined(separator: separator)
    }

    /// Parses hex, ignoring white space, `:` and `-` separators. Nil on odd length or bad digits.
    public static func decode(_ text: String) -> [UInt8]? {
        let cleaned = text.filter { !$0.isWhitespace && $0 != ":" && $0 != "-" }
        guard cleaned.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(cleaned.count / 2)
        var index = cleaned.startIndex
        while index < cleaned.endIndex {
            let next = cleaned.index(index, offsetBy: 2)
            guard let byte = UInt8(cleaned[index..<next], radix: 16) else { return nil }
            out.append(byte)
            index = next
        }
        return out
    }
}

// Small text helpers shared by the SDP parsers.
//
// Why bytes and not Characters: Swift joins "\r\n" (and a space followed by a
// combining mark) into one Character, so splitting a String by Character would
// miss line ends and field separators in hostile input. Every split here works on
// UTF-8 code units, where SDP's separators are single bytes.

enum SDPText {
    /// Splits on single spaces, keeping empty fields so `a  b` is seen as malformed.
    static func fields(_ text: Substring) -> [Substring] {
        text.utf8.split(separator: 0x20, omittingEmptySubsequences: false).map { Substring($0) }
    }

    /// Splits at the first occurrence of `separator`; nil when it is absent.
    static func splitOnce(_ text: Substring, at separator: UInt8) -> (Substring, Substring)? {
        guard let index = text.utf8.firstIndex(of: separator) else { return nil }
        let after = text.utf8.index(after: index)
        return (Substring(text.utf8[..<index]), Substring(text.utf8[after...]))
    }

    /// An unsigned decimal of 1...`maxDigits` ASCII digits (no sign, no spaces), at most `limit`.
    static func number(_ text: Substring, maxDigits: Int = 19, limit: UInt64 = UInt64.max) -> UInt64? {
        guard !text.isEmpty, text.utf8.count <= maxDigits else { return nil }
        var value: UInt64 = 0
        for byte in text.utf8 {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte - 0x30))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value <= limit ? value : nil
    }

    /// A port number 0...65535.
    static func port(_ text: Substring) -> UInt16? {
        number(text, maxDigits: 5, limit: 65535).map { UInt16($0) }
    }

    /// RFC 8839 §5.1 ice-char: ALPHA / DIGIT / "+" / "/".
    static func isICEChar(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2B || byte == 0x2F
    }

    /// An ASCII hex digit, either case.
    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    /// RFC 8866 §9 token-char: visible ASCII except the separators it lists.
    static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21, 0x23...0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x30...0x39, 0x41...0x5A, 0x5E...0x7E: return true
        default: return false
        }
    }

    /// True when `text` is a non-empty token (RFC 8866 §9).
    static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenChar)
    }

    /// True when every byte is an ice-char and the length is within `range`.
    static func isICEString(_ text: Substring, length range: ClosedRange<Int>) -> Bool {
        range.contains(text.utf8.count) && text.utf8.allSatisfy(isICEChar)
    }

    /// Lower-cased ASCII, leaving other bytes alone (tokens compare case-insensitively).
    static func lowercased(_ text: some StringProtocol) -> String {
        String(decoding: text.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}

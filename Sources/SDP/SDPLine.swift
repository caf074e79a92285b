/// One SDP line, `<type>=<value>` (RFC 8866 §5), kept exactly as written.
///
/// ```
///   a=candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host
///   |  \_______________________ value ________________________/
///   type
/// ```
/// The value is stored verbatim (without the line ending) so that serialising a
/// parsed description reproduces its input byte for byte.
public struct SDPLine: Hashable, Sendable, CustomStringConvertible {
    /// The one-letter type: `v`, `o`, `s`, `c`, `b`, `t`, `m`, `a`, or any other letter (kept as is).
    public var type: Character
    /// Everything after `=`, verbatim.
    public var value: String

    /// Creates a line; `type` should be an ASCII letter.
    public init(_ type: Character, _ value: String) {
        self.type = type
        self.value = value
    }

    /// `type=value`, without a line ending.
    public var description: String { "\(type)=\(value)" }

    /// The attribute carried by an `a=` line, or nil for other lines.
    public var attribute: SDPAttribute? {
        type == "a" ? SDPAttribute(lineValue: Substring(value)) : nil
    }

    /// Parses `type=value` (no line ending). Throws `.malformedLine` on anything else.
    init(parsing text: Substring) throws(SDPError) {
        let bytes = text.utf8
        guard let first = bytes.first else { throw SDPError(.malformedLine, "empty line") }
        let isLetter = (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A)
        guard isLetter else { throw SDPError(.malformedLine, "a line must start with a letter and '='") }
        guard bytes.count >= 2, bytes[bytes.index(after: bytes.startIndex)] == 0x3D else {
            throw SDPError(.malformedLine, "a line must be <letter>=<value>")
        }
        // RFC 8866 §9: byte-string excludes NUL, CR and LF; other controls are refused too.
        if bytes.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }) {
            throw SDPError(.malformedLine, "a line holds a control character")
        }
        self.type = Character(Unicode.Scalar(first))
        self.value = String(Substring(bytes.dropFirst(2)))
    }
}

/// An attribute, `a=<name>` or `a=<name>:<value>` (RFC 8866 §5.13).
///
/// The value is kept verbatim (including a leading space such as Chrome's
/// `a=msid-semantic: WMS`); typed accessors interpret it.
public struct SDPAttribute: Hashable, Sendable, CustomStringConvertible {
    /// The attribute name, e.g. `ice-ufrag` (compared case-sensitively, as RFC 8866 §5.13 says).
    public var name: String
    /// The text after the first `:`, or nil for a property attribute such as `ice-lite`.
    public var value: String?

    /// Creates an attribute.
    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    init(lineValue: Substring) {
        if let (name, value) = SDPText.splitOnce(lineValue, at: 0x3A) {
            self.name = String(name)
            self.value = String(value)
        } else {
            self.name = String(lineValue)
            self.value = nil
        }
    }

    /// The `a=` line carrying this attribute.
    public var line: SDPLine { SDPLine("a", value.map { "\(name):\($0)" } ?? name) }

    /// `name` or `name:value`.
    public var description: String { value.map { "\(name):\($0)" } ?? name }
}

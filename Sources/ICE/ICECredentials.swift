/// The short-term credentials of one ICE agent (RFC 8445 §5.3, grammar in
/// RFC 8839 §5.4): a username fragment and a password, exchanged through
/// signaling. Checks *to* an agent are signed with that agent's password.
public struct ICECredentials: Hashable, Sendable, CustomStringConvertible {
    /// ice-ufrag: 4-256 ice-chars.
    public let ufrag: String
    /// ice-pwd: 22-256 ice-chars (at least 128 bits of randomness).
    public let password: String

    /// ufrag length limits (RFC 8839 §5.4).
    public static let ufragLength: ClosedRange<Int> = 4...256
    /// Password length limits (RFC 8839 §5.4).
    public static let passwordLength: ClosedRange<Int> = 22...256

    /// Creates credentials; a value outside the grammar is `.invalidArgument`.
    public init(ufrag: String, password: String) throws {
        try Self.validate(ufrag, name: "ufrag", length: Self.ufragLength)
        try Self.validate(password, name: "password", length: Self.passwordLength)
        self.ufrag = ufrag
        self.password = password
    }

    /// Fresh random credentials (8-char ufrag, 24-char password) from `generator`:
    /// seeded in tests, the system generator in real use.
    public static func random(using generator: inout some RandomNumberGenerator) -> ICECredentials {
        func draw(_ count: Int) -> String {
            String((0..<count).map { _ in iceChars[Int(generator.next(upperBound: UInt64(iceChars.count)))] })
        }
        let ufrag = draw(8)
        let password = draw(24)
        // Both drawn from ice-chars at legal lengths: the initializer cannot throw.
        return (try? ICECredentials(ufrag: ufrag, password: password)) ?? ICECredentials(unchecked: ufrag, password)
    }

    private init(unchecked ufrag: String, _ password: String) {
        self.ufrag = ufrag
        self.password = password
    }

    /// ice-char = ALPHA / DIGIT / "+" / "/".
    static let iceChars: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// True when every character is an ice-char.
    public static func isICEChars(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "+", "/": return true
            default: return false
            }
        }
    }

    private static func validate(_ text: String, name: String, length: ClosedRange<Int>) throws {
        let count = text.unicodeScalars.count
        guard length.contains(count) else {
            throw ICEError(.invalidArgument, "\(name) has \(count) characters; RFC 8839 allows \(length.lowerBound)-\(length.upperBound)")
        }
        guard isICEChars(text) else {
            throw ICEError(.invalidArgument, "\(name) may hold only letters, digits, + and /")
        }
    }

    /// The ufrag only: passwords stay out of logs.
    public var description: String { "ICECredentials(ufrag: \(ufrag))" }
}

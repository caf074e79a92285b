import Wire

/// A certificate fingerprint (RFC 8122 §5), the only thing tying the DTLS
/// handshake to the signaling channel.
///
/// ```
/// a=fingerprint:<hash-func> <fingerprint>
/// a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CD:87:32:BE:...:28:16
/// ```
/// Hex pairs are upper case on output; either case is accepted.
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The hash function over the DER certificate.
    public struct HashFunction: Hashable, Sendable, CustomStringConvertible {
        /// The token as written (`sha-256`); compared case-insensitively.
        public var rawValue: String
        /// Creates a hash function from its token.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        /// SHA-1 (20 bytes).
        public static let sha1 = HashFunction("sha-1")
        /// SHA-224 (28 bytes).
        public static let sha224 = HashFunction("sha-224")
        /// SHA-256 (32 bytes), what every browser sends today.
        public static let sha256 = HashFunction("sha-256")
        /// SHA-384 (48 bytes).
        public static let sha384 = HashFunction("sha-384")
        /// SHA-512 (64 bytes).
        public static let sha512 = HashFunction("sha-512")

        /// The digest length in bytes for the known functions, nil for others.
        public var digestLength: Int? {
            switch SDPText.lowercased(rawValue) {
            case "sha-1": return 20
            case "sha-224": return 28
            case "sha-256": return 32
            case "sha-384": return 48
            case "sha-512": return 64
            default: return nil
            }
        }
        /// Equal when the tokens match ignoring ASCII case.
        public static func == (lhs: Self, rhs: Self) -> Bool {
            SDPText.lowercased(lhs.rawValue) == SDPText.lowercased(rhs.rawValue)
        }
        /// Hashes the lower-cased token, consistent with `==`.
        public func hash(into hasher: inout Hasher) { hasher.combine(SDPText.lowercased(rawValue)) }
        /// The token as written.
        public var description: String { rawValue }
    }

    /// The hash function.
    public var hashFunction: HashFunction
    /// The digest bytes.
    public var bytes: [UInt8]

    /// Creates a fingerprint.
    public init(hashFunction: HashFunction, bytes: [UInt8]) {
        self.hashFunction = hashFunction
        self.bytes = bytes
    }

    /// Parses the value of an `a=fingerprint` attribute.
    public init(parsing value: Substring) throws(SDPError) {
        let fields = SDPText.fields(value)
        guard fields.count == 2, SDPText.isToken(fields[0]) else {
            throw SDPError(.invalidValue, "fingerprint must be '<hash-func> <hex pairs>'")
        }
        var bytes: [UInt8] = []
        for pair in fields[1].utf8.split(separator: 0x3A, omittingEmptySubsequences: false) {
            // Checked by hand: UInt8(_:radix:) would also take a sign, as in "+F".
            guard pair.count == 2, pair.allSatisfy(SDPText.isHexDigit), let byte = UInt8(Substring(pair), radix: 16) else {
                throw SDPError(.invalidValue, "fingerprint bytes must be hex pairs separated by ':'")
            }
            bytes.append(byte)
        }
        let function = HashFunction(String(fields[0]))
        if let expected = function.digestLength, expected != bytes.count {
            throw SDPError(.invalidValue, "\(function) fingerprint has \(bytes.count) bytes, expected \(expected)")
        }
        self.hashFunction = function
        self.bytes = bytes
    }

    /// The value of an `a=fingerprint` attribute: `sha-256 AB:CD:...`.
    public var description: String {
        hashFunction.rawValue + " " + Hex.encode(bytes, separator: ":").uppercased()
    }
}

/// Why the registry could not start, or refused a setting: a bad secret, a bad API
/// key file, a bad listen address. Each carries one line that names what is wrong
/// (and the file, when there is one), for a person to fix; never the secret itself.
public struct RegistryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem, for programs.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let rawValue: String
        /// A code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The HS256 secret is shorter than `MeshDefaults.minimumSecretBytes`, or empty.
        public static let secretTooShort = Code(rawValue: "secret_too_short")
        /// The secret file cannot be read.
        public static let secretFile = Code(rawValue: "secret_file")
        /// The API key file cannot be read or is not `{"keys":{"KEY":{"peer_id","role"}}}`.
        public static let keyFile = Code(rawValue: "key_file")
        /// A setting (PORT, --listen, a limit, the token lifetime) is out of range.
        public static let setting = Code(rawValue: "setting")
        /// The HTTP listener could not start (address in use, not permitted...).
        public static let listener = Code(rawValue: "listener")
        /// A token could not be minted.
        public static let minting = Code(rawValue: "minting")
        /// The name.
        public var description: String { rawValue }
    }

    /// What kind of problem.
    public let code: Code
    /// One line for a person.
    public let reason: String

    /// An error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    /// The reason.
    public var description: String { reason }
}

import Foundation
import MeshProtocol

/// The API key file, chatixia-mesh's format: `{"keys":{"KEY":{"peer_id":"...",
/// "role":"..."}}}`. Each key is exchanged for a token naming its peer.
///
/// Unlike chatixia, which falls back to a built-in development key when the file
/// is missing or unreadable, a file that was named must be valid: a typo in a
/// path should stop the registry, not open it to a well-known key.
public struct APIKeyFile: Sendable {
    /// What one key stands for.
    public struct Entry: Hashable, Sendable {
        /// The peer id its tokens name.
        public let peerID: String
        /// The role its tokens carry.
        public let role: String

        /// An entry.
        public init(peerID: String, role: String) {
            self.peerID = peerID
            self.role = role
        }
    }

    /// The largest key file read (a file this size holds thousands of keys).
    public static let maxBytes = 1 << 20

    /// Where it was read from (named in errors and logs).
    public let path: String
    private let entries: [String: Entry]

    /// How many keys.
    public var count: Int { entries.count }

    /// The peer ids, sorted (for the start-up log line; keys are never logged).
    public var peerIDs: [String] { Set(entries.values.map(\.peerID)).sorted() }

    /// A key file from entries already in memory (for embedding and tests).
    public init(entries: [String: Entry], path: String = "(in memory)") throws(RegistryError) {
        self.path = path
        try Self.check(entries, path: path)
        self.entries = entries
    }

    /// Reads and checks the file at `path`.
    public init(path: String) throws(RegistryError) {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > Self.maxBytes {
                throw RegistryError(.keyFile, "the API key file \(path) is \(size) bytes; the limit is \(Self.maxBytes)")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError(.keyFile, "cannot read the API key file \(path): \(RegistrySecret.reason(error))")
        }
        try self.init(parsing: data, path: path)
    }

    /// Parses a key file's contents; `path` is only for the messages.
    public init(parsing data: Data, path: String) throws(RegistryError) {
        func bad(_ problem: String) -> RegistryError {
            RegistryError(.keyFile, "the API key file \(path) \(problem) "
                + #"(expected {"keys":{"KEY":{"peer_id":"alice","role":"agent"}}})"#)
        }
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw bad("is not valid JSON (\(error))")
        }
        guard case let .object(top) = json else { throw bad("is not a JSON object") }
        guard let keys = top["keys"] else { throw bad("has no \"keys\" member") }
        guard case let .object(members) = keys else { throw bad("has a \"keys\" member that is not an object") }
        var entries: [String: Entry] = [:]
        // Keys are sorted so that the first bad entry named is the same every run;
        // an entry is named by its position and peer, never by the key itself.
        for (index, key) in members.keys.sorted().enumerated() {
            let place = "entry \(index + 1)"
            guard case let .object(fields)? = members[key] else { throw bad("has an \(place) that is not an object") }
            guard let peerID = fields["peer_id"]?.stringValue else {
                throw bad("has an \(place) without a string \"peer_id\"")
            }
            guard let role = fields["role"]?.stringValue else {
                throw bad("has an \(place) (peer_id '\(peerID)') without a string \"role\"")
            }
            entries[key] = Entry(peerID: peerID, role: role)
        }
        try self.init(entries: entries, path: path)
    }

    /// The entry for an API key, if the key is known.
    public func lookup(_ key: String) -> Entry? { entries[key] }

    private static func check(_ entries: [String: Entry], path: String) throws(RegistryError) {
        guard !entries.isEmpty else {
            throw RegistryError(.keyFile, "the API key file \(path) has no keys: every token request would get 401")
        }
        for entry in entries.values.sorted(by: { $0.peerID < $1.peerID }) {
            if entry.peerID.isEmpty { throw RegistryError(.keyFile, "the API key file \(path) maps a key to an empty peer_id") }
            if entry.peerID.utf8.count > TokenAuthority.maxPeerIDBytes {
                throw RegistryError(.keyFile, "the API key file \(path) has a peer_id longer than \(TokenAuthority.maxPeerIDBytes) bytes")
            }
            if entry.peerID == MeshDefaults.registryPeerID {
                throw RegistryError(.keyFile, "the API key file \(path) maps a key to peer_id '\(MeshDefaults.registryPeerID)', "
                    + "which names the registry itself in signaling frames")
            }
        }
        if entries.keys.contains(where: \.isEmpty) {
            throw RegistryError(.keyFile, "the API key file \(path) has an empty key")
        }
    }
}

/// Lab mode's peer names (`x-peer-name`): 1-64 characters of `[A-Za-z0-9._-]`,
/// so that a name is safe in a log line, a file name and a shell.
public enum LabPeerName {
    /// The longest name.
    public static let maxLength = 64

    /// Why `name` cannot be a lab peer name, or nil when it can.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "the name is empty" }
        if name.utf8.count > maxLength { return "the name is longer than \(maxLength) characters" }
        let allowed = name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        if !allowed { return "the name may hold only letters, digits, '.', '_' and '-'" }
        if name == MeshDefaults.registryPeerID { return "'\(name)' names the registry itself" }
        return nil
    }
}

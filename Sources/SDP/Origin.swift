/// The origin line (RFC 8866 §5.2).
///
/// ```
/// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
/// o=-          4611731400430051336 2    IN        IP4        127.0.0.1
/// ```
/// JSEP (RFC 9429 §5.2.1) uses `-` as username, a random 63-bit session id and
/// a version that grows with each new description of the same session.
public struct Origin: Hashable, Sendable, CustomStringConvertible {
    /// The user's login, `-` when there is none.
    public var username: String
    /// Session id: a string of digits (kept as text: some stacks exceed 64 bits).
    public var sessionID: String
    /// Session version: a string of digits.
    public var sessionVersion: String
    /// Network type, `IN`.
    public var networkType: String
    /// Address type, `IP4` or `IP6`.
    public var addressType: String
    /// The creating host's address (JSEP: a placeholder such as 127.0.0.1).
    public var unicastAddress: String

    /// Creates an origin.
    public init(username: String = "-", sessionID: String, sessionVersion: String = "2",
                networkType: String = "IN", addressType: String = "IP4", unicastAddress: String = "127.0.0.1") {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.unicastAddress = unicastAddress
    }

    /// Parses the value of an `o=` line.
    public init(parsing value: Substring) throws(SDPError) {
        let fields = SDPText.fields(value)
        guard fields.count == 6, fields.allSatisfy({ !$0.isEmpty }) else {
            throw SDPError(.invalidValue, "o= needs 6 space-separated fields, found \(fields.count)")
        }
        guard fields[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              fields[2].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw SDPError(.invalidValue, "o= session id and version must be digits")
        }
        username = String(fields[0])
        sessionID = String(fields[1])
        sessionVersion = String(fields[2])
        networkType = String(fields[3])
        addressType = String(fields[4])
        unicastAddress = String(fields[5])
    }

    /// The value of an `o=` line.
    public var description: String {
        "\(username) \(sessionID) \(sessionVersion) \(networkType) \(addressType) \(unicastAddress)"
    }
}

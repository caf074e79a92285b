/// The connection line (RFC 8866 §5.7).
///
/// ```
/// c=<nettype> <addrtype> <connection-address>
/// c=IN        IP4        0.0.0.0
/// ```
/// With ICE the address is a placeholder (JSEP §5.2.1: `IN IP4 0.0.0.0`); the
/// real addresses travel in `a=candidate` lines.
public struct ConnectionData: Hashable, Sendable, CustomStringConvertible {
    /// Network type, `IN`.
    public var networkType: String
    /// Address type, `IP4` or `IP6`.
    public var addressType: String
    /// The address, possibly with `/ttl` or `/count` suffixes for multicast (kept verbatim).
    public var address: String

    /// Creates connection data.
    public init(networkType: String = "IN", addressType: String = "IP4", address: String = "0.0.0.0") {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    /// Parses the value of a `c=` line.
    public init(parsing value: Substring) throws(SDPError) {
        let fields = SDPText.fields(value)
        guard fields.count == 3, fields.allSatisfy({ !$0.isEmpty }) else {
            throw SDPError(.invalidValue, "c= needs 3 space-separated fields, found \(fields.count)")
        }
        networkType = String(fields[0])
        addressType = String(fields[1])
        address = String(fields[2])
    }

    /// The value of a `c=` line.
    public var description: String { "\(networkType) \(addressType) \(address)" }
}

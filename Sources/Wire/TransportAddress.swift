/// An IP address and a UDP port: one end of a 5-tuple.
public struct TransportAddress: Hashable, Sendable, CustomStringConvertible {
    /// The IP address.
    public var ip: IPAddress
    /// The UDP port.
    public var port: UInt16

    /// Creates a transport address.
    public init(_ ip: IPAddress, _ port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// Parses `1.2.3.4:5678`, `[::1]:5678`, or (with `defaultPort`) a bare address.
    ///
    /// Throws `WireError.invalidAddress` naming what was wrong; host names are
    /// not resolved here (resolution is I/O and belongs to a driver).
    public init(parsing text: String, defaultPort: UInt16? = nil) throws {
        var host = Substring(text)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw WireError.invalidAddress("missing ] in \(text)") }
            let inner = host[host.index(after: host.startIndex)..<close]
            let rest = host[host.index(after: close)...]
            if rest.hasPrefix(":") { portText = rest.dropFirst() } else if !rest.isEmpty {
                throw WireError.invalidAddress("unexpected text after ] in \(text)")
            }
            host = inner
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard let ip = IPAddress(String(host)) else { throw WireError.invalidAddress("not an IP address: \(host)") }
        let port: UInt16
        if let portText {
            guard let value = UInt16(portText) else { throw WireError.invalidAddress("bad port \(portText) in \(text)") }
            port = value
        } else if let defaultPort {
            port = defaultPort
        } else {
            throw WireError.invalidAddress("missing port in \(text)")
        }
        self.init(ip, port)
    }

    /// `1.2.3.4:5678` or `[::1]:5678`.
    public var description: String {
        ip.isIPv4 ? "\(ip):\(port)" : "[\(ip)]:\(port)"
    }
}

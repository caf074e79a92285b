import SocketDriver
import Wire

/// A server named on the command line: `HOST`, `HOST:PORT`, `IPv4:PORT`,
/// `[IPv6]:PORT`, or a bare IPv6 address. Parsing is pure; resolution is the driver's.
struct ServerTarget: Equatable {
    /// A host name or an IP literal (no brackets).
    var host: String
    /// The UDP port (1...65535).
    var port: UInt16

    /// STUN's default port over UDP (RFC 8489 §18.6).
    static let defaultPort: UInt16 = 3478

    /// Parses `text`; failures are usage errors with a one-line reason.
    init(parsing text: String, defaultPort: UInt16 = ServerTarget.defaultPort, allowPortZero: Bool = false) throws {
        var host = Substring(text)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                throw ProbeFailure(.usage, "missing ']' in \(text) (write IPv6 as [::1]:3478)")
            }
            let rest = host[host.index(after: close)...]
            if rest.hasPrefix(":") {
                portText = rest.dropFirst()
            } else if !rest.isEmpty {
                throw ProbeFailure(.usage, "unexpected '\(rest)' after ']' in \(text)")
            }
            host = host[host.index(after: host.startIndex)..<close]
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard !host.isEmpty else { throw ProbeFailure(.usage, "missing host in '\(text)'") }
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || "-.:_%".contains($0) }) else {
            throw ProbeFailure(.usage, "'\(host)' is not a host name or an IP address")
        }
        self.host = String(host)
        if let portText {
            guard let value = Int(portText), value >= (allowPortZero ? 0 : 1), value <= 65_535 else {
                let range = allowPortZero ? "0-65535" : "1-65535"
                throw ProbeFailure(.usage, "bad port '\(portText)' in \(text) (must be \(range))")
            }
            port = UInt16(value)
        } else {
            port = defaultPort
        }
    }

    /// True when the host is an IP literal (no name lookup needed).
    var literal: IPAddress? { IPAddress(host) }

    /// Resolves through getaddrinfo; an unknown name is `.unresolvableHost`.
    func resolve() throws -> TransportAddress {
        do {
            let addresses = try HostResolver.resolve(host: host, port: port)
            // Prefer IPv4 when a name has both: it works on more networks, and the lesson's
            // output stays the same whichever order the resolver returns.
            return addresses.first { $0.ip.isIPv4 } ?? addresses[0]
        } catch let error as SocketError {
            throw ProbeFailure(.unresolvableHost, error.reason)
        }
    }
}

import ArgumentParser
import SocketDriver
import Wire

/// --connect's HOST:PORT: an IP literal ("127.0.0.1:4433", "[::1]:4433") or a
/// name ("localhost:4433") resolved when the run starts.
struct HostPort {
    let host: String
    let port: UInt16

    init(parsing text: String) throws {
        if let literal = try? TransportAddress(parsing: text) {
            guard literal.port != 0 else { throw ValidationError("--connect \(text): port 0 cannot be connected to") }
            host = literal.ip.description
            port = literal.port
            return
        }
        guard let colon = text.lastIndex(of: ":"), !text.hasPrefix("[") else {
            throw ValidationError("--connect \(text): expected HOST:PORT (e.g. 127.0.0.1:4433, [::1]:4433, localhost:4433)")
        }
        let name = String(text[..<colon]), portText = text[text.index(after: colon)...]
        guard !name.isEmpty, !name.contains(":"), name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
            throw ValidationError("--connect \(text): \"\(name)\" is not a host name")
        }
        guard let number = UInt16(portText), number != 0 else {
            throw ValidationError("--connect \(text): the port must be 1...65535")
        }
        host = name
        port = number
    }

    /// The first address of the host (HostResolver order).
    /// - Throws: `HandshakeFailure(.unresolvableHost)` when the name has no address.
    func resolve() throws -> TransportAddress {
        do {
            guard let first = try HostResolver.resolve(host: host, port: port).first else {
                throw HandshakeFailure(.unresolvableHost, "\(host) has no address")
            }
            return first
        } catch let error as SocketError {
            // The resolver's reason already names the host ("cannot resolve host X: ...").
            throw HandshakeFailure(error.code == .unresolvableHost ? .unresolvableHost : .localFailure, error.reason)
        }
    }
}

import SocketDriver
import Wire

/// Binding the tool's UDP sockets, with failures as one-line errors.
enum Sockets {
    static func bind(_ text: String) throws -> UDPSocket {
        try bind(try TransportAddress(parsing: text))
    }

    static func bind(_ address: TransportAddress) throws -> UDPSocket {
        do {
            return try UDPSocket(bindingTo: address)
        } catch let error as SocketError {
            throw HandshakeFailure(.localFailure, "cannot bind \(address): \(error.reason)")
        }
    }
}

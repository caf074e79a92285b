#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// Conversions between `TransportAddress` (a value) and the C `sockaddr_in` /
/// `sockaddr_in6` structures the socket calls take. Kept in one place so the
/// byte-order rules (ports and addresses are network order) live once.
enum SocketAddress {
    /// Calls `body` with a `sockaddr` pointer and length describing `address`.
    static func withSockaddr<R>(_ address: TransportAddress,
                                _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        switch address.ip {
        case .v4:
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            storage.sin_port = address.port.bigEndian
            let bytes = address.ip.bytes
            withUnsafeMutableBytes(of: &storage.sin_addr) { raw in
                for index in 0..<4 { raw[index] = bytes[index] }
            }
            return try withUnsafePointer(to: &storage) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6:
            var storage = sockaddr_in6()
            storage.sin6_family = sa_family_t(AF_INET6)
            storage.sin6_port = address.port.bigEndian
            let bytes = address.ip.bytes
            withUnsafeMutableBytes(of: &storage.sin6_addr) { raw in
                for index in 0..<16 { raw[index] = bytes[index] }
            }
            return try withUnsafePointer(to: &storage) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Reads an IPv4 or IPv6 address out of a `sockaddr_storage`; nil for other families.
    static func transportAddress(from storage: sockaddr_storage) -> TransportAddress? {
        var copy = storage
        switch Int32(copy.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &copy) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { inet in
                    let bytes = withUnsafeBytes(of: inet.pointee.sin_addr) { Array($0.prefix(4)) }
                    guard let ip = IPAddress(bytes: bytes) else { return nil }
                    return TransportAddress(ip, UInt16(bigEndian: inet.pointee.sin_port))
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &copy) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { inet6 in
                    let bytes = withUnsafeBytes(of: inet6.pointee.sin6_addr) { Array($0.prefix(16)) }
                    guard let ip = IPAddress(bytes: bytes) else { return nil }
                    return TransportAddress(ip, UInt16(bigEndian: inet6.pointee.sin6_port))
                }
            }
        default:
            return nil
        }
    }

    /// Reads a `sockaddr` of `length` bytes (as getaddrinfo returns them).
    static func transportAddress(from pointer: UnsafePointer<sockaddr>, length: socklen_t) -> TransportAddress? {
        var storage = sockaddr_storage()
        let count = min(Int(length), MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &storage) { destination in
            destination.copyMemory(from: UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: count))
        }
        return transportAddress(from: storage)
    }
}

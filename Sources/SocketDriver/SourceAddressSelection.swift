#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// Which local address the kernel would send from toward a destination.
///
/// A socket bound to the wildcard (0.0.0.0 or ::) does not know its source IP,
/// so captures and STUN comparisons ("is my mapped address my own address?")
/// would show 0.0.0.0. Connecting a throwaway UDP socket runs the kernel's
/// route and source address selection (RFC 6724) without sending anything.
public enum SourceAddressSelection {
    /// The local IP the kernel picks to reach `destination`. Throws `.send` when
    /// there is no route (for example IPv6 on an IPv4-only host).
    public static func localAddress(toward destination: TransportAddress) throws -> IPAddress {
        let family = destination.ip.isIPv4 ? AF_INET : AF_INET6
        #if canImport(Glibc)
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_DGRAM
        #endif
        let descriptor = socket(family, type, Int32(IPPROTO_UDP))
        guard descriptor >= 0 else { throw SocketError.fromErrno(.socketCreation, "cannot create a UDP socket") }
        defer { closeDescriptor(descriptor) }
        // Port 0 cannot be connected to on some systems; any port selects the same route.
        let probe = TransportAddress(destination.ip, destination.port == 0 ? 9 : destination.port)
        let connected = SocketAddress.withSockaddr(probe) { connect(descriptor, $0, $1) }
        guard connected == 0 else { throw SocketError.fromErrno(.send, "no route to \(destination)") }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0, let local = SocketAddress.transportAddress(from: storage) else {
            throw SocketError.fromErrno(.socketOption, "cannot read the source address toward \(destination)")
        }
        return local.ip
    }
}

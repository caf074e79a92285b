#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// A non-blocking POSIX UDP socket bound to one local address.
///
/// It is a class because it owns a file descriptor: copies must not close it
/// twice. It is not `Sendable`: one event loop (one thread) owns it. IPv6
/// sockets are IPV6_V6ONLY so that "[::1]:5000" and "127.0.0.1:5000" are two
/// distinct sockets, as they are two distinct addresses on the wire.
public final class UDPSocket {
    /// The descriptor, or -1 once closed. Exposed for poll(2) in the event loop.
    public private(set) var fileDescriptor: Int32
    /// The address the kernel actually bound (port 0 becomes the chosen port).
    public let localAddress: TransportAddress
    private var scratch: [UInt8] = []

    /// Opens a UDP socket and binds it to `address` (port 0: the kernel picks a free port).
    ///
    /// - Parameters:
    ///   - receiveBufferSize: SO_RCVBUF in bytes, or nil for the system default.
    ///     A bigger buffer rides out bursts (SCTP over DTLS sends many datagrams at once).
    ///   - sendBufferSize: SO_SNDBUF in bytes, or nil for the system default.
    public init(bindingTo address: TransportAddress, receiveBufferSize: Int? = nil,
                sendBufferSize: Int? = nil) throws {
        let family = address.ip.isIPv4 ? AF_INET : AF_INET6
        #if canImport(Glibc)
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_DGRAM
        #endif
        let descriptor = socket(family, type, Int32(IPPROTO_UDP))
        guard descriptor >= 0 else { throw SocketError.fromErrno(.socketCreation, "cannot create a UDP socket") }
        do {
            #if !canImport(Glibc)
            let flags = fcntl(descriptor, F_GETFL, 0)
            _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
            #endif
            if family == AF_INET6 {
                try Self.setOption(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1, name: "IPV6_V6ONLY")
            }
            if let receiveBufferSize {
                try Self.setBufferSize(descriptor, receiveBufferSize, forced: SO_RCVBUFFORCE, plain: SO_RCVBUF, name: "SO_RCVBUF")
            }
            if let sendBufferSize {
                try Self.setBufferSize(descriptor, sendBufferSize, forced: SO_SNDBUFFORCE, plain: SO_SNDBUF, name: "SO_SNDBUF")
            }
            let result = SocketAddress.withSockaddr(address) { bind(descriptor, $0, $1) }
            guard result == 0 else { throw SocketError.fromErrno(.bind, "cannot bind UDP socket to \(address)") }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let named = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            guard named == 0, let bound = SocketAddress.transportAddress(from: storage) else {
                throw SocketError.fromErrno(.bind, "cannot read the bound address of \(address)")
            }
            fileDescriptor = descriptor
            localAddress = bound
        } catch {
            closeDescriptor(descriptor)
            throw error
        }
    }

    deinit { close() }

    /// Closes the descriptor (idempotent). Later sends and receives throw `.closed`.
    public func close() {
        guard fileDescriptor >= 0 else { return }
        closeDescriptor(fileDescriptor)
        fileDescriptor = -1
    }

    /// True for an IPv4 socket.
    public var isIPv4: Bool { localAddress.ip.isIPv4 }

    /// The kernel's SO_RCVBUF (Linux reports double the requested value: it
    /// counts its own bookkeeping).
    public var receiveBufferSize: Int { get throws { Int(try readOption(SO_RCVBUF, name: "SO_RCVBUF")) } }

    /// The kernel's SO_SNDBUF (doubled on Linux, like SO_RCVBUF).
    public var sendBufferSize: Int { get throws { Int(try readOption(SO_SNDBUF, name: "SO_SNDBUF")) } }

    /// Result of a send: UDP may refuse to queue a datagram, which is a loss, not an error.
    public enum SendResult: Equatable, Sendable {
        /// The kernel accepted the whole datagram.
        case sent
        /// The send buffer is full (EAGAIN/ENOBUFS): the datagram was dropped.
        case dropped
    }

    /// Sends `payload` to `destination`. Throws `.invalidArgument` for a
    /// destination of the other IP family and `.send` for hard errors (no route...).
    @discardableResult
    public func send(_ payload: [UInt8], to destination: TransportAddress) throws -> SendResult {
        guard fileDescriptor >= 0 else { throw SocketError(.closed, reason: "send on a closed socket") }
        guard destination.ip.isIPv4 == isIPv4 else {
            throw SocketError(.invalidArgument, reason: "cannot send to \(destination) from \(localAddress): other IP family")
        }
        let sent = payload.withUnsafeBytes { buffer in
            SocketAddress.withSockaddr(destination) { address, length in
                sendto(fileDescriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), address, length)
            }
        }
        if sent == payload.count { return .sent }
        if sent < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS { return .dropped }
        throw SocketError.fromErrno(.send, "cannot send to \(destination)")
    }

    /// Receives one queued datagram without blocking; nil when nothing is queued.
    /// The returned datagram's destination is this socket's bound address.
    public func receive(maximumSize: Int = 65_536) throws -> Datagram? {
        guard fileDescriptor >= 0 else { throw SocketError(.closed, reason: "receive on a closed socket") }
        // One scratch buffer per socket: a 64 KB allocation per datagram would dominate at SCTP rates.
        if scratch.count != maximumSize { scratch = [UInt8](repeating: 0, count: maximumSize) }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let received = scratch.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(fileDescriptor, raw.baseAddress, raw.count, 0, $0, &length)
                }
            }
        }
        if received < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
            // An ICMP error queued by an earlier send surfaces here on some systems; it
            // says nothing about the next datagram, so the caller may simply read again.
            throw SocketError.fromErrno(.receive, "cannot receive on \(localAddress)")
        }
        guard let source = SocketAddress.transportAddress(from: storage) else { return nil }
        return Datagram(from: source, to: localAddress, payload: Array(scratch[0..<received]))
    }

    /// Asks for a socket buffer of `bytes`. The plain option is silently capped at
    /// net.core.rmem_max / wmem_max (212,992 B on a stock kernel: too small for SCTP
    /// bursts on loopback); the FORCE variant ignores that cap but needs CAP_NET_ADMIN.
    /// So FORCE first, and the plain option (capped, never an error) when not allowed.
    private static func setBufferSize(_ descriptor: Int32, _ bytes: Int, forced: Int32, plain: Int32,
                                      name: String) throws {
        #if canImport(Glibc)
        var value = Int32(clamping: bytes)
        if setsockopt(descriptor, SOL_SOCKET, forced, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 { return }
        #endif
        try setOption(descriptor, SOL_SOCKET, plain, Int32(clamping: bytes), name: name)
    }

    private static func setOption(_ descriptor: Int32, _ level: Int32, _ option: Int32, _ value: Int32,
                                  name: String) throws {
        var copy = value
        guard setsockopt(descriptor, level, option, &copy, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SocketError.fromErrno(.socketOption, "cannot set \(name)=\(value)")
        }
    }

    private func readOption(_ option: Int32, name: String) throws -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fileDescriptor, SOL_SOCKET, option, &value, &length) == 0 else {
            throw SocketError.fromErrno(.socketOption, "cannot read \(name)")
        }
        return value
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// A connected byte stream to one server: TCP (`TCPStream`) or TLS over TCP
/// (`TLSStream`). What TURN over TCP/TLS (RFC 8656 §3.1) runs on.
///
/// Bytes come back in whatever pieces the kernel delivers: framing them is the
/// protocol layer's job (e.g. STUN's `TURNStreamFramer`). Not `Sendable`: one
/// thread owns a stream.
public protocol ByteStream: AnyObject {
    /// Our end of the connection (what the server sees as the client's address).
    var localAddress: TransportAddress { get }
    /// The server's address.
    var remoteAddress: TransportAddress { get }
    /// Writes every byte, waiting up to `timeout` for room in the send buffer.
    func write(_ bytes: [UInt8], timeout: Duration) throws
    /// Waits up to `timeout` for bytes: nil when none came, an empty array when
    /// the peer closed the connection (end of stream).
    func read(timeout: Duration) throws -> [UInt8]?
    /// Closes the connection (idempotent).
    func close()
}

extension SocketError.Code {
    /// connect(2) failed or timed out.
    public static let connect = SocketError.Code(rawValue: "connect")
    /// The TLS handshake or a TLS record failed (OpenSSL's reason attached).
    public static let tls = SocketError.Code(rawValue: "tls")
    /// A stream operation did not finish within its timeout.
    public static let timedOut = SocketError.Code(rawValue: "timed-out")
}

/// A non-blocking POSIX TCP connection (a client socket), with blocking-style
/// calls bounded by timeouts. It is a class because it owns a file descriptor.
public final class TCPStream: ByteStream {
    /// The descriptor, or -1 once closed.
    public private(set) var fileDescriptor: Int32
    /// Our end of the connection.
    public let localAddress: TransportAddress
    /// The server's address.
    public let remoteAddress: TransportAddress
    private var scratch = [UInt8](repeating: 0, count: 65_536)

    /// Connects to `remote` within `timeout` (TCP_NODELAY on: STUN messages are
    /// small and latency-sensitive; Nagle would hold a request back).
    public init(connectingTo remote: TransportAddress, timeout: Duration = .seconds(5)) throws {
        let family = remote.ip.isIPv4 ? AF_INET : AF_INET6
        #if canImport(Glibc)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        let descriptor = socket(family, type, Int32(IPPROTO_TCP))
        guard descriptor >= 0 else { throw SocketError.fromErrno(.socketCreation, "cannot create a TCP socket") }
        do {
            #if !canImport(Glibc)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL, 0) | O_NONBLOCK)
            #endif
            var one: Int32 = 1
            _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let result = SocketAddress.withSockaddr(remote) { connect(descriptor, $0, $1) }
            if result != 0 {
                guard errno == EINPROGRESS else { throw SocketError.fromErrno(.connect, "cannot connect to \(remote)") }
                guard try Self.wait(descriptor, for: Int16(POLLOUT), timeout: timeout) else {
                    throw SocketError(.timedOut, reason: "no TCP connection to \(remote) within \(timeout)")
                }
                var failure: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                _ = getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length)
                guard failure == 0 else {
                    throw SocketError(.connect, osError: failure, reason: "cannot connect to \(remote): \(describeErrno(failure))")
                }
            }
            localAddress = try Self.name(of: descriptor, remote: remote)
            remoteAddress = remote
            fileDescriptor = descriptor
        } catch {
            closeDescriptor(descriptor)
            throw error
        }
    }

    deinit { close() }

    /// Closes the descriptor (idempotent).
    public func close() {
        guard fileDescriptor >= 0 else { return }
        closeDescriptor(fileDescriptor)
        fileDescriptor = -1
    }

    /// Writes every byte; a full send buffer is waited out up to `timeout`.
    public func write(_ bytes: [UInt8], timeout: Duration = .seconds(5)) throws {
        guard fileDescriptor >= 0 else { throw SocketError(.closed, reason: "write on a closed TCP stream") }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                send(fileDescriptor, buffer.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 { offset += sent; continue }
            guard sent < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw SocketError.fromErrno(.send, "cannot write to \(remoteAddress)")
            }
            guard try Self.wait(fileDescriptor, for: Int16(POLLOUT), timeout: timeout) else {
                throw SocketError(.timedOut, reason: "the TCP send buffer to \(remoteAddress) stayed full for \(timeout)")
            }
        }
    }

    /// Waits up to `timeout` for bytes; nil: none; empty: the peer closed.
    public func read(timeout: Duration) throws -> [UInt8]? {
        guard fileDescriptor >= 0 else { throw SocketError(.closed, reason: "read on a closed TCP stream") }
        guard try Self.wait(fileDescriptor, for: Int16(POLLIN), timeout: timeout) else { return nil }
        return try readAvailable()
    }

    /// One recv(2) without waiting: nil when nothing is queued, empty at end of stream.
    func readAvailable() throws -> [UInt8]? {
        let count = scratch.withUnsafeMutableBytes { recv(fileDescriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 { return Array(scratch[0..<count]) }
        if count == 0 { return [] }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
        throw SocketError.fromErrno(.receive, "cannot read from \(remoteAddress)")
    }

    /// poll(2) one descriptor for `events` up to `timeout`; true when ready (errors and hang-ups count as ready).
    static func wait(_ descriptor: Int32, for events: Int16, timeout: Duration) throws -> Bool {
        var entry = pollfd(fd: descriptor, events: events, revents: 0)
        let milliseconds = Int32(clamping: max(0, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        while true {
            let ready = poll(&entry, 1, milliseconds)
            if ready >= 0 { return ready > 0 }
            guard errno == EINTR else { throw SocketError.fromErrno(.poll, "poll on a TCP stream failed") }
        }
    }

    private static func name(of descriptor: Int32, remote: TransportAddress) throws -> TransportAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0, let local = SocketAddress.transportAddress(from: storage) else {
            throw SocketError.fromErrno(.connect, "cannot read the local address of the connection to \(remote)")
        }
        return local
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one error type of the socket driver: a code saying what failed, the
/// operating system's `errno` when there is one, and a reason for humans.
///
/// `Code.invalidArgument` is API misuse (the caller passed something that can
/// never work); every other code is the environment failing (the OS refused a
/// socket, a name did not resolve, a route is missing).
public struct SocketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What failed. An open set of codes so later drivers can add their own.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// socket(2) failed.
        public static let socketCreation = Code(rawValue: "socket-creation")
        /// setsockopt(2)/getsockopt(2) failed.
        public static let socketOption = Code(rawValue: "socket-option")
        /// bind(2) failed (address in use, not a local address...).
        public static let bind = Code(rawValue: "bind")
        /// sendto(2) failed with something other than a full buffer.
        public static let send = Code(rawValue: "send")
        /// recvfrom(2) failed with something other than "nothing queued".
        public static let receive = Code(rawValue: "receive")
        /// poll(2) failed.
        public static let poll = Code(rawValue: "poll")
        /// getaddrinfo(3) found no address for a host name.
        public static let unresolvableHost = Code(rawValue: "unresolvable-host")
        /// The socket was used after `close()`.
        public static let closed = Code(rawValue: "closed")
        /// API misuse: an argument that can never work (e.g. an IPv6 destination on an IPv4 socket).
        public static let invalidArgument = Code(rawValue: "invalid-argument")

        public var description: String { rawValue }
    }

    /// What failed.
    public var code: Code
    /// The `errno` (or getaddrinfo error) reported by the OS, if any.
    public var osError: Int32?
    /// A sentence for humans, including the OS's own text when there is one.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, osError: Int32? = nil, reason: String) {
        self.code = code
        self.osError = osError
        self.reason = reason
    }

    /// Creates an error from the current `errno`, appending strerror(3)'s text.
    static func fromErrno(_ code: Code, _ what: String) -> SocketError {
        let number = errno
        return SocketError(code, osError: number, reason: "\(what): \(describeErrno(number))")
    }

    public var description: String { reason }
}

/// strerror(3) as a Swift string.
func describeErrno(_ number: Int32) -> String {
    guard let text = strerror(number) else { return "errno \(number)" }
    return String(cString: text)
}

/// close(2), named apart from `UDPSocket.close()` and portable across libc modules.
func closeDescriptor(_ descriptor: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(descriptor)
    #elseif canImport(Darwin)
    _ = Darwin.close(descriptor)
    #endif
}

import CUsrsctp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A usrsctp socket handle. Kept as an address, not an `OpaquePointer`, so it can
/// sit in lock-protected state and the graveyard (both `Sendable`); it is only ever
/// dereferenced by usrsctp, inside the runtime's serial section.
struct SCTPSocket: Hashable, Sendable {
    private let bits: UInt

    init(_ pointer: OpaquePointer) { bits = UInt(bitPattern: pointer) }

    /// The `struct socket *` usrsctp gave out.
    var pointer: OpaquePointer { OpaquePointer(bitPattern: bits)! }

    /// setsockopt at IPPROTO_SCTP level; returns errno on failure.
    @discardableResult
    func setOption<T: BitwiseCopyable>(_ name: Int32, _ value: T, level: Int32 = SCTPSocket.sctpLevel) -> Int32 {
        let result = withUnsafeBytes(of: value) { raw in
            usrsctp_setsockopt(pointer, level, name, raw.baseAddress, socklen_t(raw.count))
        }
        return result == 0 ? 0 : errno
    }

    /// SO_LINGER with a zero timeout: close then sends ABORT instead of SHUTDOWN (RFC 9260 §9.1).
    func setLingerAbort() {
        setOption(SO_LINGER, linger(l_onoff: 1, l_linger: 0), level: SOL_SOCKET)
    }

    /// IPPROTO_SCTP (132, RFC 9260 §3): the level of every SCTP socket option.
    static let sctpLevel: Int32 = 132

    /// SOCK_STREAM: a one-to-one style socket (RFC 6458 §4), one association per socket.
    #if canImport(Glibc)
    static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
    static let streamType = SOCK_STREAM
    #endif
}

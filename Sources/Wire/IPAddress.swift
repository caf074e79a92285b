#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as a value (no sockets involved).
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// An IPv4 address, most significant byte first.
    case v4(UInt8, UInt8, UInt8, UInt8)
    /// An IPv6 address as two big-endian 64-bit halves.
    case v6(high: UInt64, low: UInt64)

    /// 127.0.0.1.
    public static let loopbackV4 = IPAddress.v4(127, 0, 0, 1)
    /// ::1.
    public static let loopbackV6 = IPAddress.v6(high: 0, low: 1)
    /// 0.0.0.0 (bind to any IPv4 interface).
    public static let anyV4 = IPAddress.v4(0, 0, 0, 0)
    /// :: (bind to any IPv6 interface).
    public static let anyV6 = IPAddress.v6(high: 0, low: 0)

    /// Creates an address from 4 (IPv4) or 16 (IPv6) network-order bytes.
    public init?(bytes: [UInt8]) {
        switch bytes.count {
        case 4:
            self = .v4(bytes[0], bytes[1], bytes[2], bytes[3])
        case 16:
            var high: UInt64 = 0, low: UInt64 = 0
            for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
            for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
            self = .v6(high: high, low: low)
        default:
            return nil
        }
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (without brackets).
    public init?(_ text: String) {
        var buffer = [UInt8](repeating: 0, count: 16)
        if text.contains(":") {
            guard inet_pton(AF_INET6, text, &buffer) == 1 else { return nil }
            self.init(bytes: buffer)
        } else {
            guard inet_pton(AF_INET, text, &buffer) == 1 else { return nil }
            self.init(bytes: Array(buffer[0..<4]))
        }
    }

    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    public var bytes: [UInt8] {
        switch self {
        case let .v4(a, b, c, d):
            return [a, b, c, d]
        case let .v6(high, low):
            var out = [UInt8]()
            out.reserveCapacity(16)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((high >> UInt64(shift)) & 0xFF)) }
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((low >> UInt64(shift)) & 0xFF)) }
            return out
        }
    }

    /// True for IPv4 addresses.
    public var isIPv4: Bool { if case .v4 = self { return true } else { return false } }

    /// True for 127.0.0.0/8 and ::1: the only destinations tests may use.
    public var isLoopback: Bool {
        switch self {
        case let .v4(a, _, _, _): return a == 127
        case let .v6(high, low): return high == 0 && low == 1
        }
    }

    /// True for 0.0.0.0 and ::.
    public var isUnspecified: Bool {
        switch self {
        case let .v4(a, b, c, d): return a == 0 && b == 0 && c == 0 && d == 0
        case let .v6(high, low): return high == 0 && low == 0
        }
    }

    public var description: String {
        switch self {
        case let .v4(a, b, c, d):
            return "\(a).\(b).\(c).\(d)"
        case .v6:
            var input = bytes
            var output = [CChar](repeating: 0, count: 64)
            guard inet_ntop(AF_INET6, &input, &output, socklen_t(output.count)) != nil else { return "?" }
            let utf8 = output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            return String(decoding: utf8, as: UTF8.self)
        }
    }
}

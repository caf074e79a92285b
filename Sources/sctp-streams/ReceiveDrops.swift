import Foundation

/// Datagrams the kernel dropped because a socket's receive buffer was full: the
/// loss an undersized SO_RCVBUF causes at speed, invisible to the application
/// (SCTP just sees loss). Linux counts them per socket in /proc/net/udp's last
/// column ("drops"); elsewhere the count is unknown (nil).
enum ReceiveDrops {
    /// The drop counter of the IPv4 UDP socket bound to 127.0.0.1:`port`.
    static func count(port: UInt16) -> Int? {
        guard let table = try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8) else { return nil }
        // local_address is the IPv4 address in host byte order (little-endian here) and the port, in hex.
        let hexPort = String(port, radix: 16, uppercase: true)
        let local = "0100007F:" + String(repeating: "0", count: max(0, 4 - hexPort.count)) + hexPort
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count >= 13, fields[1] == local else { continue }
            return Int(fields[fields.count - 1])
        }
        return nil
    }
}

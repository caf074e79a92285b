import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 answer: the status line's code, the headers (names lowercased), the body.
struct HTTPReply: Sendable {
    let status: Int
    let headers: [String: String]
    let body: String
}

/// A minimal HTTP/1.1 client over a TCP socket to 127.0.0.1, for what an HTTP
/// library hides: the status of a refused WebSocket upgrade. Requests go out with
/// `Connection: close`; the answer is read until the headers are complete and
/// either the body's content-length arrived, the status is 101, or the server
/// closed. The blocking I/O runs on its own thread, off the concurrency pool.
enum RawHTTP {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends `method path` with `headers` to 127.0.0.1:`port`.
    static func request(port: Int, method: String, path: String, headers: [(String, String)] = [],
                        timeout: Double = 20) async throws -> HTTPReply {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !headers.contains(where: { $0.0.lowercased() == "connection" }) { text += "Connection: close\r\n" }
        if method == "POST" { text += "Content-Length: 0\r\n" }
        text += "\r\n"
        let request = text
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try exchange(port: port, request: request, timeout: timeout) })
            }
            thread.start()
        }
    }

    /// A WebSocket upgrade request for `path` (RFC 6455 §4.1 headers).
    static func upgrade(port: Int, path: String) async throws -> HTTPReply {
        try await request(port: port, method: "GET", path: path, headers: [
            ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ("Sec-WebSocket-Version", "13"),
        ])
    }

    /// Upgrades to `path` and then only listens, never answering anything (a peer
    /// that hung): returns the opcodes of the frames the server sent until it closed
    /// the connection or `timeout` passed.
    static func upgradeAndListen(port: Int, path: String, timeout: Double) async throws -> [UInt8] {
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try listen(port: port, request: request, timeout: timeout) })
            }.start()
        }
    }

    private static func listen(port: Int, request: String, timeout: Double) throws -> [UInt8] {
        let fd = try connected(port: port, request: request, timeout: 1)
        defer { close(fd) }
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            if n < 0 { continue }   // the 1 s receive timeout: look at the deadline again
            received.append(contentsOf: buffer[..<n])
        }
        let text = String(decoding: received, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 101"), let end = received.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw Failure(description: "no upgrade: \(text.prefix(100))")
        }
        // Server frames are unmasked: opcode in byte 0, length in byte 1 (126: 2 more bytes, 127: 8).
        var opcodes: [UInt8] = []
        var index = end.upperBound
        while index + 2 <= received.count {
            var length = Int(received[index + 1] & 0x7F)
            var header = 2
            if length == 126, index + 4 <= received.count {
                length = Int(received[index + 2]) << 8 | Int(received[index + 3])
                header = 4
            } else if length == 127 {
                break
            }
            opcodes.append(received[index] & 0x0F)
            index += header + length
        }
        return opcodes
    }

    private static func connected(port: Int, request: String, timeout: Double) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "connect to port \(port): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else {
                close(fd)
                throw Failure(description: "send: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
        return fd
    }

    private static func exchange(port: Int, request: String, timeout: Double) throws -> HTTPReply {
        let fd = try connected(port: port, request: request, timeout: timeout)
        defer { close(fd) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let reply = parse(received, complete: false) { return reply }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw Failure(description: "recv: \(String(cString: strerror(errno))) after \(received.count) bytes") }
            received.append(contentsOf: buffer[..<n])
        }
        guard let reply = parse(received, complete: true) else {
            throw Failure(description: "no HTTP answer (\(received.count) bytes)")
        }
        return reply
    }

    /// The answer once it is whole (or, with `complete`, whatever arrived before the close).
    private static func parse(_ bytes: [UInt8], complete: Bool) -> HTTPReply? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = String(text[end.upperBound...])
        if status == 101 { return HTTPReply(status: status, headers: headers, body: "") }
        if let length = headers["content-length"].flatMap(Int.init) {
            guard body.utf8.count >= length || complete else { return nil }
        } else if !complete {
            return nil
        }
        return HTTPReply(status: status, headers: headers, body: body)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenSSL
import Wire

/// TLS over a `TCPStream`, with OpenSSL (TLS 1.2 or 1.3, the library's defaults):
/// what `turns:` means (RFC 7065, RFC 8656 §3.1).
///
/// The server's certificate is verified against `trusting` (a PEM file of CA
/// certificates; a self-signed certificate is its own CA) and its name against
/// `serverName` (a DNS name, also sent as SNI, or an IP literal checked against
/// the certificate's IP SANs). `trusting: nil` skips verification: only for a
/// lab peer whose certificate nobody could have signed.
public final class TLSStream: ByteStream {
    /// What the handshake agreed on.
    public struct Session: Hashable, Sendable {
        /// "TLSv1.3" and the like.
        public var protocolVersion: String
        /// The cipher suite's OpenSSL name.
        public var cipher: String
        /// Whether the certificate chain and name were verified.
        public var verified: Bool
    }

    private let tcp: TCPStream
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private var isClosed = false
    private var scratch = [UInt8](repeating: 0, count: 16_384)
    /// The negotiated protocol and cipher.
    public let session: Session
    /// Our end of the connection.
    public var localAddress: TransportAddress { tcp.localAddress }
    /// The server's address.
    public var remoteAddress: TransportAddress { tcp.remoteAddress }

    /// Connects over TCP and completes the TLS handshake, all within `timeout`.
    public init(connectingTo remote: TransportAddress, serverName: String?, trusting caFile: String?,
                timeout: Duration = .seconds(5)) throws {
        let tcp = try TCPStream(connectingTo: remote, timeout: timeout)
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw Self.failure("SSL_CTX_new") }
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw Self.failure("SSL_new")
        }
        do {
            if let caFile {
                guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                    throw Self.failure("cannot load the CA file \(caFile)")
                }
                SSL_set_verify(ssl, SSL_VERIFY_PEER, nil)
                if let serverName {
                    if let ip = IPAddress(serverName) {
                        guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), ip.description) == 1 else {
                            throw Self.failure("cannot expect IP \(serverName) in the certificate")
                        }
                    } else {
                        guard SSL_set1_host(ssl, serverName) == 1 else { throw Self.failure("cannot expect host \(serverName)") }
                    }
                }
            }
            if let serverName, IPAddress(serverName) == nil {
                // SSL_set_tlsext_host_name is a macro: its SSL_ctrl call, spelled out. SNI never carries an IP (RFC 6066 §3).
                _ = serverName.withCString { name in
                    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name), UnsafeMutableRawPointer(mutating: name))
                }
            }
            guard SSL_set_fd(ssl, tcp.fileDescriptor) == 1 else { throw Self.failure("SSL_set_fd") }
            let deadline = ContinuousClock.now + timeout
            while true {
                ERR_clear_error()
                let result = SSL_connect(ssl)
                if result == 1 { break }
                try Self.waitForRetry(ssl, result, tcp: tcp, deadline: deadline, what: "TLS handshake with \(remote)")
            }
            let version = SSL_get_version(ssl).map { String(cString: $0) } ?? "?"
            let cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl)).map { String(cString: $0) } ?? "?"
            session = Session(protocolVersion: version, cipher: cipher,
                              verified: caFile != nil && SSL_get_verify_result(ssl) == Int(X509_V_OK))
        } catch {
            SSL_free(ssl)
            SSL_CTX_free(context)
            tcp.close()
            throw error
        }
        self.tcp = tcp
        self.context = context
        self.ssl = ssl
    }

    deinit {
        close()
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// Sends close_notify (best effort, no waiting) and closes the socket.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        tcp.close()
    }

    /// Encrypts and writes every byte within `timeout`.
    public func write(_ bytes: [UInt8], timeout: Duration = .seconds(5)) throws {
        guard !isClosed else { throw SocketError(.closed, reason: "write on a closed TLS stream") }
        let deadline = ContinuousClock.now + timeout
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let written = bytes.withUnsafeBytes { buffer in
                SSL_write(ssl, buffer.baseAddress! + offset, Int32(clamping: bytes.count - offset))
            }
            if written > 0 { offset += Int(written); continue }
            try Self.waitForRetry(ssl, written, tcp: tcp, deadline: deadline, what: "TLS write to \(remoteAddress)")
        }
    }

    /// Waits up to `timeout` for decrypted bytes; nil: none; empty: the server closed (close_notify or EOF).
    public func read(timeout: Duration) throws -> [UInt8]? {
        guard !isClosed else { throw SocketError(.closed, reason: "read on a closed TLS stream") }
        let deadline = ContinuousClock.now + timeout
        while true {
            ERR_clear_error()
            let count = scratch.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if count > 0 { return Array(scratch[0..<Int(count)]) }
            let error = SSL_get_error(ssl, count)
            switch error {
            case SSL_ERROR_ZERO_RETURN:
                return []
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                // A TLS 1.3 session ticket or a partial record: wait for more, up to the deadline.
                let left = deadline - ContinuousClock.now
                guard left > .zero else { return nil }
                let events = Int16(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT)
                guard try TCPStream.wait(tcp.fileDescriptor, for: events, timeout: left) else { return nil }
            case SSL_ERROR_SYSCALL where ERR_peek_error() == 0:
                return [] // the server dropped TCP without close_notify: end of stream all the same
            default:
                throw Self.failure("TLS read from \(remoteAddress)")
            }
        }
    }

    /// After a non-positive SSL_* result: wait for the socket when OpenSSL asks to, else throw.
    private static func waitForRetry(_ ssl: OpaquePointer, _ result: Int32, tcp: TCPStream, deadline: ContinuousClock.Instant,
                                     what: String) throws {
        let error = SSL_get_error(ssl, result)
        guard error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE else {
            let verify = SSL_get_verify_result(ssl)
            let detail = verify == Int(X509_V_OK) ? "" : " (certificate: \(String(cString: X509_verify_cert_error_string(verify))))"
            throw failure(what + detail)
        }
        let left = deadline - ContinuousClock.now
        let events = Int16(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT)
        guard left > .zero, try TCPStream.wait(tcp.fileDescriptor, for: events, timeout: left) else {
            throw SocketError(.timedOut, reason: "\(what) did not finish in time")
        }
    }

    /// A `.tls` error with OpenSSL's queued reasons.
    private static func failure(_ what: String) -> SocketError {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            reasons.append(String(decoding: bytes, as: UTF8.self))
        }
        return SocketError(.tls, reason: what + (reasons.isEmpty ? " failed" : " failed: " + reasons.joined(separator: "; ")))
    }
}

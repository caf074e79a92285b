import COpenSSL
import CShims

/// The I/O end OpenSSL reads records from and writes records to: two queues of
/// whole datagrams, and no socket.
///
/// Why not `BIO_s_mem`: since OpenSSL 3.0 a memory BIO is a byte stream, so two
/// queued datagrams read back as one and DTLS loses the boundaries its record
/// layer depends on. Here a read pops exactly one datagram and a write appends
/// exactly one, which is what a UDP socket does.
///
/// The BIO's data pointer is this object, unretained: the endpoint owns both the
/// `SSL` (which owns the BIO) and this object, and frees the `SSL` first.
final class DatagramBIO {
    /// Datagrams received from the network, oldest first, not yet read by OpenSSL.
    private var inbound: [[UInt8]] = []
    private var inboundHead = 0
    /// Datagrams OpenSSL wrote, oldest first, not yet handed to the driver.
    private var outbound: [[UInt8]] = []
    /// What the ctrl answers to MTU questions.
    let mtu: Int
    /// The `BIO *` to hand to `SSL_set_bio`.
    private(set) var bio: OpaquePointer

    /// Creates the BIO. Throws `.openSSLFailure` if OpenSSL cannot allocate it.
    init(mtu: Int) throws(DTLSError) {
        self.mtu = mtu
        guard let method = DatagramBIO.method.pointer, let bio = BIO_new(method) else {
            throw DTLSError.openSSL(.openSSLFailure, "cannot create the datagram BIO")
        }
        self.bio = bio
        BIO_set_data(bio, Unmanaged.passUnretained(self).toOpaque())
        BIO_set_init(bio, 1)
    }

    /// Queues one received datagram for OpenSSL to read.
    func push(_ datagram: [UInt8]) { inbound.append(datagram) }

    /// True when OpenSSL has read every queued datagram.
    var inboundIsEmpty: Bool { inboundHead >= inbound.count }

    /// The size of the next datagram a read would return (0 when none is queued).
    var nextInboundCount: Int { inboundHead < inbound.count ? inbound[inboundHead].count : 0 }

    /// Forgets unread input (after a fatal error nothing more may be processed).
    func discardInbound() {
        inbound.removeAll()
        inboundHead = 0
    }

    /// Hands over every datagram OpenSSL wrote since the last call, oldest first.
    func takeOutbound() -> [[UInt8]] {
        defer { outbound.removeAll(keepingCapacity: true) }
        return outbound
    }

    // MARK: - The callbacks OpenSSL calls

    fileprivate func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int32? {
        guard inboundHead < inbound.count else { return nil }
        let datagram = inbound[inboundHead]
        inboundHead += 1
        if inboundHead == inbound.count {
            inbound.removeAll(keepingCapacity: true)
            inboundHead = 0
        }
        // Like recvfrom(2): a datagram longer than the buffer is cut, never split
        // across two reads (the record layer then drops the damaged record).
        let count = min(datagram.count, capacity)
        datagram.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress!, byteCount: count)
        }
        return Int32(count)
    }

    fileprivate func write(_ bytes: UnsafePointer<CChar>, count: Int) {
        outbound.append(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
    }

    /// The process-wide method table: OpenSSL shares method tables read-only
    /// between BIOs, so one is created on first use and never freed.
    private static let method = MethodTable()
}

/// The BIO_METHOD pointer, made once.
///
/// `@unchecked Sendable` is safe: the pointer is written once inside Swift's
/// thread-safe lazy global initialisation and only read afterwards, and OpenSSL
/// never mutates a method table after `BIO_meth_set_*`.
private struct MethodTable: @unchecked Sendable {
    let pointer: OpaquePointer?

    init() {
        pointer = lab_dtls_datagram_bio_method("webrtc-lab datagram", bioWrite, bioRead, bioCtrl)
    }
}

private func owner(of bio: OpaquePointer?) -> DatagramBIO? {
    guard let bio, let data = BIO_get_data(bio) else { return nil }
    return Unmanaged<DatagramBIO>.fromOpaque(data).takeUnretainedValue()
}

private func bioWrite(_ bio: OpaquePointer?, _ bytes: UnsafePointer<CChar>?, _ length: Int32) -> Int32 {
    guard let owner = owner(of: bio), let bytes, length >= 0 else { return -1 }
    lab_dtls_bio_clear_retry_flags(bio)
    owner.write(bytes, count: Int(length))
    return length
}

private func bioRead(_ bio: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int32) -> Int32 {
    guard let owner = owner(of: bio), let buffer, capacity > 0 else { return -1 }
    lab_dtls_bio_clear_retry_flags(bio)
    guard let count = owner.read(into: buffer, capacity: Int(capacity)) else {
        // Nothing queued: "try again later", which SSL_* turns into SSL_ERROR_WANT_READ.
        lab_dtls_bio_set_retry_read(bio)
        return -1
    }
    return count
}

private func bioCtrl(_ bio: OpaquePointer?, _ command: Int32, _ argument: Int, _ pointer: UnsafeMutableRawPointer?) -> Int {
    guard let owner = owner(of: bio) else { return 0 }
    switch command {
    case BIO_CTRL_FLUSH:
        // Every write is already "sent" (queued); the handshake code flushes after
        // each flight and treats anything but 1 as a failed write.
        return 1
    case BIO_CTRL_DGRAM_QUERY_MTU, BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
        return owner.mtu
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
        // The link MTU we configure is already the UDP payload limit: no IP/UDP
        // header comes off it here.
        return 0
    case BIO_CTRL_PENDING:
        return owner.nextInboundCount
    case BIO_CTRL_WPENDING:
        return 0
    default:
        // Peer addresses, socket timeouts, "MTU exceeded": meaningless without a socket.
        return 0
    }
}

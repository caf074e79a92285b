#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// Turns datagrams into pcap bytes: the file header once, then one record per
/// datagram. Pure (no I/O), so tests and the simulator can build captures in
/// memory; `PcapFile` writes the same bytes to disk.
public struct PcapEncoder: Sendable {
    /// The link type written in the header; it limits which families may be written.
    public let linkType: PcapLinkType
    /// The next IPv4 identification value (increments per packet, like a kernel's counter).
    public private(set) var nextIdentification: UInt16 = 1

    /// Creates an encoder for `.raw` (both families), `.ipv4` or `.ipv6` files.
    public init(linkType: PcapLinkType = .raw) throws {
        guard [PcapLinkType.raw, .ipv4, .ipv6].contains(linkType) else {
            throw PacketCaptureError(.unsupportedDatagram, "cannot write \(linkType) files")
        }
        self.linkType = linkType
    }

    /// The 24-byte file header.
    public var fileHeader: [UInt8] {
        var writer = ByteWriter(capacity: PcapFileHeader.length)
        PcapFileHeader(linkType: linkType).encode(into: &writer)
        return writer.bytes
    }

    /// One record holding `datagram` inside synthesised IP and UDP headers.
    public mutating func record(for datagram: Datagram, unixNanoseconds: Int64) throws -> [UInt8] {
        let isIPv4 = datagram.source.ip.isIPv4
        if (linkType == .ipv4 && !isIPv4) || (linkType == .ipv6 && isIPv4) {
            throw PacketCaptureError(.unsupportedDatagram, "cannot write \(datagram.source) into a \(linkType) file")
        }
        let packet = try CapturedPacket.synthesize(datagram, identification: nextIdentification)
        if isIPv4 { nextIdentification &+= 1 }
        var writer = ByteWriter(capacity: PcapRecord.headerLength + packet.count)
        PcapRecord(unixNanoseconds: unixNanoseconds, data: packet).encode(into: &writer)
        return writer.bytes
    }
}

/// A pcap file being written, flushed after every record so a capture survives
/// the process being killed (a `--serve` run usually ends that way).
public final class PcapFile {
    /// Where the file is.
    public let path: String
    /// Unix time (ns) of `Instant.zero` on the clock the caller stamps with.
    public let unixNanosecondsAtInstantZero: Int64
    /// Records written so far.
    public private(set) var recordCount = 0
    private var encoder: PcapEncoder
    private var handle: UnsafeMutablePointer<FILE>?

    /// Creates (or truncates) `path` and writes the file header.
    ///
    /// - Parameter unixNanosecondsAtInstantZero: maps the caller's `Instant`s to
    ///   wall-clock time. Real drivers pass `SystemClock.unixOffsetOfMonotonicZero()`;
    ///   a simulation passes a fixed epoch so its captures are reproducible.
    public init(path: String, linkType: PcapLinkType = .raw, unixNanosecondsAtInstantZero: Int64) throws {
        self.path = path
        self.unixNanosecondsAtInstantZero = unixNanosecondsAtInstantZero
        encoder = try PcapEncoder(linkType: linkType)
        guard let opened = fopen(path, "wb") else {
            throw PacketCaptureError(.io, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        handle = opened
        try write(encoder.fileHeader)
    }

    deinit { close() }

    /// Appends `datagram` as seen at `instant`.
    public func write(_ datagram: Datagram, at instant: Instant) throws {
        let record = try encoder.record(for: datagram,
                                        unixNanoseconds: instant.nanoseconds + unixNanosecondsAtInstantZero)
        try write(record)
        recordCount += 1
    }

    /// Flushes and closes the file (idempotent).
    public func close() {
        guard let handle else { return }
        fclose(handle)
        self.handle = nil
    }

    private func write(_ bytes: [UInt8]) throws {
        guard let handle else { throw PacketCaptureError(.io, "\(path) is already closed") }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard written == bytes.count, fflush(handle) == 0 else {
            throw PacketCaptureError(.io, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

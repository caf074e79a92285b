// sctp-fuzz: one SCTP packet in, every byte reader of our SCTP code exercised,
// nothing may trap (docs/FUZZING.md).
//
// usrsctp parses and validates SCTP itself; the Swift code that reads bytes is
// the chunk scan (RFC 9260 §3: accounting and ABORT detection on every packet),
// the notification decoder (RFC 6458 §6.1 structs) and the ledger's reassembly of
// partial deliveries. This file checks their invariants on the raw input; the live
// half (FuzzTarget+Association.swift) hands the packet to usrsctp through a pair of
// established associations.
//
// Those three readers have `package` access in SCTP: nothing outside this package
// should call them, and a plain import (not `@testable`) keeps `swift build -c
// release` of the whole package working.
import SCTP
import Wire

enum FuzzTarget {
    /// Feeds `bytes` to the chunk scan, the notification decoder, a ledger's
    /// reassembly and transmit accounting, then to the live associations.
    static func run(_ bytes: [UInt8]) {
        checkChunkScan(bytes)
        checkNotification(bytes)
        checkReassembly(bytes)
        checkTransmitAccounting(bytes)
        driveAssociations(bytes)
    }

    /// The chunks found tile the packet from the common header on, each inside it.
    static func checkChunkScan(_ bytes: [UInt8]) {
        let chunks = SCTPChunkScan.chunks(in: bytes)
        var next = SCTPChunkScan.commonHeaderLength
        for chunk in chunks {
            guard chunk.offset == next, chunk.length >= 4, chunk.offset + chunk.length <= bytes.count else {
                fatalError("chunk \(chunk) outside the packet or not contiguous: \(Hex.encode(bytes))")
            }
            next = chunk.offset + ((chunk.length + 3) & ~3)
        }
        let dataChunks = SCTPChunkScan.dataChunks(in: bytes)
        let eligible = chunks.filter { $0.type == SCTPChunkScan.data && $0.length >= 16 }
        guard dataChunks.count == eligible.count,
              zip(dataChunks, eligible).allSatisfy({ $0.userDataLength == $1.length - 16 }) else {
            fatalError("DATA chunks disagree with the chunk list: \(Hex.encode(bytes))")
        }
        guard SCTPChunkScan.contains(SCTPChunkScan.abort, in: bytes) == chunks.contains(where: { $0.type == SCTPChunkScan.abort }) else {
            fatalError("ABORT detection disagrees with the chunk list: \(Hex.encode(bytes))")
        }
        // Serial arithmetic: of two distinct TSNs not half the space apart, exactly one is newer.
        var reader = ByteReader(bytes)
        if let a = try? reader.readUInt32(), let b = try? reader.readUInt32() {
            let newer = (SCTPChunkScan.isNewer(a, than: b), SCTPChunkScan.isNewer(b, than: a))
            let expected = a != b && a &- b != 1 << 31
            guard (newer.0 != newer.1) == expected, !(newer.0 && newer.1) else {
                fatalError("serial comparison of \(a) and \(b) is inconsistent")
            }
        }
    }

    /// The decoder reads only inside the buffer and reports lengths that fit in it.
    static func checkNotification(_ bytes: [UInt8]) {
        guard let notification = bytes.withUnsafeBytes({ SCTPNotification($0) }) else { return }
        switch notification {
        case let .sendFailed(_, _, _, dataLength, _):
            guard dataLength >= 0, dataLength <= bytes.count else {
                fatalError("send-failed data length \(dataLength) outside the notification: \(Hex.encode(bytes))")
            }
        case let .streamReset(_, streams):
            guard streams.count * 2 <= bytes.count else {
                fatalError("stream reset lists more streams than the notification holds: \(Hex.encode(bytes))")
            }
        default:
            break
        }
        applyToScratch(notification)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SCTP
import Wire

/// The live half: the packet goes to usrsctp through `handle(packet:)` of one side
/// of an established pair, and whatever it provokes is moved between the two.
///
/// The checksum field's first byte (byte 8) picks how, so that libFuzzer explores
/// every way by mutating one byte and the seeds spread over them:
/// - `& 3 == 0`: as it is (a mutated packet then fails usrsctp's CRC32c check);
/// - `& 3 == 1`: checksum recomputed, so usrsctp parses the chunks (a foreign
///   verification tag still makes it drop most of them, RFC 9260 §8.5);
/// - `& 3 >= 2`: the receiver's own verification tag put in (unless the packet's
///   tag is 0, as an INIT's is) and the checksum recomputed: the chunks reach the
///   established association's state machine;
/// - `& 4`: to side A instead of side B;
/// - `& 8`: also to a fresh association before its `connect()` (held, then fed by it).
extension FuzzTarget {
    static func driveAssociations(_ bytes: [UInt8]) {
        let pair = LivePair.established()
        let selector = bytes.count > 8 ? bytes[8] : 0
        let toA = selector & 4 != 0
        var packet = bytes
        switch selector & 3 {
        case 0: break
        case 1: packet = SCTPChecksum.sealed(packet)
        default:
            if packet.count >= SCTPChunkScan.commonHeaderLength, packet[4..<8].contains(where: { $0 != 0 }) {
                packet.replaceSubrange(4..<8, with: toA ? pair.tagForA : pair.tagForB)
            }
            packet = SCTPChecksum.sealed(packet)
        }
        let target = toA ? pair.a : pair.b
        let before = target.statistics
        target.handle(packet: packet)
        let after = target.statistics
        // Every packet is either handed to usrsctp or dropped, and counted once.
        guard after.packetsReceived + after.packetsDropped == before.packetsReceived + before.packetsDropped + 1 else {
            fatalError("handle(packet:) did not count the packet once: \(Hex.encode(bytes))")
        }
        pair.pump()
        if selector & 8 != 0 { feedBeforeConnect(packet) }
    }

    /// A packet that arrives before `connect()` is held, then fed by it.
    static func feedBeforeConnect(_ packet: [UInt8]) {
        let association = LivePair.makeAssociation()
        association.handle(packet: packet)
        do {
            try association.connect()
        } catch {
            fatalError("sctp-fuzz: connect() of a fresh association failed: \(error)")
        }
        while association.poll() != nil {}
        association.abort()
        while association.poll() != nil {}
    }

    /// A never-connected association that decoded notifications are applied to,
    /// replaced when one of them closed it.
    ///
    /// `nonisolated(unsafe)`: libFuzzer (and the replayer) call the target from one
    /// thread only, so nothing else touches it.
    nonisolated(unsafe) static var scratch: SCTPAssociation?

    static func applyToScratch(_ notification: SCTPNotification) {
        let association: SCTPAssociation
        if let current = scratch, !current.state.isClosed {
            association = current
        } else {
            association = LivePair.makeAssociation()
            scratch = association
        }
        association.apply(notification)
        while let output = association.poll() {
            if case let .event(.message(message)) = output {
                fatalError("a notification produced a message: \(message)")
            }
        }
    }
}

private extension SCTPAssociationState {
    var isClosed: Bool { if case .closed = self { true } else { false } }
}

/// Two established associations joined in memory, made once and reused across
/// inputs (bringing one up per input would dominate every execution); replaced
/// when an input took one of them out of `.established` (a forged ABORT or SHUTDOWN is a
/// legitimate way to end an association).
final class LivePair {
    let a: SCTPAssociation
    let b: SCTPAssociation
    /// The verification tag each side expects on what it receives, learnt from the
    /// packets the other side sends (it changes if the peer restarts).
    private(set) var tagForA: [UInt8] = [0, 0, 0, 0]
    private(set) var tagForB: [UInt8] = [0, 0, 0, 0]

    /// `nonisolated(unsafe)`: the fuzz target runs on one thread (see `scratch`).
    nonisolated(unsafe) private static var current: LivePair?

    /// Small messages only, so forged DATA of a few KiB reaches the discard path.
    static let configuration = SCTPConfiguration(maxMessageSize: 1024)

    static func makeAssociation() -> SCTPAssociation {
        do {
            return try SCTPAssociation(configuration: configuration)
        } catch {
            fatalError("sctp-fuzz cannot create an association: \(error)")
        }
    }

    /// The current pair if both sides are still established, a new one otherwise.
    static func established() -> LivePair {
        if let pair = current, pair.a.state == .established, pair.b.state == .established { return pair }
        let pair = LivePair()
        current = pair
        return pair
    }

    private init() {
        a = Self.makeAssociation()
        b = Self.makeAssociation()
        do {
            try a.connect()
            try b.connect()
            // Traffic both ways, ordered and unordered, so that TSNs, stream sequence
            // numbers and SACK state exist for forged chunks to collide with.
            try a.send(Array("ordered".utf8), stream: 1, ppid: 51)
            try a.send(Array("unordered".utf8), stream: 2, ppid: 53, options: SCTPSendOptions(unordered: true))
            try b.send(Array("reply".utf8), stream: 1, ppid: 51)
        } catch {
            fatalError("sctp-fuzz cannot start its associations: \(error)")
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while tagForA == [0, 0, 0, 0] || tagForB == [0, 0, 0, 0] || a.state != .established || b.state != .established {
            guard ContinuousClock.now < deadline else {
                fatalError("sctp-fuzz: the in-memory pair did not come up (A \(a.state), B \(b.state))")
            }
            if !pump() { usleep(500) }
        }
    }

    /// Moves packets between the two sides until both are quiet (bounded, so an
    /// input that makes them ping-pong cannot stall the fuzzer). True if anything moved.
    @discardableResult
    func pump(rounds: Int = 32) -> Bool {
        var movedAny = false
        for _ in 0..<rounds {
            var moved = false
            for (source, toB) in [(a, true), (b, false)] {
                while let output = source.poll() {
                    moved = true
                    switch output {
                    case let .transmit(packet):
                        learnTag(packet, toB: toB)
                        (toB ? b : a).handle(packet: packet)
                    case let .event(.message(message)) where message.bytes.count > Self.configuration.maxMessageSize:
                        fatalError("a message above maxMessageSize was delivered: \(message.bytes.count) bytes")
                    case .event:
                        break
                    }
                }
            }
            guard moved else { break }
            movedAny = true
        }
        return movedAny
    }

    /// Chunk types whose packets may carry the sender's own tag instead (the T bit of
    /// ABORT and SHUTDOWN COMPLETE, RFC 9260 §8.5.1) or no tag (INIT).
    static let untaggedChunks: Set<UInt8> = [1, SCTPChunkScan.abort, 14]

    private func learnTag(_ packet: [UInt8], toB: Bool) {
        guard packet.count >= SCTPChunkScan.commonHeaderLength,
              !SCTPChunkScan.chunks(in: packet).contains(where: { Self.untaggedChunks.contains($0.type) }) else { return }
        let tag = Array(packet[4..<8])
        if toB { tagForB = tag } else { tagForA = tag }
    }
}

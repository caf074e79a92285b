import Foundation
import Testing
import ToolTestSupport
@testable import SCTP

/// The SCTP seed corpus holds real packets of one in-memory association run
/// (handshake, data of every kind, PR-SCTP, stream reset, shutdown, abort) plus the
/// reproducer of the one hang the fuzzer found. The plainly built `sctp-fuzz` replays
/// all of them through the whole target, live associations included.
@Suite("SCTP seed corpus: real packets that reach every chunk handler")
struct SCTPSeedCorpusTests {
    static let directory = Programs.repositoryRoot.appendingPathComponent("fuzz/sctp-corpus")
    /// The INIT with a zero-length parameter that made usrsctp spin (sctplab/usrsctp#570).
    static let regression = "20-regression-init-zero-length-parameter.bin"

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".bin") }.sorted()
    }

    static func load(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    @Test("sctp-fuzz replays every file of fuzz/sctp-corpus without a crash or a hang")
    func replay() throws {
        #expect(Self.names.count >= 20)
        // Every file: the *.bin seeds and the campaigns' min-<sha1> finds.
        _ = try expectReplay("sctp-fuzz", corpus: "fuzz/sctp-corpus", atLeast: Self.names.count)
    }

    @Test("every captured seed is whole chunks behind the checksum usrsctp accepts", arguments: SCTPSeedCorpusTests.names)
    func seed(name: String) throws {
        let bytes = try Self.load(name)
        let chunks = SCTPChunkScan.chunks(in: bytes)
        #expect(!chunks.isEmpty)
        let end = chunks.last.map { $0.offset + (($0.length + 3) & ~3) } ?? 0
        #expect(end == bytes.count || chunks.last.map { $0.offset + $0.length } == bytes.count)
        // The regression seed had its checksum broken by the mutation; the target recomputes it.
        #expect(SCTPChecksum.isValid(bytes) == (name != Self.regression))
        #expect(SCTPChunkScan.hasMalformedInitParameter(in: bytes) == (name == Self.regression))
    }

    @Test("the seeds carry every chunk type a WebRTC association sends, DATA in every shape")
    func coverage() throws {
        var types: Set<UInt8> = []
        var dataFlags: Set<UInt8> = []
        for name in Self.names {
            for chunk in SCTPChunkScan.chunks(in: try Self.load(name)) {
                types.insert(chunk.type)
                if chunk.type == SCTPChunkScan.data { dataFlags.insert(chunk.flags) }
            }
        }
        // DATA, INIT, INIT ACK, SACK, HEARTBEAT (ACK), ABORT, SHUTDOWN (ACK, COMPLETE),
        // COOKIE ECHO/ACK, RE-CONFIG, FORWARD-TSN.
        #expect(types == [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 14, 130, 192])
        // Whole ordered, whole unordered, first, middle and last fragments.
        #expect(dataFlags.isSuperset(of: [0x03, 0x07, 0x02, 0x00, 0x01]))
    }
}

import DataChannels
import Foundation
import Testing
import ToolTestSupport
import Wire

/// The DCEP seed corpus: OPENs of every channel type, both ACK forms, an unknown
/// channel type, UTF-8 labels, and two registry scripts (see
/// Sources/dcep-fuzz/FuzzTarget+Script.swift). Replayed here in process through the
/// parser and a registry, and through the plainly built `dcep-fuzz`.
@Suite("DCEP seed corpus: every channel type and ACK, replayed through parser and registry")
struct DCEPCorpusReplayTests {
    static let directory = Programs.repositoryRoot.appendingPathComponent("fuzz/dcep-corpus")

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".bin") }.sorted()
    }

    static func load(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    @Test("every seed goes through the parser (round trip) and, on every WebRTC PPID, a registry of each role")
    func inProcessReplay() throws {
        let names = Self.names
        #expect(names.count >= 13)
        for name in names {
            let bytes = try Self.load(name)
            if let message = try? DCEPMessage(parsing: bytes) {
                #expect(try DCEPMessage(parsing: message.bytes) == message, "\(name)")
            }
            for role in [DataChannelDTLSRole.client, .server] {
                var registry = DataChannelRegistry()
                registry.setRole(role)
                _ = try registry.open(DataChannelParameters(label: "ours", ordered: false), at: .zero)
                registry.transportUp(outboundStreams: 8, inboundStreams: 8, at: .zero)
                while registry.poll() != nil {}
                for ppid: UInt32 in [50, 51, 52, 53, 54, 56, 57] {
                    for stream: UInt16 in 0..<4 {
                        registry.receive(stream: stream, ppid: ppid, bytes: bytes, at: .milliseconds(1))
                        while registry.poll() != nil {}
                    }
                }
            }
        }
    }

    @Test("the seeds hold an OPEN of each of the six channel types, the 1- and 4-byte ACKs and an unknown type")
    func coverage() throws {
        var types: Set<DataChannelType> = [], ackForms: Set<Int> = []
        for name in Self.names {
            let bytes = try Self.load(name)
            switch try? DCEPMessage(parsing: bytes) {
            case let .open(open)?: types.insert(open.channelType)
            case .ack?: ackForms.insert(bytes.count)
            case nil: break
            }
        }
        #expect(types.isSuperset(of: DataChannelType.allKnown))
        #expect(types.contains { !$0.isKnown })
        #expect(ackForms == [1, 4])
    }

    @Test("a valid seed OPEN opens a channel on a fresh stream of the peer's parity and is ACKed")
    func seedsOpenChannels() throws {
        var opened = 0
        for name in Self.names {
            guard case let .open(open)? = try? DCEPMessage(parsing: try Self.load(name)), open.channelType.isKnown else { continue }
            var registry = DataChannelRegistry()
            registry.setRole(.server)
            registry.transportUp(outboundStreams: 8, inboundStreams: 8, at: .zero)
            registry.receive(stream: 2, ppid: 50, bytes: open.bytes, at: .zero)
            let id = try #require(registry.channel(onStream: 2), "\(name)")
            #expect(registry.poll() == .send(OutboundMessage(stream: 2, ppid: .dcep, bytes: [0x02])))
            #expect(registry.poll() == .event(.incoming(id, try DataChannelParameters(open: open), stream: 2)))
            opened += 1
        }
        #expect(opened >= 6)
    }

    @Test("dcep-fuzz replays every file of fuzz/dcep-corpus without a crash")
    func plainBuildReplay() throws {
        // Every file: the hand-written *.bin seeds and the campaigns' min-<sha1> finds.
        _ = try expectReplay("dcep-fuzz", corpus: "fuzz/dcep-corpus", atLeast: Self.names.count)
    }
}

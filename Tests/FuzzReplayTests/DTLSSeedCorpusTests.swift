import DTLS
import Foundation
import Testing
import ToolTestSupport
import Wire

/// The DTLS seed corpus holds real captured datagrams (the dissector fixtures of
/// Tests/DTLSTests, written out as files). Seeds only guide the fuzzer well if they
/// are valid and reach every parser, so both are checked here.
@Suite("DTLS seed corpus: real datagrams that reach every parser")
struct DTLSSeedCorpusTests {
    static let directory = Programs.repositoryRoot.appendingPathComponent("fuzz/dtls-corpus")

    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".bin") }.sorted()
    }

    static func load(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    @Test("every seed is whole records that dissect without an error node", arguments: DTLSSeedCorpusTests.names)
    func seed(name: String) throws {
        let bytes = try Self.load(name)
        let records = try DTLSRecord.parseAll(datagram: bytes)
        #expect(!records.isEmpty)
        let tree = DTLSDissector.dissect(bytes)
        #expect(!Self.nodes(of: tree).contains { $0.isError }, "\(tree.render(bytes: bytes).joined(separator: "\n"))")
        #expect(!DTLSFlightSummary(datagram: bytes).entries.contains { $0.name == "Malformed" })
    }

    /// The node and all its descendants.
    static func nodes(of field: DissectedField) -> [DissectedField] {
        [field] + field.children.flatMap(nodes(of:))
    }

    @Test("the seeds carry every handshake message type and every record type WebRTC sends")
    func coverage() throws {
        var contentTypes: Set<UInt8> = []
        var handshakeTypes: Set<UInt8> = []
        for name in Self.names {
            for record in try DTLSRecord.parseAll(datagram: try Self.load(name)) {
                contentTypes.insert(record.contentType.rawValue)
                guard record.contentType == .handshake, !record.isEncrypted else { continue }
                for message in try DTLSHandshakeMessage.parseAll(recordFragment: record.fragment) {
                    handshakeTypes.insert(message.header.messageType.rawValue)
                }
            }
        }
        #expect(Self.names.count >= 20)
        #expect(contentTypes == [20, 21, 22, 23])
        let expected: [DTLSHandshakeType] = [.clientHello, .serverHello, .helloVerifyRequest, .newSessionTicket, .certificate,
                                             .serverKeyExchange, .certificateRequest, .serverHelloDone, .certificateVerify,
                                             .clientKeyExchange]
        #expect(Set(expected.map(\.rawValue)).isSubset(of: handshakeTypes))
    }
}

import Testing
import Wire
@testable import DTLS

/// The dissector reads bytes from anyone on the path: truncations, seeded random
/// mutations and hand-made hostile lengths must give typed errors or error nodes,
/// never a trap (a trap would kill the whole test run).
@Suite("Dissector: hostile input never traps")
struct DissectorRobustnessTests {
    static let corpus: [[UInt8]] = DissectorFixtures.CaptureA.all + [
        DissectorFixtures.CaptureB.datagram1, DissectorFixtures.CaptureB.datagram4,
        DissectorFixtures.CaptureB.datagram6, DissectorFixtures.CaptureB.datagram7,
        DissectorFixtures.CaptureC.datagram8, DissectorFixtures.CaptureC.datagram9,
    ]

    /// Runs every entry point and checks the tree's own invariants.
    static func exercise(_ bytes: [UInt8]) -> (tree: DissectedField, scanFailed: Bool, bodyFailed: Bool) {
        let tree = DTLSDissector.dissect(bytes)
        for node in tree.flattened {
            #expect(node.offset >= 0 && node.length >= 0 && node.offset + node.length <= bytes.count,
                    "node \(node.name) at \(node.offset)+\(node.length) outside \(bytes.count) bytes")
        }
        _ = tree.render(bytes: bytes)
        _ = DTLSFlightSummary(datagram: bytes).line
        let scan = DTLSRecord.scan(datagram: bytes)
        var bodyFailed = false
        var reassembler = DTLSHandshakeReassembler()
        for record in scan.records where record.contentType == .handshake && !record.isEncrypted {
            do throws(DTLSError) {
                for message in try DTLSHandshakeMessage.parseAll(recordFragment: record.fragment) {
                    _ = try? reassembler.add(message)
                    _ = try message.decodeBody()
                }
            } catch {
                #expect(error.code == .malformedRecord && error.origin == .peer)
                bodyFailed = true
            }
        }
        return (tree, scan.trailingError != nil, bodyFailed)
    }

    static func hasError(_ tree: DissectedField) -> Bool { tree.flattened.contains { $0.isError } }

    @Test("every prefix of every captured datagram: error nodes unless it ends on a record boundary")
    func everyPrefix() throws {
        var prefixes = 0
        for datagram in Self.corpus {
            var boundaries: Set<Int> = []
            var end = 0
            for record in try DTLSRecord.parseAll(datagram: datagram) {
                end += DTLSRecord.headerSize + record.fragment.count
                boundaries.insert(end)
            }
            for length in 0...datagram.count {
                let prefix = Array(datagram.prefix(length))
                let result = Self.exercise(prefix)
                prefixes += 1
                if boundaries.contains(length) {
                    #expect(!result.scanFailed && !Self.hasError(result.tree))
                } else {
                    #expect(result.scanFailed, "a cut record is a typed error")
                    #expect(Self.hasError(result.tree), "a cut record is an error node")
                }
            }
        }
        #expect(prefixes == Self.corpus.reduce(0) { $0 + $1.count + 1 })
    }

    @Test("20 000 seeded mutations: flips, cuts, splices and hostile lengths")
    func mutations() {
        var random = SplitMix64(seed: 0x4454_4C53)
        var errorTrees = 0, scanErrors = 0, bodyErrors = 0
        for round in 0..<20_000 {
            var bytes = Self.corpus[round % Self.corpus.count]
            let edits = 1 + Int(random.next() % 4)
            for _ in 0..<edits { Self.mutate(&bytes, using: &random) }
            let result = Self.exercise(bytes)
            if Self.hasError(result.tree) { errorTrees += 1 }
            if result.scanFailed {
                scanErrors += 1
                #expect(Self.hasError(result.tree), "a record the scan rejects is an error node in the tree")
            }
            if result.bodyFailed {
                bodyErrors += 1
                #expect(Self.hasError(result.tree), "a body the typed parse rejects is an error node in the tree")
            }
        }
        // The mutations must actually reach the error paths, at all three levels.
        #expect(errorTrees > 5_000 && scanErrors > 1_000 && bodyErrors > 1_000)
    }

    static func mutate(_ bytes: inout [UInt8], using random: inout SplitMix64) {
        guard !bytes.isEmpty else { bytes = [0x16]; return }
        let at = Int(random.next() % UInt64(bytes.count))
        switch random.next() % 6 {
        case 0: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << (random.next() % 8))
        case 1: bytes[at] = UInt8(truncatingIfNeeded: random.next())
        case 2: bytes.removeLast(Int(random.next() % UInt64(bytes.count)))
        case 3: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
        case 4:
            // Length-like fields: max them out, or zero them.
            let value: UInt8 = random.next() % 2 == 0 ? 0xFF : 0x00
            for index in at..<min(bytes.count, at + 3) { bytes[index] = value }
        default:
            let from = Int(random.next() % UInt64(bytes.count))
            bytes += bytes[from...].prefix(40)
        }
    }

    @Test("hostile lengths are reported with the field that overran")
    func hostileLengths() throws {
        // Handshake fragment_length larger than the record.
        var datagram = DissectorFixtures.CaptureA.datagram2
        datagram[13 + 9] = 0x00; datagram[13 + 10] = 0x00; datagram[13 + 11] = 0xFF
        var tree = DTLSDissector.dissect(datagram)
        var error = try #require(tree.flattened.first { $0.isError && $0.name == "Malformed" })
        #expect(error.value.contains("ends past the message Length 23"))
        #expect(tree.firstNode(named: "Handshake Protocol")?.isError == true)

        // fragment_offset + fragment_length past the message length.
        datagram = DissectorFixtures.CaptureA.datagram2
        datagram[13 + 8] = 0x10
        tree = DTLSDissector.dissect(datagram)
        #expect(tree.flattened.contains { $0.isError && $0.value.contains("ends past the message Length") })

        // Cookie length 255 inside a 23-byte HelloVerifyRequest: the message node is malformed,
        // the header fields before it are kept.
        datagram = DissectorFixtures.CaptureA.datagram2
        datagram[13 + 12 + 2] = 0xFF
        tree = DTLSDissector.dissect(datagram)
        error = try #require(tree.flattened.first { $0.isError && $0.name == "Malformed" })
        #expect(error.value.contains("Cookie: needs 255 byte(s)"))
        #expect(tree.firstNode(named: "Message Sequence")?.value == "0")
        #expect(tree.firstNode(named: "Handshake Protocol")?.isError == true)

        // Cipher suites length that runs past the body.
        datagram = DissectorFixtures.CaptureA.datagram1
        datagram[0x3D] = 0x7F
        tree = DTLSDissector.dissect(datagram)
        #expect(tree.flattened.contains { $0.isError && $0.value.contains("Cipher Suites") })
        var reader = ByteReader(Array(datagram[25...]))
        #expect(throws: DTLSError.self) { try DTLSClientHello(parsing: &reader) }

        // A record length beyond the datagram ends the scan with the reason.
        tree = DTLSDissector.dissect([0x16, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 1, 2])
        #expect(tree.flattened.contains { $0.isError && $0.value.contains("overruns the datagram") })
        #expect(tree.firstNode(named: "Epoch")?.value == "0")
        #expect(Self.hasError(DTLSDissector.dissect([])))
    }

    @Test("a broken message does not hide the next one in the same record")
    func isolation() throws {
        // Two messages in one record: a HelloVerifyRequest whose cookie length lies, then ServerHelloDone.
        var body = ByteWriter()
        DTLSHandshakeMessage(type: .helloVerifyRequest, messageSequence: 0, body: [0xFE, 0xFF, 9, 1, 2]).encode(into: &body)
        DTLSHandshakeMessage(type: .serverHelloDone, messageSequence: 1, body: []).encode(into: &body)
        var writer = ByteWriter()
        DTLSRecord(contentType: .handshake, sequenceNumber: 0, fragment: body.bytes).encode(into: &writer)
        let tree = DTLSDissector.dissect(writer.bytes)
        let messages = tree.nodes(named: "Handshake Protocol")
        #expect(messages.count == 2)
        #expect(messages[0].isError && messages[0].value == "Hello Verify Request (malformed)")
        #expect(!messages[1].isError && messages[1].value == "Server Hello Done")
        #expect(DTLSFlightSummary(datagram: writer.bytes).line == "HelloVerifyRequest, ServerHelloDone")
    }

    @Test("unknown code points survive: content type, handshake type, extension, suite, GREASE")
    func unknowns() {
        var writer = ByteWriter()
        DTLSRecord(contentType: DTLSContentType(rawValue: 0x2F), sequenceNumber: 7, fragment: [1, 2, 3]).encode(into: &writer)
        DTLSRecord(contentType: .handshake, sequenceNumber: 8,
                   fragment: { var w = ByteWriter(); DTLSHandshakeMessage(type: DTLSHandshakeType(rawValue: 99), messageSequence: 0, body: [7]).encode(into: &w); return w.bytes }())
            .encode(into: &writer)
        let tree = DTLSDissector.dissect(writer.bytes)
        #expect(tree.firstNode(named: "Content Type")?.value == "Unknown (47)")
        #expect(tree.firstNode(named: "Handshake Type")?.value == "Unknown Handshake Message (99)")
        #expect(tree.firstNode(named: "Body")?.length == 1)
        #expect(!Self.hasError(tree))
        #expect(DTLSFlightSummary(datagram: writer.bytes).line == "Unknown Record (content type 47), Handshake(99)")
        #expect(TLSCipherSuite(rawValue: 0x1A1A).name == "GREASE (RFC 8701)")
        #expect(TLSCipherSuite(rawValue: 0x1234).description == "Unknown (0x1234)")
        #expect(TLSExtension(type: TLSExtensionType(rawValue: 0x4469), data: [1, 2]).content == .opaque([1, 2]))
        #expect(TLSExtension(type: .supportedGroups, data: [0, 2, 0, 29]).content == .supportedGroups([.x25519]))
        #expect(TLSExtension(type: .supportedGroups, data: [0, 9, 0, 29]).content == .opaque([0, 9, 0, 29]))
    }
}

import Testing
import Wire
@testable import DTLS

/// Corners the captures do not reach: a hello whose extensions block is present
/// but empty (a different byte string from a hello without the block, RFC 5246
/// §7.4.1.2), and a record longer than RFC 6347 §4.1 allows.
@Suite("Dissector: exact round trips of rare spellings, and oversized records")
struct DissectorExactnessTests {
    /// A ClientHello body: version, random, empty session id and cookie, one suite,
    /// null compression, then `tail` (nothing, or an extensions block).
    static func clientHelloBody(tail: [UInt8]) -> [UInt8] {
        [0xFE, 0xFD] + [UInt8](repeating: 0xA5, count: 32) + [0, 0, 0x00, 0x02, 0xC0, 0x2B, 0x01, 0x00] + tail
    }

    /// A ServerHello body: version, random, empty session id, suite, compression, then `tail`.
    static func serverHelloBody(tail: [UInt8]) -> [UInt8] {
        [0xFE, 0xFD] + [UInt8](repeating: 0x5A, count: 32) + [0, 0xC0, 0x2B, 0x00] + tail
    }

    static func reencodedClientHello(_ body: [UInt8]) throws -> (DTLSClientHello, [UInt8]) {
        var reader = ByteReader(body)
        let hello = try DTLSClientHello(parsing: &reader)
        #expect(reader.isAtEnd)
        var writer = ByteWriter()
        hello.encode(into: &writer)
        return (hello, writer.bytes)
    }

    static func reencodedServerHello(_ body: [UInt8]) throws -> (DTLSServerHello, [UInt8]) {
        var reader = ByteReader(body)
        let hello = try DTLSServerHello(parsing: &reader)
        #expect(reader.isAtEnd)
        var writer = ByteWriter()
        hello.encode(into: &writer)
        return (hello, writer.bytes)
    }

    @Test("a ClientHello with an empty extensions block (00 00) re-encodes with those two bytes")
    func clientHelloEmptyBlock() throws {
        let withBlock = Self.clientHelloBody(tail: [0x00, 0x00])
        let (hello, bytes) = try Self.reencodedClientHello(withBlock)
        #expect(hello.extensions.isEmpty && hello.extensionsPresent)
        #expect(bytes == withBlock)

        let withoutBlock = Self.clientHelloBody(tail: [])
        let (bare, bareBytes) = try Self.reencodedClientHello(withoutBlock)
        #expect(bare.extensions.isEmpty && !bare.extensionsPresent)
        #expect(bareBytes == withoutBlock)
        // Two spellings, two values: equality follows the bytes.
        #expect(hello != bare)
    }

    @Test("a ServerHello with an empty extensions block (00 00) re-encodes with those two bytes")
    func serverHelloEmptyBlock() throws {
        let withBlock = Self.serverHelloBody(tail: [0x00, 0x00])
        let (hello, bytes) = try Self.reencodedServerHello(withBlock)
        #expect(hello.extensions.isEmpty && hello.extensionsPresent)
        #expect(bytes == withBlock)

        let withoutBlock = Self.serverHelloBody(tail: [])
        let (bare, bareBytes) = try Self.reencodedServerHello(withoutBlock)
        #expect(!bare.extensionsPresent)
        #expect(bareBytes == withoutBlock)
    }

    @Test("hellos built in code write the block exactly when they have extensions, unless told otherwise")
    func builtHellos() {
        let random = DTLSRandom(bytes: [UInt8](repeating: 1, count: 32))
        let extensionData = TLSExtension(type: .extendedMasterSecret, data: [])
        #expect(!DTLSClientHello(random: random, cipherSuites: [.ecdheECDSAWithAES128GCMSHA256]).extensionsPresent)
        #expect(DTLSClientHello(random: random, cipherSuites: [], extensions: [extensionData]).extensionsPresent)
        let empty = DTLSServerHello(random: random, cipherSuite: .ecdheECDSAWithAES128GCMSHA256, extensionsPresent: true)
        var writer = ByteWriter()
        empty.encode(into: &writer)
        #expect(Array(writer.bytes.suffix(2)) == [0, 0])
        #expect(writer.count == 2 + 32 + 1 + 2 + 1 + 2)
    }

    /// One record of `length` fragment bytes (application data, so the content is opaque).
    static func record(length: Int) -> [UInt8] {
        var writer = ByteWriter()
        DTLSRecord(contentType: .applicationData, epoch: 1, sequenceNumber: 7,
                   fragment: [UInt8](repeating: 0xEE, count: length)).encode(into: &writer)
        return writer.bytes
    }

    @Test("a record over 2^14+2048 bytes parses but is flagged Record Overflow by the dissector")
    func recordOverflow() throws {
        let oversized = Self.record(length: DTLSRecord.maximumFragmentLength + 1)
        let records = try DTLSRecord.parseAll(datagram: oversized)
        #expect(records.count == 1 && records[0].fragment.count == 18_433)
        let tree = DTLSDissector.dissect(oversized)
        let overflow = try #require(tree.flattened.first { $0.name == "Record Overflow" })
        #expect(overflow.isError)
        #expect(overflow.value.contains("18433 bytes exceeds 2^14+2048"))
        #expect(overflow.offset == DTLSRecord.headerSize)
        let recordNode = try #require(tree.children.first)
        #expect(recordNode.name == "DTLS Record Layer" && recordNode.isError)

        // At the limit itself nothing is flagged.
        let largest = DTLSDissector.dissect(Self.record(length: DTLSRecord.maximumFragmentLength))
        #expect(!largest.flattened.contains { $0.isError })
    }
}

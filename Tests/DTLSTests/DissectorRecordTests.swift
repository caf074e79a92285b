import Testing
import Wire
@testable import DTLS

extension DissectedField {
    /// Depth-first search by name (test helper).
    func firstNode(named name: String) -> DissectedField? {
        if self.name == name { return self }
        for child in children { if let found = child.firstNode(named: name) { return found } }
        return nil
    }

    /// Every node named `name`, depth first.
    func nodes(named name: String) -> [DissectedField] { flattened.filter { $0.name == name } }

    /// This node and all below it.
    var flattened: [DissectedField] { [self] + children.flatMap(\.flattened) }
}

@Suite("Dissector: DTLS records (RFC 6347 §4.1) from real OpenSSL datagrams")
struct DissectorRecordTests {
    typealias A = DissectorFixtures.CaptureA

    @Test("each captured datagram holds the record count tshark shows")
    func recordCounts() throws {
        let expected = [1, 1, 1, 2, 1, 2, 2, 5, 1, 1, 3, 1, 1, 1]
        let counts = try A.all.map { datagram throws in try DTLSRecord.parseAll(datagram: datagram).count }
        #expect(counts == expected)
    }

    @Test("the first ClientHello record: DTLS 1.0 record version, epoch 0, sequence 0, length 192")
    func firstRecordHeader() throws {
        let record = try #require(try DTLSRecord.parseAll(datagram: A.datagram1).first)
        #expect(record.contentType == .handshake)
        #expect(record.version == .dtls10)
        #expect(record.version.description == "DTLS 1.0 (0xfeff)")
        #expect(record.epoch == 0 && record.sequenceNumber == 0)
        #expect(record.fragment.count == 192)
        #expect(!record.isEncrypted)
    }

    @Test("the client's last flight switches to epoch 1 after ChangeCipherSpec")
    func epochSwitch() throws {
        let records = try DTLSRecord.parseAll(datagram: A.datagram8)
        #expect(records.map(\.contentType) == [.handshake, .handshake, .handshake, .changeCipherSpec, .handshake])
        #expect(records.map(\.epoch) == [0, 0, 0, 0, 1])
        #expect(records.map(\.sequenceNumber) == [2, 3, 4, 5, 0])
        #expect(records[3].fragment == [1])
        #expect(records[4].fragment.count == 48, "Finished under AES-256-GCM: 8 nonce + 12+12 body + 16 tag")
    }

    @Test("application data and close_notify are epoch-1 records of 48 and 26 bytes")
    func encryptedRecords() throws {
        let data = try #require(try DTLSRecord.parseAll(datagram: A.datagram12).first)
        #expect(data.contentType == .applicationData && data.epoch == 1 && data.sequenceNumber == 1)
        #expect(data.fragment.count == 48)
        let alert = try #require(try DTLSRecord.parseAll(datagram: A.datagram13).first)
        #expect(alert.contentType == .alert && alert.isEncrypted && alert.fragment.count == 26)
    }

    @Test("records encode back to the captured bytes", arguments: 0..<14)
    func roundTrip(index: Int) throws {
        let datagram = A.all[index]
        var writer = ByteWriter()
        for record in try DTLSRecord.parseAll(datagram: datagram) { record.encode(into: &writer) }
        #expect(writer.bytes == datagram)
    }

    @Test("a 48-bit sequence number survives encode and parse")
    func sequence48() throws {
        let record = DTLSRecord(contentType: .applicationData, epoch: 3, sequenceNumber: 0xABCD_1234_5678,
                                fragment: [1, 2, 3])
        var writer = ByteWriter()
        record.encode(into: &writer)
        #expect(Array(writer.bytes.prefix(13)) == [23, 0xFE, 0xFD, 0, 3, 0xAB, 0xCD, 0x12, 0x34, 0x56, 0x78, 0, 3])
        var reader = ByteReader(writer.bytes)
        #expect(try DTLSRecord(parsing: &reader) == record)
        #expect(reader.isAtEnd)
    }

    @Test("a record length that overruns the datagram is reported, and earlier records are kept")
    func overrun() throws {
        var datagram = A.datagram4
        // Second record's length field sits at 13 + 73 + 11.
        datagram[97] = 0xFF
        datagram[98] = 0xFF
        let scan = DTLSRecord.scan(datagram: datagram)
        #expect(scan.records.count == 1)
        let error = try #require(scan.trailingError)
        #expect(error.code == .malformedRecord)
        #expect(error.reason.contains("Length 65535"))
        #expect(throws: DTLSError.self) { try DTLSRecord.parseAll(datagram: datagram) }
        #expect(throws: DTLSError.self) { try DTLSRecord.parseAll(datagram: []) }
    }

    @Test("unknown content types and versions survive and print as numbers")
    func openCodePoints() {
        #expect(DTLSContentType(rawValue: 99).description == "Unknown (99)")
        #expect(DTLSContentType.heartbeat.description == "Heartbeat (24)")
        #expect(DTLSProtocolVersion(rawValue: 0x1234).description == "Unknown (0x1234)")
        #expect(DTLSProtocolVersion.dtls12.description == "DTLS 1.2 (0xfefd)")
    }
}

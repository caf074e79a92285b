import Testing
import Wire
@testable import DTLS

@Suite("Dissector: handshake reassembly (RFC 6347 §4.2.3)")
struct DissectorReassemblyTests {
    typealias A = DissectorFixtures.CaptureA

    static func fragments(_ datagrams: [[UInt8]], type: DTLSHandshakeType) throws -> [DTLSHandshakeMessage] {
        try DissectorHandshakeTests.messages(datagrams.flatMap { $0 }).filter { $0.header.messageType == type }
    }

    @Test("the server's three certificate fragments give the client's whole Certificate, in any order")
    func certificate() throws {
        let pieces = try [A.datagram4, A.datagram5, A.datagram6].flatMap { try DissectorHandshakeTests.messages($0) }
            .filter { $0.header.messageType == .certificate }
        let whole = try #require(try DissectorHandshakeTests.messages(A.datagram8).first)
        for order in [[0, 1, 2], [2, 0, 1], [1, 1, 2, 0]] {
            var reassembler = DTLSHandshakeReassembler()
            var result: DTLSHandshakeMessage?
            for (step, index) in order.enumerated() {
                result = try reassembler.add(pieces[index])
                #expect((result == nil) == (step < order.count - 1), "whole only after the last missing piece")
            }
            #expect(result == whole, "same certificate, same message_seq 2, now unfragmented")
            #expect(reassembler.pendingCount == 0)
        }
    }

    @Test("the reassembled NewSessionTicket decodes")
    func ticket() throws {
        var reassembler = DTLSHandshakeReassembler()
        var whole: DTLSHandshakeMessage?
        for datagram in [A.datagram9, A.datagram10, A.datagram11] {
            for message in try DissectorHandshakeTests.messages(datagram) { whole = try reassembler.add(message) ?? whole }
        }
        let message = try #require(whole)
        guard case let .newSessionTicket(ticket) = try message.decodeBody() else { Issue.record("no ticket"); return }
        #expect(ticket.lifetimeHint == 7200 && ticket.ticket.count == 544)
    }

    @Test("conflicting, oversized and lying fragments throw instead of being trusted")
    func hostile() throws {
        var reassembler = DTLSHandshakeReassembler()
        let first = DTLSHandshakeMessage(header: DTLSHandshakeHeader(messageType: .certificate, length: 10, messageSequence: 2,
                                                                     fragmentOffset: 0, fragmentLength: 4), fragment: [1, 2, 3, 4])
        #expect(try reassembler.add(first) == nil)
        let otherLength = DTLSHandshakeMessage(header: DTLSHandshakeHeader(messageType: .certificate, length: 12, messageSequence: 2,
                                                                           fragmentOffset: 4, fragmentLength: 2), fragment: [5, 6])
        #expect(throws: DTLSError.self) { try reassembler.add(otherLength) }
        let huge = DTLSHandshakeMessage(header: DTLSHandshakeHeader(messageType: .certificate, length: 0xFF_FFFF, messageSequence: 3,
                                                                    fragmentOffset: 0, fragmentLength: 1), fragment: [0])
        #expect(throws: DTLSError.self) { try reassembler.add(huge) }
        let lying = DTLSHandshakeMessage(header: DTLSHandshakeHeader(messageType: .certificate, length: 10, messageSequence: 2,
                                                                     fragmentOffset: 8, fragmentLength: 4), fragment: [0, 0, 0, 0])
        #expect(throws: DTLSError.self) { try reassembler.add(lying) }
        #expect(reassembler.pendingCount == 1)
    }
}

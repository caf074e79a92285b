import Testing
import Wire
@testable import STUN

@Suite("TURN attributes (RFC 8656 §18)")
struct TURNAttributeTests {
    static let tid = try! TransactionID(bytes: Array(1...12))

    func roundTrip<A: STUNAttributeValue & Equatable>(_ value: A) throws -> [UInt8] {
        let raw = STUNAttribute(value, transactionID: Self.tid)
        #expect(try raw.decode(as: A.self, transactionID: Self.tid) == value)
        return raw.value
    }

    @Test("fixed layouts encode to the RFC bytes and decode back")
    func layouts() throws {
        #expect(try roundTrip(ChannelNumber(0x4001)) == [0x40, 0x01, 0, 0])
        #expect(try roundTrip(Lifetime(seconds: 600)) == [0, 0, 0x02, 0x58])
        #expect(try roundTrip(RequestedTransport.udp) == [17, 0, 0, 0])
        #expect(try roundTrip(RequestedAddressFamily(.ipv6)) == [2, 0, 0, 0])
        #expect(try roundTrip(EvenPort(reservesNextPort: true)) == [0x80])
        #expect(try roundTrip(DontFragment()) == [])
        #expect(try roundTrip(ReservationToken(0x0102_0304_0506_0708)) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try roundTrip(DataAttribute([1, 2, 3])) == [1, 2, 3])
        #expect(Lifetime(seconds: 600).duration == .seconds(600))
        #expect(!ChannelNumber(0x5000).isInValidRange && ChannelNumber(0x4FFF).isInValidRange)
    }

    @Test("XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS XOR like XOR-MAPPED-ADDRESS, IPv4 and IPv6")
    func xorAddresses() throws {
        let v4 = TransportAddress(.v4(192, 0, 2, 1), 32853)
        let bytes = try roundTrip(XORPeerAddress(v4))
        #expect(bytes == [0, 1, 0xA1, 0x47, 0xE1, 0x12, 0xA6, 0x43])
        #expect(try roundTrip(XORRelayedAddress(v4)) == bytes)
        let v6 = try TransportAddress(parsing: "[2001:db8::1]:5000")
        #expect(try roundTrip(XORRelayedAddress(v6)).count == 20)
        #expect(try roundTrip(XORPeerAddress(v6)) == (try roundTrip(XORMappedAddress(v6))))
    }

    @Test("wrong sizes are malformedAttribute peer violations", arguments: [
        (STUNAttributeType.channelNumber, 3), (.lifetime, 5), (.requestedTransport, 1), (.requestedAddressFamily, 8),
        (.evenPort, 2), (.dontFragment, 1), (.reservationToken, 7), (.xorPeerAddress, 7), (.xorRelayedAddress, 9),
    ])
    func wrongSizes(type: STUNAttributeType, size: Int) {
        let raw = STUNAttribute(type: type, value: [UInt8](repeating: 1, count: size))
        do {
            switch type {
            case .channelNumber: _ = try raw.decode(as: ChannelNumber.self, transactionID: Self.tid)
            case .lifetime: _ = try raw.decode(as: Lifetime.self, transactionID: Self.tid)
            case .requestedTransport: _ = try raw.decode(as: RequestedTransport.self, transactionID: Self.tid)
            case .requestedAddressFamily: _ = try raw.decode(as: RequestedAddressFamily.self, transactionID: Self.tid)
            case .evenPort: _ = try raw.decode(as: EvenPort.self, transactionID: Self.tid)
            case .dontFragment: _ = try raw.decode(as: DontFragment.self, transactionID: Self.tid)
            case .reservationToken: _ = try raw.decode(as: ReservationToken.self, transactionID: Self.tid)
            case .xorPeerAddress: _ = try raw.decode(as: XORPeerAddress.self, transactionID: Self.tid)
            default: _ = try raw.decode(as: XORRelayedAddress.self, transactionID: Self.tid)
            }
            Issue.record("\(type) of \(size) bytes decoded")
        } catch let error as STUNError {
            #expect(error.code == .malformedAttribute && error.isPeerViolation)
        } catch {
            Issue.record("untyped error \(error)")
        }
    }

    @Test("the dissector names every TURN attribute and decodes its fields")
    func dissector() throws {
        var message = STUNMessage(type: STUNMessageType(method: .allocate, messageClass: .request), transactionID: Self.tid)
        message.append(RequestedTransport.udp)
        message.append(Lifetime(seconds: 3600))
        message.append(ChannelNumber(0x4002))
        message.append(XORPeerAddress(TransportAddress(.v4(127, 0, 0, 1), 9)))
        message.append(XORRelayedAddress(TransportAddress(.v4(127, 0, 0, 1), 49152)))
        message.append(DataAttribute([0xAB]))
        message.append(RequestedAddressFamily(.ipv4))
        message.append(EvenPort(reservesNextPort: false))
        message.append(DontFragment())
        message.append(ReservationToken(7))
        let bytes = try message.encode()
        let text = STUNDissector.dissect(bytes).render(bytes: bytes).joined(separator: "\n")
        for name in ["REQUESTED-TRANSPORT", "LIFETIME", "CHANNEL-NUMBER", "XOR-PEER-ADDRESS", "XOR-RELAYED-ADDRESS",
                     "DATA", "REQUESTED-ADDRESS-FAMILY", "EVEN-PORT", "DONT-FRAGMENT", "RESERVATION-TOKEN",
                     "UDP (17)", "3600 seconds", "0x4002", "127.0.0.1:49152", "0x0000000000000007"] {
            #expect(text.contains(name), "missing \(name) in:\n\(text)")
        }
        #expect(!text.contains("Malformed"))
    }
}

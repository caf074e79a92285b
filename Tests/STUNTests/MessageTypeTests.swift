import Testing
@testable import STUN

@Suite("Message type: class and method bit layout (RFC 8489 §5)")
struct MessageTypeTests {
    @Test("Binding in each class has the RFC's well-known value")
    func bindingValues() {
        #expect(STUNMessageType.bindingRequest.rawValue == 0x0001)
        #expect(STUNMessageType.bindingIndication.rawValue == 0x0011)
        #expect(STUNMessageType.bindingSuccess.rawValue == 0x0101)
        #expect(STUNMessageType.bindingError.rawValue == 0x0111)
    }

    @Test("class bits C0 and C1 sit at bits 4 and 8")
    func classBits() {
        for messageClass in STUNClass.allCases {
            let raw = STUNMessageType(method: STUNMethod(rawValue: 0), messageClass: messageClass).rawValue
            let c0 = UInt16(messageClass.rawValue & 1), c1 = UInt16(messageClass.rawValue >> 1)
            #expect(raw == c0 << 4 | c1 << 8)
        }
    }

    @Test("method bits skip over the class bits: M0-M3 at 0-3, M4-M6 at 5-7, M7-M11 at 9-13")
    func methodBits() {
        #expect(STUNMessageType(method: STUNMethod(rawValue: 0x00F), messageClass: .request).rawValue == 0x000F)
        #expect(STUNMessageType(method: STUNMethod(rawValue: 0x070), messageClass: .request).rawValue == 0x00E0)
        #expect(STUNMessageType(method: STUNMethod(rawValue: 0xF80), messageClass: .request).rawValue == 0x3E00)
        #expect(STUNMessageType(method: STUNMethod(rawValue: 0xFFF), messageClass: .errorResponse).rawValue == 0x3FFF)
    }

    @Test("TURN methods encode as RFC 8656 lists them")
    func turnMethods() {
        #expect(STUNMessageType(method: .allocate, messageClass: .request).rawValue == 0x0003)
        #expect(STUNMessageType(method: .allocate, messageClass: .successResponse).rawValue == 0x0103)
        #expect(STUNMessageType(method: .refresh, messageClass: .errorResponse).rawValue == 0x0114)
        #expect(STUNMessageType(method: .send, messageClass: .indication).rawValue == 0x0016)
        #expect(STUNMessageType(method: .data, messageClass: .indication).rawValue == 0x0017)
        #expect(STUNMessageType(method: .createPermission, messageClass: .request).rawValue == 0x0008)
        #expect(STUNMessageType(method: .channelBind, messageClass: .request).rawValue == 0x0009)
    }

    @Test("every 14-bit value decodes and re-encodes to itself")
    func roundTripsAllValues() {
        for raw in UInt16(0)...0x3FFF {
            #expect(STUNMessageType(rawValue: raw).rawValue == raw)
        }
    }

    @Test("unknown methods survive and print their number")
    func unknownMethod() {
        let type = STUNMessageType(rawValue: 0x0ABC & 0x3FFF)
        #expect(type.method.name == nil)
        #expect(STUNMessageType(method: type.method, messageClass: type.messageClass).rawValue == 0x0ABC)
        #expect(STUNMethod(rawValue: 0x0AB).description == "Method 0x0ab")
        #expect(STUNMessageType.bindingSuccess.description == "Binding Success Response")
    }

    @Test("attribute types below 0x8000 are comprehension-required")
    func comprehension() {
        #expect(STUNAttributeType.xorMappedAddress.isComprehensionRequired)
        #expect(STUNAttributeType(rawValue: 0x7FFF).isComprehensionRequired)
        #expect(!STUNAttributeType.software.isComprehensionRequired)
        #expect(!STUNAttributeType(rawValue: 0x8000).isComprehensionRequired)
        #expect(STUNAttributeType(rawValue: 0x7F01).description == "Unknown (0x7f01)")
    }
}

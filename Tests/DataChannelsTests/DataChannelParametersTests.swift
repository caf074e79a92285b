import DataChannels
import Testing

@Suite("DataChannelParameters: W3C options <-> DATA_CHANNEL_OPEN")
struct DataChannelParametersTests {
    @Test("defaults are W3C's: ordered, reliable, priority 256 (low), opened in band")
    func defaults() {
        let parameters = DataChannelParameters(label: "chat")
        #expect(parameters.ordered && parameters.reliability == .reliable && parameters.priority == 256 && parameters.negotiatedID == nil)
        #expect(parameters.channelType == .reliable)
        #expect(parameters.reliabilityParameter == 0)
        #expect(parameters.openMessage.bytes == [0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x63, 0x68, 0x61, 0x74])
    }

    @Test("ordering and reliability map to the channel type and parameter, and back", arguments: [
        (true, DataChannelReliability.reliable, DataChannelType.reliable, UInt32(0)),
        (false, .reliable, .reliableUnordered, 0),
        (true, .maxRetransmits(5), .partialReliableRexmit, 5),
        (false, .maxRetransmits(0), .partialReliableRexmitUnordered, 0),
        (true, .maxPacketLifeTime(milliseconds: 3000), .partialReliableTimed, 3000),
        (false, .maxPacketLifeTime(milliseconds: 150), .partialReliableTimedUnordered, 150),
    ])
    func mapping(ordered: Bool, reliability: DataChannelReliability, type: DataChannelType, parameter: UInt32) throws {
        let parameters = DataChannelParameters(label: "l", protocol: "p", ordered: ordered, reliability: reliability, priority: 1024)
        #expect(parameters.channelType == type)
        #expect(parameters.reliabilityParameter == parameter)
        let open = parameters.openMessage
        #expect(open == DataChannelOpen(channelType: type, priority: 1024, reliabilityParameter: parameter, label: "l", protocol: "p"))
        #expect(try DataChannelParameters(open: open) == parameters)
    }

    @Test("the reliability parameter of a reliable type is ignored on receipt (RFC 8832 §5.1)")
    func reliableIgnoresParameter() throws {
        let parameters = try DataChannelParameters(open: DataChannelOpen(channelType: .reliableUnordered, reliabilityParameter: 99))
        #expect(parameters.reliability == .reliable)
        #expect(!parameters.ordered)
    }

    @Test("an unknown channel type opens nothing: unknownChannelType, the peer's fault")
    func unknownType() {
        for raw: UInt8 in [0x03, 0x05, 0x7F, 0x83, 0xFF] {
            do {
                _ = try DataChannelParameters(open: DataChannelOpen(channelType: DataChannelType(rawValue: raw)))
                Issue.record("type \(raw) opened a channel")
            } catch {
                #expect(error.code == .unknownChannelType && error.origin == .peer)
            }
        }
    }

    @Test("a label or protocol of 65 535 UTF-8 bytes is fine, one more is the caller's invalidParameters")
    func lengthLimit() throws {
        try DataChannelParameters(label: String(repeating: "x", count: 65_535), protocol: String(repeating: "y", count: 65_535)).validate()
        for parameters in [DataChannelParameters(label: String(repeating: "é", count: 32_768)),
                           DataChannelParameters(protocol: String(repeating: "x", count: 65_536))] {
            #expect(throws: DataChannelError.self) { try parameters.validate() }
            do { try parameters.validate() } catch {
                #expect(error.code == .invalidParameters && error.origin == .caller)
            }
        }
    }
}

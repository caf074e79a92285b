// The DATA_CHANNEL_OPEN messages exercise 07 is checked against, written out by hand from
// the RFC 8832 §5.1 layout, one row per field, so a reader can check each against the
// diagram without trusting any codec (the test suite also compares them with the
// DataChannels module's own encoder, which the exercise module cannot import).
import ExerciseInterfaces

/// One OPEN: its fields and its bytes on the wire.
struct DCEPOpenVector {
    let fields: DCEPOpenFields
    let bytes: [UInt8]
    /// Short name used in failure inputs ("0x81 game.v2").
    let name: String

    init(_ name: String, _ channelType: UInt8, priority: UInt16, parameter: UInt32, label: String, protocol: String,
         _ bytes: [UInt8]) {
        self.name = name
        fields = DCEPOpenFields(channelType: channelType, priority: priority, reliabilityParameter: parameter,
                                label: label, protocol: `protocol`)
        self.bytes = bytes
    }
}

enum DCEPOpenVectors {
    // MARK: every channel type (RFC 8832 §5.1), realistic priorities and parameters

    static let reliable = DCEPOpenVector("reliable", 0x00, priority: 256, parameter: 0, label: "chat", protocol: "", [
        0x03,                       // Message Type: DATA_CHANNEL_OPEN
        0x00,                       // Channel Type: DATA_CHANNEL_RELIABLE
        0x01, 0x00,                 // Priority 256
        0x00, 0x00, 0x00, 0x00,     // Reliability Parameter 0
        0x00, 0x04,                 // Label Length 4
        0x00, 0x00,                 // Protocol Length 0
        0x63, 0x68, 0x61, 0x74,     // "chat"
    ])
    static let reliableUnordered = DCEPOpenVector("reliable unordered", 0x80, priority: 256, parameter: 0,
                                                  label: "files", protocol: "", [
        0x03, 0x80,                 // OPEN, DATA_CHANNEL_RELIABLE_UNORDERED
        0x01, 0x00,                 // Priority 256
        0x00, 0x00, 0x00, 0x00,     // Reliability Parameter 0
        0x00, 0x05, 0x00, 0x00,     // Label Length 5, Protocol Length 0
        0x66, 0x69, 0x6c, 0x65, 0x73, // "files"
    ])
    static let rexmit = DCEPOpenVector("rexmit", 0x01, priority: 512, parameter: 3, label: "moves", protocol: "", [
        0x03, 0x01,                 // OPEN, DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT
        0x02, 0x00,                 // Priority 512
        0x00, 0x00, 0x00, 0x03,     // at most 3 retransmissions
        0x00, 0x05, 0x00, 0x00,     // Label Length 5, Protocol Length 0
        0x6d, 0x6f, 0x76, 0x65, 0x73, // "moves"
    ])
    static let rexmitUnordered = DCEPOpenVector("rexmit unordered", 0x81, priority: 1024, parameter: 0,
                                                label: "game", protocol: "game.v2", [
        0x03, 0x81,                 // OPEN, DATA_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED
        0x04, 0x00,                 // Priority 1024
        0x00, 0x00, 0x00, 0x00,     // 0 retransmissions: each message sent once
        0x00, 0x04, 0x00, 0x07,     // Label Length 4, Protocol Length 7
        0x67, 0x61, 0x6d, 0x65,     // "game"
        0x67, 0x61, 0x6d, 0x65, 0x2e, 0x76, 0x32, // "game.v2"
    ])
    static let timed = DCEPOpenVector("timed", 0x02, priority: 128, parameter: 1000, label: "sensor", protocol: "", [
        0x03, 0x02,                 // OPEN, DATA_CHANNEL_PARTIAL_RELIABLE_TIMED
        0x00, 0x80,                 // Priority 128
        0x00, 0x00, 0x03, 0xe8,     // lifetime 1000 ms
        0x00, 0x06, 0x00, 0x00,     // Label Length 6, Protocol Length 0
        0x73, 0x65, 0x6e, 0x73, 0x6f, 0x72, // "sensor"
    ])
    static let timedUnordered = DCEPOpenVector("timed unordered", 0x82, priority: 256, parameter: 150,
                                               label: "telemetry", protocol: "", [
        0x03, 0x82,                 // OPEN, DATA_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED
        0x01, 0x00,                 // Priority 256
        0x00, 0x00, 0x00, 0x96,     // lifetime 150 ms
        0x00, 0x09, 0x00, 0x00,     // Label Length 9, Protocol Length 0
        0x74, 0x65, 0x6c, 0x65, 0x6d, 0x65, 0x74, 0x72, 0x79, // "telemetry"
    ])

    // MARK: byte order: values whose bytes differ, so a reversed field shows

    static let byteOrderTimed = DCEPOpenVector("priority 513, lifetime 70000 ms", 0x02, priority: 0x0201, parameter: 70_000,
                                               label: "x", protocol: "", [
        0x03, 0x02,
        0x02, 0x01,                 // Priority 513 = 0x0201
        0x00, 0x01, 0x11, 0x70,     // 70000 = 0x00011170
        0x00, 0x01, 0x00, 0x00,
        0x78,                       // "x"
    ])
    static let byteOrderRexmit = DCEPOpenVector("priority 255, 305419896 retransmissions", 0x81, priority: 255,
                                                parameter: 0x1234_5678, label: "", protocol: "", [
        0x03, 0x81,
        0x00, 0xff,                 // Priority 255
        0x12, 0x34, 0x56, 0x78,     // 305419896 = 0x12345678
        0x00, 0x00, 0x00, 0x00,     // empty label, empty protocol
    ])
    static let byteOrderMaximum = DCEPOpenVector("largest values", 0x01, priority: .max, parameter: .max,
                                                 label: "y", protocol: "", [
        0x03, 0x01,
        0xff, 0xff,                 // Priority 65535
        0xff, 0xff, 0xff, 0xff,     // 4294967295
        0x00, 0x01, 0x00, 0x00,
        0x79,                       // "y"
    ])

    // MARK: UTF-8: the lengths count bytes, not characters

    static let accents = DCEPOpenVector("non-ASCII label and protocol", 0x00, priority: 256, parameter: 0,
                                        label: "météo ☀", protocol: "чат", [
        0x03, 0x00, 0x01, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x0b,                 // Label Length 11: 7 characters, 11 UTF-8 bytes
        0x00, 0x06,                 // Protocol Length 6: 3 characters, 6 UTF-8 bytes
        0x6d, 0xc3, 0xa9, 0x74, 0xc3, 0xa9, 0x6f, 0x20, 0xe2, 0x98, 0x80, // "météo ☀"
        0xd1, 0x87, 0xd0, 0xb0, 0xd1, 0x82, // "чат"
    ])
    static let emoji = DCEPOpenVector("emoji label", 0x82, priority: 256, parameter: 500, label: "📈", protocol: "", [
        0x03, 0x82, 0x01, 0x00,
        0x00, 0x00, 0x01, 0xf4,     // lifetime 500 ms
        0x00, 0x04,                 // Label Length 4: 1 character, 2 UTF-16 units, 4 UTF-8 bytes
        0x00, 0x00,
        0xf0, 0x9f, 0x93, 0x88,     // "📈"
    ])

    // MARK: empty label (W3C allows it; RFC 8832 §5.1: "This may be an empty string")

    static let empty = DCEPOpenVector("empty label and protocol", 0x00, priority: 256, parameter: 0, label: "", protocol: "", [
        0x03, 0x00, 0x01, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,     // nothing follows the 12 fixed bytes
    ])
    static let emptyLabel = DCEPOpenVector("empty label, protocol \"json\"", 0x00, priority: 256, parameter: 0,
                                           label: "", protocol: "json", [
        0x03, 0x00, 0x01, 0x00,
        0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x04,     // Label Length 0, Protocol Length 4
        0x6a, 0x73, 0x6f, 0x6e,     // "json"
    ])

    static let channelTypes = [reliable, reliableUnordered, rexmit, rexmitUnordered, timed, timedUnordered]
    static let byteOrder = [byteOrderTimed, byteOrderRexmit, byteOrderMaximum]
    static let utf8 = [accents, emoji]
    static let emptyLabels = [empty, emptyLabel]
    static let all = channelTypes + byteOrder + utf8 + emptyLabels
}

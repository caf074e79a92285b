/// The 14-bit STUN message type: a method and a class, bit-interleaved.
///
/// ```
///    0                 1
///    2  3  4 5 6 7 8 9 0 1 2 3 4 5
///   +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
///   |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
///   |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
///   +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// (RFC 8489 §5, figure 3.) The class bits C1 and C0 sit at bits 8 and 4 of
/// the 16-bit field; the method's bits fill the rest. The odd layout is
/// historical: RFC 3489 had no classes, and the bits were carved out of its
/// method numbers so that old Binding Request 0x0001 kept its value.
public struct STUNMessageType: Hashable, Sendable, CustomStringConvertible {
    /// The method (Binding, Allocate...).
    public var method: STUNMethod
    /// The class (request, indication, success or error response).
    public var messageClass: STUNClass

    /// Creates a message type from its parts.
    public init(method: STUNMethod, messageClass: STUNClass) {
        self.method = method
        self.messageClass = messageClass
    }

    /// Decodes the 14-bit type field. The top two bits of `rawValue` must be
    /// zero on the wire; they are ignored here (the message parser checks them).
    public init(rawValue: UInt16) {
        let value = rawValue & 0x3FFF
        let c0 = (value >> 4) & 0x1
        let c1 = (value >> 8) & 0x1
        let methodBits = (value & 0x000F) | ((value >> 1) & 0x0070) | ((value >> 2) & 0x0F80)
        self.method = STUNMethod(rawValue: methodBits)
        self.messageClass = STUNClass(rawValue: UInt8(c1 << 1 | c0)) ?? .request
    }

    /// The 14-bit field value, as it appears in the first two bytes of the header.
    public var rawValue: UInt16 {
        let m = method.rawValue
        let c = UInt16(messageClass.rawValue)
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 0x1) << 4) | ((c & 0x2) << 7)
    }

    /// Binding Request (0x0001).
    public static let bindingRequest = STUNMessageType(method: .binding, messageClass: .request)
    /// Binding Indication (0x0011).
    public static let bindingIndication = STUNMessageType(method: .binding, messageClass: .indication)
    /// Binding Success Response (0x0101).
    public static let bindingSuccess = STUNMessageType(method: .binding, messageClass: .successResponse)
    /// Binding Error Response (0x0111).
    public static let bindingError = STUNMessageType(method: .binding, messageClass: .errorResponse)

    /// The success response type for this type's method.
    public var successResponse: STUNMessageType { STUNMessageType(method: method, messageClass: .successResponse) }
    /// The error response type for this type's method.
    public var errorResponse: STUNMessageType { STUNMessageType(method: method, messageClass: .errorResponse) }

    /// "Binding Success Response".
    public var description: String { "\(method) \(messageClass)" }
}

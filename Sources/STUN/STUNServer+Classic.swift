import Wire

// Answers for RFC 3489 ("classic STUN") clients, RFC 8489 §11.2 (RFC 5389 §12.2).
//
// A classic Binding request is recognised by the missing magic cookie. Its
// answer copies the 32 bits found there (they are part of the client's 128-bit
// transaction id: the response's `format` is the request's), and reports the
// client's address in MAPPED-ADDRESS: classic clients know neither
// XOR-MAPPED-ADDRESS nor FINGERPRINT, and RFC 8489's MESSAGE-INTEGRITY is not
// theirs either, so none of those is sent.
//
// Beyond the RFC's minimum, the answer follows RFC 3489 §8.2 closely enough for
// real classic clients (Debian's `stun` runs the RFC 3489 NAT-type tests):
// - SOURCE-ADDRESS and CHANGED-ADDRESS are included, both naming the address the
//   request arrived on. This server has one address, so "where I would answer a
//   change request from" is here; a classic client's follow-up test then stays on
//   this address instead of failing for want of the attribute.
// - CHANGE-REQUEST with flags 0 asks for nothing and is answered normally. A set
//   flag asks for an answer from another IP or port, which one address cannot
//   give: that is 420 Unknown Attribute listing CHANGE-REQUEST, the error RFC 8489
//   §11.2 prescribes for classic-only attributes (coturn answers the same way when
//   it has no alternate address). Answering from the same address instead would
//   make the client conclude "open Internet" wrongly.
// - RESPONSE-ADDRESS (send the answer elsewhere) is never honoured: it would make
//   the server a reflector. It is unknown here, so it also gets 420.
// - Text is padded with spaces to a multiple of 4 and UNKNOWN-ATTRIBUTES repeats
//   one entry to an even count (RFC 3489 §11.2.9, §11.2.10): classic parsers skip
//   no padding, and Debian's client rejects a string whose length is not a
//   multiple of 4.
// Only Binding requests are answered; any other cookie-less message is dropped,
// since it is more likely garbage than a client worth a reply.
extension STUNServer {
    mutating func receiveClassic(_ request: STUNMessage, datagram: Datagram) {
        guard configuration.classicClientsAnswered else {
            let why: String
            if case .none = configuration.authentication {
                why = "answering classic clients is turned off"
            } else {
                why = "this server requires credentials, which classic clients cannot present"
            }
            return drop(datagram, "RFC 3489 message (no magic cookie): \(why)")
        }
        guard request.messageType == .bindingRequest else {
            return drop(datagram, "RFC 3489 \(request.messageType) (no magic cookie): only classic Binding requests are answered")
        }
        var answer = STUNServerAnswer(client: datagram.source, transactionID: request.transactionID,
                                      request: request.messageType, response: .bindingSuccess, errorCode: nil,
                                      mappedAddress: nil, username: nil, reason: "", isClassic: true)
        var response = STUNMessage(type: .bindingSuccess, transactionID: request.transactionID)
        response.format = request.format
        let change: ChangeRequest?
        do {
            change = try request.attribute(ChangeRequest.self)
        } catch {
            let reason = "malformed CHANGE-REQUEST: \((error as? STUNError)?.reason ?? "\(error)")"
            return sendClassic(error: .badRequest, reason: reason, response: &response, answer: &answer, datagram: datagram)
        }
        answer.changeRequest = change
        var unknown: [STUNAttributeType] = []
        if change?.asksForChange == true { unknown.append(.changeRequest) }
        let understood = configuration.understoodAttributes.union([.changeRequest]).subtracting([.responseAddress])
        unknown += request.unknownComprehensionRequired(understood: understood)
        if !unknown.isEmpty {
            let list = unknown.map { "0x\(STUNFormat.hex($0.rawValue, digits: 4))" }.joined(separator: ", ")
            let reason = change?.asksForChange == true
                ? "cannot answer from another address, as CHANGE-REQUEST \(change.map { "\($0)" } ?? "") asks"
                : "unknown comprehension-required attribute(s) \(list)"
            // RFC 3489 §11.2.10: an odd count repeats one type to fill 32 bits.
            if unknown.count % 2 == 1, let last = unknown.last { unknown.append(last) }
            response.append(UnknownAttributes(unknown))
            let phrase = change?.asksForChange == true ? "Unknown Attribute: this server has no alternate address" : nil
            return sendClassic(error: .unknownAttribute, reason: reason, phrase: phrase,
                               response: &response, answer: &answer, datagram: datagram)
        }
        response.append(MappedAddress(datagram.source))
        response.append(SourceAddress(datagram.destination))
        response.append(ChangedAddress(datagram.destination))
        appendClassicSoftware(to: &response)
        answer.mappedAddress = datagram.source
        answer.reason = "reflexive address reported in MAPPED-ADDRESS"
        transmitClassic(response, answer: answer, datagram: datagram)
    }

    /// Turns `response` into an error response: ERROR-CODE first, then what is already there, then SOFTWARE.
    /// The wire phrase is short and fixed (`reason`, which can list many attributes, goes to the event only).
    private mutating func sendClassic(error code: STUNErrorCode, reason: String, phrase: String? = nil,
                                      response: inout STUNMessage, answer: inout STUNServerAnswer, datagram: Datagram) {
        response.messageType = .bindingError
        let text = phrase ?? code.reasonPhrase ?? ""
        if let attribute = try? ErrorCodeAttribute(code, reason: Self.spacePadded(text)) {
            response.attributes.insert(STUNAttribute(attribute, transactionID: response.transactionID), at: 0)
        }
        appendClassicSoftware(to: &response)
        answer.response = .bindingError
        answer.errorCode = code
        answer.reason = reason
        transmitClassic(response, answer: answer, datagram: datagram)
    }

    private func appendClassicSoftware(to response: inout STUNMessage) {
        // SOFTWARE (0x8022) is optional to a classic client; padded, it is also well formed to one.
        if let software = configuration.software, let attribute = try? Software(Self.spacePadded(software)) {
            response.append(attribute)
        }
    }

    private mutating func transmitClassic(_ response: STUNMessage, answer: STUNServerAnswer, datagram: Datagram) {
        guard let bytes = try? response.encode() else {
            return drop(datagram, "could not encode the classic response (attributes too large)")
        }
        outputs.append(.transmit(Datagram(from: datagram.destination, to: datagram.source, payload: bytes)))
        outputs.append(.event(.answered(answer)))
    }

    /// `text` padded with spaces to a multiple of 4 bytes of UTF-8.
    static func spacePadded(_ text: String) -> String {
        let count = text.utf8.count
        return text + String(repeating: " ", count: (4 - count % 4) % 4)
    }
}

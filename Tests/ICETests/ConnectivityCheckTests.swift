import Testing
import STUN
import Wire
@testable import ICE

/// Two agents' credentials: L sends checks to R.
enum Agents {
    static let left = try! ICECredentials(ufrag: "LEFT", password: "leftpasswordleftpassword")
    static let right = try! ICECredentials(ufrag: "RGHT", password: "rightpasswordrightpasswd")
    static let tid = try! TransactionID(bytes: Array(1...12))
    static let leftAddress = try! TransportAddress(parsing: "127.0.0.1:5000")
    static let rightAddress = try! TransportAddress(parsing: "127.0.0.1:6000")

    /// L's check to R, controlling, from a host candidate with local preference 65535.
    static func check(nominates: Bool = false) throws -> ICEConnectivityCheck {
        try ICEConnectivityCheck(transactionID: tid, local: left, remote: right, role: .controlling,
                                 tieBreaker: 0x0123_4567_89AB_CDEF, priority: 1_862_270_975, nominates: nominates)
    }

    /// A hand-built request, signed with `password`, for the negative cases.
    static func request(_ attributes: (inout STUNMessage) throws -> Void, password: String = right.password) throws -> [UInt8] {
        var message = STUNMessage.bindingRequest(transactionID: tid)
        try attributes(&message)
        return try message.encode(integrityKey: .shortTerm(password: password), fingerprint: true)
    }
}

@Suite("Connectivity check messages")
struct ConnectivityCheckTests {
    @Test("a check carries USERNAME remote:local, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, integrity and fingerprint")
    func requestContents() throws {
        let bytes = try Agents.check(nominates: true).encode()
        let message = try STUNMessage(parsing: bytes)
        #expect(message.messageType == .bindingRequest && message.transactionID == Agents.tid)
        #expect(try message.attribute(Username.self)?.value == "RGHT:LEFT")
        #expect(try message.attribute(ICEPriority.self)?.value == 1_862_270_975)
        #expect(try message.attribute(ICEControlling.self)?.tieBreaker == 0x0123_4567_89AB_CDEF)
        #expect(!message.contains(.iceControlled))
        #expect(message.contains(.useCandidate))
        #expect(message.attributes.suffix(2).map(\.type) == [.messageIntegrity, .fingerprint])
        #expect(STUNMessage.verifyIntegrity(of: bytes, key: .shortTerm(password: Agents.right.password)).isValid)
        #expect(!STUNMessage.verifyIntegrity(of: bytes, key: .shortTerm(password: Agents.left.password)).isValid)
        #expect(STUNMessage.verifyFingerprint(of: bytes).isValid)
        // 20 header + USERNAME 4+12 + PRIORITY 8 + ICE-CONTROLLING 12 + USE-CANDIDATE 4 + MI 24 + FP 8.
        #expect(bytes.count == 92)
    }

    @Test("a controlled check carries ICE-CONTROLLED and may not nominate")
    func controlledCheck() throws {
        let check = try ICEConnectivityCheck(transactionID: Agents.tid, local: Agents.left, remote: Agents.right,
                                             role: .controlled, tieBreaker: 7, priority: 1)
        let message = try STUNMessage(parsing: try check.encode())
        #expect(try message.attribute(ICEControlled.self)?.tieBreaker == 7)
        #expect(!message.contains(.iceControlling) && !message.contains(.useCandidate))
        #expect(throws: ICEError.self) {
            try ICEConnectivityCheck(transactionID: Agents.tid, local: Agents.left, remote: Agents.right,
                                     role: .controlled, tieBreaker: 7, priority: 1, nominates: true)
        }
    }

    @Test("a check for a pair sends its local candidate's peer-reflexive priority")
    func pairCheckPriority() throws {
        let pair = ICECandidatePair(id: 0, local: Fixture.l4, remote: Fixture.r3, role: .controlling)
        let check = try ICEConnectivityCheck(pair: pair, transactionID: Agents.tid, local: Agents.left,
                                             remote: Agents.right, role: .controlling, tieBreaker: 1)
        #expect(check.priority == 1_862_270_719) // 2130706175 with type 110
    }

    @Test("the receiver accepts the check and reads its claims")
    func validatesCheck() throws {
        let verdict = ICEConnectivityCheck.validate(try Agents.check(nominates: true).encode(), local: Agents.right)
        guard case let .check(check) = verdict else { Issue.record("expected a check, got \(verdict)"); return }
        #expect(check.remoteUfrag == "LEFT" && check.priority == 1_862_270_975 && check.useCandidate)
        #expect(check.claimedRole == ICEClaimedRole(.controlling, tieBreaker: 0x0123_4567_89AB_CDEF))
    }

    @Test("a check for another ufrag or signed with another password gets 401")
    func unauthenticated() throws {
        let bytes = try Agents.check().encode()
        // Left validating a check meant for Right: USERNAME's first part is not ours.
        #expect(code(ICEConnectivityCheck.validate(bytes, local: Agents.left)) == .unauthenticated)
        // Right's ufrag but the wrong password: the HMAC fails.
        let impostor = try ICECredentials(ufrag: "RGHT", password: "notthepasswordnotthepass")
        #expect(code(ICEConnectivityCheck.validate(bytes, local: impostor)) == .unauthenticated)
    }

    @Test("missing USERNAME, role or PRIORITY gets 400; two roles get 400")
    func badRequests() throws {
        let username = try Username("RGHT:LEFT")
        let noUsername = try Agents.request { $0.append(ICEPriority(1)); $0.append(ICEControlling(tieBreaker: 1)) }
        let noRole = try Agents.request { $0.append(username); $0.append(ICEPriority(1)) }
        let noPriority = try Agents.request { $0.append(username); $0.append(ICEControlled(tieBreaker: 1)) }
        let twoRoles = try Agents.request {
            $0.append(username); $0.append(ICEPriority(1))
            $0.append(ICEControlled(tieBreaker: 1)); $0.append(ICEControlling(tieBreaker: 1))
        }
        var unsigned = STUNMessage.bindingRequest(transactionID: Agents.tid)
        unsigned.append(username)
        for bytes in [noUsername, noRole, noPriority, twoRoles, try unsigned.encode()] {
            #expect(code(ICEConnectivityCheck.validate(bytes, local: Agents.right)) == .badRequest)
        }
    }

    @Test("an unknown comprehension-required attribute gets 420 listing it")
    func unknownAttribute() throws {
        let bytes = try Agents.request {
            $0.append(try Username("RGHT:LEFT")); $0.append(ICEPriority(1)); $0.append(ICEControlling(tieBreaker: 1))
            $0.append(STUNAttribute(type: STUNAttributeType(rawValue: 0x7777), value: [1, 2, 3, 4]))
        }
        guard case let .reject(rejection) = ICEConnectivityCheck.validate(bytes, local: Agents.right) else {
            Issue.record("expected a rejection"); return
        }
        #expect(rejection.code == .unknownAttribute && rejection.authenticated)
        #expect(rejection.unknownAttributes == [STUNAttributeType(rawValue: 0x7777)])
        let answer = try STUNMessage(parsing: try ICEResponses.error(for: rejection, local: Agents.right))
        #expect(try answer.attribute(UnknownAttributes.self)?.types == [STUNAttributeType(rawValue: 0x7777)])
        #expect(answer.errorCode?.code == .unknownAttribute)
    }

    @Test("garbage, responses and a broken FINGERPRINT are discarded; an indication is a keepalive")
    func discards() throws {
        #expect(isDiscard(ICEConnectivityCheck.validate([0x17, 0xFE, 0xFD, 0, 0], local: Agents.right)))
        #expect(isDiscard(ICEConnectivityCheck.validate([], local: Agents.right)))
        var bytes = try Agents.check().encode()
        bytes[bytes.count - 1] ^= 0xFF
        #expect(isDiscard(ICEConnectivityCheck.validate(bytes, local: Agents.right)))
        let indication = try STUNMessage(type: .bindingIndication, transactionID: Agents.tid).encode(fingerprint: true)
        #expect(ICEConnectivityCheck.validate(indication, local: Agents.right) == .keepalive)
        let response = try STUNMessage(type: .bindingSuccess, transactionID: Agents.tid).encode()
        #expect(isDiscard(ICEConnectivityCheck.validate(response, local: Agents.right)))
    }

    @Test("every truncation of a valid check is handled without a trap")
    func truncations() throws {
        let bytes = try Agents.check(nominates: true).encode()
        for length in 0..<bytes.count {
            if case .check = ICEConnectivityCheck.validate(Array(bytes.prefix(length)), local: Agents.right) {
                Issue.record("a \(length)-byte prefix was accepted")
            }
        }
    }

    private func code(_ verdict: ICEInboundVerdict) -> STUNErrorCode? {
        if case let .reject(rejection) = verdict { return rejection.code }
        return nil
    }

    private func isDiscard(_ verdict: ICEInboundVerdict) -> Bool {
        if case .discard = verdict { return true }
        return false
    }
}

@Suite("Connectivity check responses")
struct CheckResponseTests {
    /// Right validates Left's check and answers it; Left judges the answer.
    func roundTrip(answer: (ICEInboundCheck) throws -> [UInt8], from source: TransportAddress = Agents.rightAddress,
                   receivedOn: TransportAddress = Agents.leftAddress) throws -> ICEResponseVerdict {
        let check = try Agents.check()
        guard case let .check(inbound) = ICEConnectivityCheck.validate(try check.encode(), local: Agents.right) else {
            throw ICEError(.malformedMessage, "check did not validate")
        }
        let pending = ICEPendingCheck(check: check, sentFrom: Agents.leftAddress, sentTo: Agents.rightAddress)
        return pending.judge(try answer(inbound), from: source, receivedOn: receivedOn)
    }

    @Test("a success response reports the mapped address the peer saw")
    func success() throws {
        let mapped = try TransportAddress(parsing: "127.0.0.1:5999")
        let verdict = try roundTrip { try ICEResponses.success(to: $0, source: mapped, local: Agents.right) }
        #expect(verdict == .succeeded(mappedAddress: mapped))
    }

    @Test("a 487 signed by the peer is a role conflict")
    func roleConflict() throws {
        #expect(try roundTrip { try ICEResponses.roleConflict(to: $0, local: Agents.right) } == .roleConflict)
    }

    @Test("a response signed with the wrong password is ignored, not a failure")
    func wrongPassword() throws {
        let verdict = try roundTrip { try ICEResponses.success(to: $0, source: Agents.leftAddress, local: Agents.left) }
        guard case .discard = verdict else { Issue.record("expected discard, got \(verdict)"); return }
    }

    @Test("an answer from another address fails the pair as non-symmetric")
    func nonSymmetric() throws {
        let elsewhere = try TransportAddress(parsing: "127.0.0.2:6000")
        let verdict = try roundTrip(answer: { try ICEResponses.success(to: $0, source: Agents.leftAddress, local: Agents.right) },
                                    from: elsewhere)
        guard case .failed(nil, _) = verdict else { Issue.record("expected failure, got \(verdict)"); return }
    }

    @Test("an authenticated error other than 487 fails the pair; another transaction is ignored")
    func otherErrorsAndTransactions() throws {
        let failure = try roundTrip { inbound in
            let rejection = ICECheckRejection(transactionID: inbound.transactionID, code: .badRequest, reason: "",
                                              unknownAttributes: [], authenticated: true)
            return try ICEResponses.error(for: rejection, local: Agents.right)
        }
        #expect({ if case .failed(.badRequest?, _) = failure { return true } else { return false } }())
        let stranger = try roundTrip { _ in
            var message = STUNMessage(type: .bindingSuccess, transactionID: try TransactionID(bytes: Array(repeating: 9, count: 12)))
            message.append(XORMappedAddress(Agents.leftAddress))
            return try message.encode(integrityKey: .shortTerm(password: Agents.right.password), fingerprint: true)
        }
        guard case .discard = stranger else { Issue.record("expected discard, got \(stranger)"); return }
    }
}

@Suite("Credentials")
struct CredentialsTests {
    @Test("ufrag 4-256 and password 22-256 ice-chars; anything else is API misuse")
    func grammar() throws {
        #expect(throws: ICEError.self) { try ICECredentials(ufrag: "abc", password: String(repeating: "p", count: 22)) }
        #expect(throws: ICEError.self) { try ICECredentials(ufrag: "abcd", password: String(repeating: "p", count: 21)) }
        #expect(throws: ICEError.self) { try ICECredentials(ufrag: "ab:d", password: String(repeating: "p", count: 22)) }
        let ok = try ICECredentials(ufrag: "a+/9", password: String(repeating: "p", count: 22))
        #expect(!ok.description.contains("pppp"))
    }

    @Test("random credentials are valid and reproducible by seed")
    func random() {
        var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1)
        let first = ICECredentials.random(using: &a), again = ICECredentials.random(using: &b)
        #expect(first == again)
        #expect(first.ufrag.count == 8 && first.password.count == 24)
        #expect(ICECredentials.isICEChars(first.ufrag + first.password))
    }
}

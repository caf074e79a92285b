import Wire

extension STUNServer {
    /// The outcome of the credential checks of RFC 8489 §9.
    enum AuthenticationResult {
        /// Go on; sign the response with `key` (nil: unsigned) using `algorithm`.
        case accept(key: STUNKey?, algorithm: STUNIntegrityAlgorithm, username: String?)
        /// Answer with this error instead.
        case reject(Reply)
    }

    func authenticate(_ request: STUNMessage, bytes: [UInt8], at now: Instant) -> AuthenticationResult {
        let algorithm: STUNIntegrityAlgorithm = request.contains(.messageIntegritySHA256) ? .hmacSHA256 : .hmacSHA1
        let signed = request.contains(.messageIntegrity) || request.contains(.messageIntegritySHA256)
        switch configuration.authentication {
        case .none:
            return .accept(key: nil, algorithm: algorithm, username: nil)
        case let .shortTerm(users):
            return shortTerm(request, bytes: bytes, users: users, signed: signed, algorithm: algorithm)
        case let .longTerm(realm, users, _):
            return longTerm(request, bytes: bytes, realm: realm, users: users, signed: signed, algorithm: algorithm, at: now)
        }
    }

    /// RFC 8489 §9.1.3. Error responses here are unsigned: the server has no key it trusts yet.
    private func shortTerm(_ request: STUNMessage, bytes: [UInt8], users: [String: String],
                           signed: Bool, algorithm: STUNIntegrityAlgorithm) -> AuthenticationResult {
        let username = try? request.attribute(Username.self)
        guard signed, let username else {
            let missing = signed ? "USERNAME" : (username == nil ? "MESSAGE-INTEGRITY and USERNAME" : "MESSAGE-INTEGRITY")
            return .reject(Reply(error: .badRequest, reason: "short-term credentials required: missing \(missing)"))
        }
        guard let password = users[username.value] else {
            return .reject(Reply(error: .unauthenticated, reason: "unknown username \"\(username.value)\""))
        }
        let key = STUNKey.shortTerm(password: password)
        guard STUNMessage.verifyIntegrity(of: bytes, key: key).isValid else {
            return .reject(Reply(error: .unauthenticated, reason: "MESSAGE-INTEGRITY does not match user \"\(username.value)\""))
        }
        return .accept(key: key, algorithm: algorithm, username: username.value)
    }

    /// RFC 8489 §9.2.4, in its order: no integrity -> 401 challenge; integrity
    /// without USERNAME/REALM/NONCE -> 400; unknown user -> 401; bad HMAC -> 401;
    /// stale nonce -> 438 (only after the HMAC checks out, so only clients that
    /// know the password learn that their nonce merely expired).
    private func longTerm(_ request: STUNMessage, bytes: [UInt8], realm: String, users: [String: String],
                          signed: Bool, algorithm: STUNIntegrityAlgorithm, at now: Instant) -> AuthenticationResult {
        func challenge(_ code: STUNErrorCode, _ reason: String) -> AuthenticationResult {
            var extra: [STUNAttribute] = []
            if let realmAttribute = try? Realm(realm) { extra.append(STUNAttribute(realmAttribute, transactionID: request.transactionID)) }
            if let nonce = try? Nonce(nonces.issue(at: now)) { extra.append(STUNAttribute(nonce, transactionID: request.transactionID)) }
            return .reject(Reply(error: code, reason: reason, extra: extra))
        }
        guard signed else {
            return challenge(.unauthenticated, "long-term credentials required: challenge with REALM and NONCE")
        }
        let username = try? request.attribute(Username.self)
        let requestRealm = try? request.attribute(Realm.self)
        let nonce = try? request.attribute(Nonce.self)
        guard let username, requestRealm != nil, let nonce else {
            var missing: [String] = []
            if username == nil { missing.append("USERNAME") }
            if requestRealm == nil { missing.append("REALM") }
            if nonce == nil { missing.append("NONCE") }
            return .reject(Reply(error: .badRequest, reason: "MESSAGE-INTEGRITY without \(missing.joined(separator: ", "))"))
        }
        guard let password = users[username.value] else {
            return challenge(.unauthenticated, "unknown username \"\(username.value)\"")
        }
        let key = STUNKey.longTerm(username: username.value, realm: realm, password: password)
        guard STUNMessage.verifyIntegrity(of: bytes, key: key).isValid else {
            return challenge(.unauthenticated, "MESSAGE-INTEGRITY does not match user \"\(username.value)\" in realm \"\(realm)\"")
        }
        switch nonces.check(nonce.value, at: now) {
        case .valid:
            return .accept(key: key, algorithm: algorithm, username: username.value)
        case .expired:
            return challenge(.staleNonce, "nonce expired: retry with the new NONCE")
        case .forged:
            return challenge(.staleNonce, "nonce was not issued by this server: retry with the new NONCE")
        }
    }
}

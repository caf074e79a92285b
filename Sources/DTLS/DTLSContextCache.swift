import COpenSSL
import Wire
import CShims

/// The `SSL_CTX`s made for one certificate, shared by every endpoint that uses it.
///
/// Why: OpenSSL 3 spends most of an endpoint's set-up in `SSL_CTX_new` (provider
/// and algorithm fetches: about 70 % of a fuzz execution that builds four endpoints,
/// measured with perf), while `SSL_new` on a ready context is cheap. A context holds
/// only what is the same for every connection of a certificate: the protocol
/// version, cipher list, certificate and key, the verify, key-log and cookie
/// callbacks (plain C functions that find their endpoint through the `SSL`'s ex
/// data) and the SRTP profiles. What differs per connection (remote fingerprints,
/// role, MTU, cookie option) lives on the `SSL`.
///
/// Sharing a context must not let one connection's state reach another, so shared
/// contexts keep no sessions: the session cache is off and tickets are off
/// (`lab_dtls_ctx_forbid_resumption`). Otherwise a peer could resume, with a session
/// ID from an earlier connection, a handshake whose certificate was checked against
/// that earlier connection's fingerprint, skipping this one's check.
///
/// Thread safety: OpenSSL allows `SSL_new` on one context from several threads
/// once the context is no longer modified, which holds here (it is fully set up
/// before it enters the table, under the lock).
final class DTLSContextCache: Sendable {
    /// What a context depends on besides the certificate.
    struct Key: Hashable, Sendable {
        var keyLogging: Bool
        var srtpProfiles: [String]
        var cookieExchange: Bool
    }

    /// `OpaquePointer` is not Sendable; the table only hands out up-referenced copies.
    private struct Table: @unchecked Sendable {
        var contexts: [Key: OpaquePointer] = [:]
    }

    private let table = Locked(Table())

    /// A context for `key`, made with `make` the first time, returned with a reference
    /// the caller owns (free it with `SSL_CTX_free`).
    func context(for key: Key, make: () throws(DTLSError) -> OpaquePointer) throws(DTLSError) -> OpaquePointer {
        try table.withLock { (table: inout Table) throws(DTLSError) -> OpaquePointer in
            if let shared = table.contexts[key] {
                SSL_CTX_up_ref(shared)
                return shared
            }
            let made = try make()
            table.contexts[key] = made
            SSL_CTX_up_ref(made)
            return made
        }
    }

    /// How many contexts are cached (for tests).
    var count: Int { table.withLock { $0.contexts.count } }

    deinit {
        // Endpoints still alive hold their own references; this drops the cache's.
        table.withLock { table in
            for context in table.contexts.values { SSL_CTX_free(context) }
            table.contexts = [:]
        }
    }
}

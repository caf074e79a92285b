import Foundation
import JWTKit
import MeshProtocol

/// The claims of a registry token, chatixia-mesh's: `sub` (the peer id), `role`,
/// `iat` and `exp` as whole seconds since 1970 (chatixia's Rust claims read
/// integers, so the times are never written with a fraction).
public struct RegistryClaims: JWTPayload, Hashable {
    /// The peer id.
    public var sub: String
    /// The role (`agent` unless a key file says otherwise).
    public var role: String
    /// Issued at, seconds since 1970.
    public var iat: Int64
    /// Expires at, seconds since 1970.
    public var exp: Int64

    /// Claims.
    public init(sub: String, role: String, iat: Int64, exp: Int64) {
        self.sub = sub
        self.role = role
        self.iat = iat
        self.exp = exp
    }

    /// Nothing to check here: jwt-kit calls this without a time, and expiry is
    /// checked by `TokenAuthority.verify` against the time it is given, so that
    /// tests can inject one.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// A freshly minted token and what it says.
public struct MintedToken: Hashable, Sendable {
    /// The JWT.
    public let token: String
    /// Its claims.
    public let claims: RegistryClaims
}

/// Why a token was refused (the reason is logged and sent with the 401; the token
/// itself never is).
public enum TokenRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// No token at all.
    case missing
    /// Not a JWT (three base64url parts with JSON inside), or too long to be ours.
    case malformed
    /// A JWT, but not HS256 (`none`, RS256, HS512...): refused whatever its signature.
    case algorithm(String)
    /// The signature does not match our secret.
    case signature
    /// Expired (or its `exp` is unreadable).
    case expired
    /// Signed by us but unusable: an empty `sub`, or one too long.
    case claims(String)

    /// One line.
    public var description: String {
        switch self {
        case .missing: return "no token (GET /ws?token=JWT; get one from POST /api/token)"
        case .malformed: return "not a JWT"
        case let .algorithm(alg): return "algorithm '\(alg)' refused: tokens are HS256"
        case .signature: return "bad signature (a token from another registry or secret?)"
        case .expired: return "token expired: get a fresh one from POST /api/token"
        case let .claims(reason): return "bad claims: \(reason)"
        }
    }
}

/// Mints and checks the registry's JWTs with jwt-kit: HS256 only, with the
/// registry's secret, `exp` checked against the time given.
///
/// jwt-kit picks its verifier by the key, not by the token's header, so a token
/// whose header says `none` (or anything but HS256) is refused here, before the
/// signature is looked at: the algorithm is the key's, never the token's to choose.
public struct TokenAuthority: Sendable {
    /// The one algorithm.
    public static let algorithm = "HS256"
    /// The longest token accepted; ours are about 200 bytes.
    public static let maxTokenBytes = 4096
    /// The longest `sub` accepted.
    public static let maxPeerIDBytes = 256

    private let keys: JWTKeyCollection
    /// How long minted tokens live.
    public let lifetime: Duration
    /// Whether the secret was generated for this run.
    public let secretWasGenerated: Bool

    /// An authority signing with `secret` (already checked for length).
    public init(secret: RegistrySecret, lifetime: Duration = MeshDefaults.tokenLifetime) async {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .integerSecondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret.bytes), digestAlgorithm: .sha256,
                       serializer: DefaultJWTSerializer(jsonEncoder: encoder))
        self.lifetime = lifetime
        secretWasGenerated = secret.wasGenerated
    }

    /// Mints a token for `peerID` with `role`, issued at `now`, living `lifetime`
    /// (the authority's when nil).
    public func mint(peerID: String, role: String, now: Date = Date(), lifetime: Duration? = nil) async throws(RegistryError) -> MintedToken {
        let iat = Int64(now.timeIntervalSince1970.rounded(.down))
        let exp = iat + max(1, (lifetime ?? self.lifetime).components.seconds)
        let claims = RegistryClaims(sub: peerID, role: role, iat: iat, exp: exp)
        do {
            return MintedToken(token: try await keys.sign(claims), claims: claims)
        } catch {
            throw RegistryError(.minting, "cannot sign a token: \(error)")
        }
    }

    /// Checks a token: HS256, our signature, not expired at `now`, a usable `sub`.
    public func verify(_ token: String?, now: Date = Date()) async throws(TokenRejection) -> RegistryClaims {
        guard let token, !token.isEmpty else { throw .missing }
        guard token.utf8.count <= Self.maxTokenBytes else { throw .malformed }
        let header: JWTHeader
        do {
            header = try DefaultJWTParser().parse(Array(token.utf8), as: RegistryClaims.self).header
        } catch {
            throw .malformed
        }
        guard header.alg == Self.algorithm else { throw .algorithm(header.alg ?? "(none given)") }
        let claims: RegistryClaims
        do {
            claims = try await keys.verify(token, as: RegistryClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .signature
        } catch {
            throw .malformed
        }
        guard Int64(now.timeIntervalSince1970) < claims.exp else { throw .expired }
        guard !claims.sub.isEmpty else { throw .claims("empty sub") }
        guard claims.sub.utf8.count <= Self.maxPeerIDBytes else { throw .claims("sub longer than \(Self.maxPeerIDBytes) bytes") }
        return claims
    }
}

import AsyncHTTPClient
import Foundation
import MeshProtocol
import NIOCore
import NIOPosix

/// What `POST /api/token` answers: `{"token","peer_id","role"}`.
public struct MeshToken: Sendable, Hashable {
    /// The JWT for `GET /ws?token=`.
    public var token: String
    /// Our peer id (the token's `sub`).
    public var peerID: String
    /// The role the registry gave us (`agent`).
    public var role: String

    /// A token response.
    public init(token: String, peerID: String, role: String) {
        self.token = token
        self.peerID = peerID
        self.role = role
    }

    /// Reads a token response body.
    public init(json text: String) throws(MeshAgentError) {
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch {
            throw MeshAgentError(code: "token_failed", description: "the token response is not JSON: \(error)")
        }
        guard let token = value["token"]?.stringValue, !token.isEmpty,
              let peerID = value["peer_id"]?.stringValue, !peerID.isEmpty else {
            throw MeshAgentError(code: "token_failed", description: "the token response lacks \"token\" or \"peer_id\"")
        }
        self.init(token: token, peerID: peerID, role: value["role"]?.stringValue ?? "agent")
    }
}

/// Gets tokens from the registry (`POST /api/token`), as chatixia's sidecar does:
/// `x-api-key` with a key, or our lab-mode `x-peer-name`.
enum MeshTokenClient {
    /// The largest token response read (a JWT and two short strings).
    static let maxResponseBytes = 64 * 1024

    /// Fetches a token (`.token` credentials are returned as they are; their peer id
    /// is read from the JWT's `sub` claim, without checking the signature: the
    /// registry checks it).
    static func fetch(_ configuration: MeshAgentConfiguration, timeout: Duration) async throws(MeshAgentError) -> MeshToken {
        var request = HTTPClientRequest(url: configuration.tokenURL)
        request.method = .POST
        switch configuration.credentials {
        case let .apiKey(key): request.headers.add(name: "x-api-key", value: key)
        case let .name(name): request.headers.add(name: "x-peer-name", value: name)
        case let .token(jwt): return try token(fromJWT: jwt)
        }
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: "{}"))
        let seconds = max(1, timeout.components.seconds)
        try await probe(configuration.tokenURL, timeout: timeout)
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(seconds))
            body = try await response.body.collect(upTo: maxResponseBytes)
        } catch {
            throw .registryUnreachable(configuration.tokenURL, Self.describe(error))
        }
        let text = String(buffer: body)
        switch response.status.code {
        case 200:
            return try MeshToken(json: text)
        case 401:
            let how: String = switch configuration.credentials {
            case .apiKey: "the API key was refused (a registry in lab mode, without a key file, takes names instead: --name)"
            case .name: "the peer name was refused (a registry with a key file takes only API keys: --api-key)"
            case .token: "the token was refused"
            }
            throw .unauthorized("401 from \(configuration.tokenURL): \(how)")
        default:
            throw MeshAgentError(code: "token_failed",
                                 description: "\(configuration.tokenURL) answered \(response.status.code): \(text.prefix(200))")
        }
    }

    /// Opens and closes one TCP connection to the token URL's host and port.
    /// AsyncHTTPClient retries a refused connection until the request's deadline;
    /// a registry that is not running should be reported at once, not after it.
    static func probe(_ url: String, timeout: Duration) async throws(MeshAgentError) {
        guard let parsed = URL(string: url), let host = parsed.host else {
            throw MeshAgentError(code: "token_failed", description: "not a URL: \(url)")
        }
        let port = parsed.port ?? (parsed.scheme == "https" ? 443 : 80)
        let seconds = max(1, timeout.components.seconds)
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(seconds))
                .connect(host: host, port: port).get()
            try? await channel.close()
        } catch {
            throw .registryUnreachable(url, describe(error))
        }
    }

    /// A ready JWT: the peer id is its payload's `sub`.
    static func token(fromJWT jwt: String) throws(MeshAgentError) -> MeshToken {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw MeshAgentError(code: "token_failed", description: "the given token is not a JWT (three dot-separated parts)")
        }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let claims = try? JSONValue.parse(data),
              let sub = claims["sub"]?.stringValue, !sub.isEmpty else {
            throw MeshAgentError(code: "token_failed", description: "the given token has no readable \"sub\" claim")
        }
        return MeshToken(token: jwt, peerID: sub, role: claims["role"]?.stringValue ?? "agent")
    }

    /// A short reason from a connection error (NIO's descriptions are long).
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") || text.contains("ECONNREFUSED") {
            return "connection refused"
        }
        return String(text.prefix(200))
    }
}

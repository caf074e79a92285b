import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MeshProtocol

/// The registry's plain HTTP routes: `POST /api/token`, `GET /` (the chat page),
/// `GET /healthz`, and `GET /ws` without an upgrade (401 or 426).
struct RegistryRoutes: Sendable {
    let authority: TokenAuthority
    let apiKeys: APIKeyFile?
    let hub: RegistryHub
    let logger: Logger

    /// Adds the routes to `router`.
    func add(to router: Router<BasicRequestContext>) {
        router.post("/api/token") { request, _ in await token(request) }
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: ChatPage.html)))
        }
        router.get("/healthz") { _, _ in
            let document: JSONValue = ["ok": true, "mode": .string(apiKeys == nil ? "lab" : "keys"),
                                       "peers": .int(Int64(hub.registeredPeers.count))]
            return Self.json(.ok, document)
        }
        router.get("/ws") { request, _ in
            do {
                _ = try await authority.verify(request.uri.queryParameters["token"].map(String.init))
            } catch {
                return Self.text(.unauthorized, "unauthorized: \(error)")
            }
            return Self.text(.upgradeRequired, "GET /ws is a WebSocket: send Upgrade: websocket")
        }
    }

    /// `POST /api/token`: `x-api-key` (keys mode) or `x-peer-name` (lab mode) → `{"token","peer_id","role"}`.
    func token(_ request: Request) async -> Response {
        let via: String
        let entry: APIKeyFile.Entry
        if let apiKeys {
            guard let key = request.headers[.apiKey], let found = apiKeys.lookup(key) else {
                logger.info("token refused: unknown or missing API key")
                return Self.text(.unauthorized, request.headers[.apiKey] == nil
                    ? "unauthorized: send the header x-api-key" : "unauthorized: unknown API key")
            }
            (entry, via) = (found, "api_key")
        } else {
            guard let name = request.headers[.peerName] else {
                logger.info("token refused: no x-peer-name in lab mode")
                return Self.text(.unauthorized, "unauthorized: this registry runs in lab mode (no API keys): "
                    + "send the header x-peer-name: NAME")
            }
            if let problem = LabPeerName.problem(name) {
                return Self.text(.badRequest, "bad x-peer-name: \(problem)")
            }
            (entry, via) = (APIKeyFile.Entry(peerID: name, role: "agent"), "lab")
        }
        do {
            let minted = try await authority.mint(peerID: entry.peerID, role: entry.role)
            logger.info("issued token", metadata: ["peer_id": "\(entry.peerID)", "via": "\(via)"])
            return Self.json(.ok, ["token": .string(minted.token), "peer_id": .string(entry.peerID),
                                   "role": .string(entry.role)])
        } catch {
            logger.error("cannot mint a token", metadata: ["error": "\(error)"])
            return Self.text(.internalServerError, "cannot mint a token")
        }
    }

    static func json(_ status: HTTPResponse.Status, _ document: JSONValue) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: document.jsonText)))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}

extension HTTPField.Name {
    /// chatixia's API key header.
    static let apiKey = HTTPField.Name("x-api-key")!
    /// Lab mode's name header.
    static let peerName = HTTPField.Name("x-peer-name")!
}

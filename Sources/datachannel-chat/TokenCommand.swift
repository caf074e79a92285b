import ArgumentParser
import Foundation
import MeshProtocol
import MeshRegistry
import ToolSupport

/// `datachannel-chat token`: mints a registry token from `SIGNALING_SECRET`, as
/// the registry would, for a registry started with the same secret.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Mint a registry token (HS256 JWT) from SIGNALING_SECRET.",
        discussion: """
        Signs {"sub":NAME,"role":ROLE,"iat":NOW,"exp":NOW+LIFETIME} with HS256 and the secret in the \
        environment variable SIGNALING_SECRET (at least 32 bytes; never given on the command line, where ps \
        would show it). A registry started with the same secret (datachannel-chat serve) accepts the token on \
        GET /ws?token=JWT, and `datachannel-chat join --token` uses it without asking the registry for one.

        Prints the token alone, or with --json one line {"token","peer_id","role","exp"} (exp in seconds \
        since 1970).

        ENVIRONMENT:
          SIGNALING_SECRET   the registry's signing secret (required)

        EXAMPLES:
          export SIGNALING_SECRET=$(openssl rand -hex 32)
          datachannel-chat serve &
          datachannel-chat token --name alice
          datachannel-chat token --name bob --role observer --lifetime 3600 --json

        EXIT CODES:
        \(ChatExit.helpTable([
            .success: "the token was printed",
            .usage: "bad arguments, or SIGNALING_SECRET missing or under 32 bytes",
            .localFailure: "the token could not be signed",
        ]))
        """
    )

    @Option(help: ArgumentHelp("The peer id the token names: 1-64 of [A-Za-z0-9._-].", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The role claim.", valueName: "role"))
    var role: String = "agent"

    @Option(help: ArgumentHelp("Seconds the token lives (1...86400).", valueName: "seconds"))
    var lifetime: Int = Int(MeshDefaults.tokenLifetime.components.seconds)

    @Flag(help: "Print one JSON line {\"token\",\"peer_id\",\"role\",\"exp\"} instead of the token alone.")
    var json = false

    func validate() throws {
        if let problem = LabPeerName.problem(name) { throw ValidationError("--name: \(problem)") }
        guard !role.isEmpty, role.utf8.count <= 64 else { throw ValidationError("--role must be 1-64 bytes") }
        guard (1...86_400).contains(lifetime) else { throw ValidationError("--lifetime must be 1...86400 seconds, got \(lifetime)") }
    }

    func run() async throws {
        let secret = try Self.secret(from: ProcessInfo.processInfo.environment)
        let authority = await TokenAuthority(secret: secret, lifetime: .seconds(lifetime))
        let minted: MintedToken
        do {
            minted = try await authority.mint(peerID: name, role: role)
        } catch {
            throw ChatFailure(.localFailure, error.description)
        }
        if json {
            let line: JSONValue = ["token": .string(minted.token), "peer_id": .string(name), "role": .string(role),
                                   "exp": .int(minted.claims.exp)]
            print(line.jsonText)
        } else {
            print(minted.token)
        }
    }

    /// The secret from SIGNALING_SECRET: missing or short is a usage error.
    static func secret(from environment: [String: String]) throws -> RegistrySecret {
        guard let text = environment["SIGNALING_SECRET"], !text.isEmpty else {
            throw ChatFailure(.usage, "SIGNALING_SECRET is not set: export the registry's secret "
                + "(e.g. export SIGNALING_SECRET=$(openssl rand -hex 32), and start the registry with it)")
        }
        do {
            return try RegistrySecret(text: text)
        } catch {
            throw ChatFailure(.usage, "SIGNALING_SECRET is \(text.utf8.count) bytes; HS256 needs at least "
                + "\(MeshDefaults.minimumSecretBytes) (e.g. export SIGNALING_SECRET=$(openssl rand -hex 32))")
        }
    }
}

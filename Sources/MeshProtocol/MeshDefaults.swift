/// Defaults shared by the registry, the sidecar and the demo, chosen to match
/// chatixia-mesh's so that its clients and ours agree without configuration.
public enum MeshDefaults {
    /// The label of the channel every pair of agents opens (ordered, reliable).
    public static let channelLabel = "mesh"
    /// The `peer_id` on frames the registry itself sends.
    public static let registryPeerID = "registry"
    /// A token's lifetime: chatixia's 5 minutes.
    public static let tokenLifetime: Duration = .seconds(300)
    /// The shortest HS256 secret accepted (RFC 7518 §3.2: a key at least as long as the hash).
    public static let minimumSecretBytes = 32
    /// The registry's port when neither `PORT` nor `--listen` says otherwise (chatixia's).
    public static let port = 8080
}

/// Who is at fault for an error: the remote peer, or the local caller.
///
/// Every module's error type answers this the same way (ARCHITECTURE.md keeps
/// "you misused the API" apart from "the peer broke the protocol"), so the
/// answer is one shared type rather than a copy per module.
public enum FaultOrigin: String, Hashable, Sendable {
    /// The remote side sent input that breaks its protocol or cannot be used.
    case peer
    /// The local caller misused the API.
    case caller
}

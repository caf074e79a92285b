/// The web page the registry serves at `/`: a person joins the mesh from a
/// browser with the browser's own RTCPeerConnection.
///
/// One document (HTML, CSS and JavaScript, no external resources, so it works
/// offline and the registry serves it without a file system). The page takes a
/// token (`POST /api/token`, lab mode by name, else by API key), opens
/// `/ws?token=`, registers, offers a "mesh" DataChannel to every peer in
/// `peer_list`, answers offers (glare: the lower peer id keeps its offer), keeps
/// candidates that come before their description, shows presence from
/// `peer_joined`/`peer_left`, and exchanges `chat` mesh messages
/// (`{"type","request_id","source_agent","target_agent","payload":{"text"}}`).
/// Peer data reaches the DOM only as text. `window.meshTest` is a read-only hook
/// for `scripts/interop/chromium_mesh.py`.
public enum ChatPage {
    /// The whole page, served as `text/html; charset=utf-8`. Its parts are raw strings
    /// (so the JavaScript's backslashes and `\(` stay as written), one file each, joined
    /// by newlines: the head and style sheet, the markup, and the script in four parts.
    public static let html = [head, markup, scriptView, scriptSignaling, scriptPeers, scriptMessages]
        .joined(separator: "\n")
}

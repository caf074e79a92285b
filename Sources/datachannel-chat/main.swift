// datachannel-chat: WebRTC DataChannels end to end (RFC 8831, RFC 8832) over our
// own PeerConnection; `echo` speaks the webrtc-echoes interop convention. See
// ChatCommand for the subcommands and ChatExit for the exit codes.
import ToolSupport

await ToolMain.runAsync(ChatCommand.self, name: "datachannel-chat", exits: ChatExit.self)

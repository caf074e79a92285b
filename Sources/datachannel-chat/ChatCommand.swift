import ArgumentParser

/// The command line of datachannel-chat.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datachannel-chat",
        abstract: "WebRTC DataChannels end to end: our PeerConnection against any WebRTC stack.",
        discussion: """
        Every layer of the lab's stack at once: ICE on loopback, DTLS 1.2, SCTP over DTLS, and DCEP opening \
        channels (RFC 8832). `echo` follows the webrtc-echoes interop convention, so any stack that follows it \
        (a browser page, aiortc, Pion, libdatachannel) can be matched against ours, in either role.

        EXIT CODES:
        \(ChatExit.helpTable)
        """,
        subcommands: [DemoCommand.self, EchoCommand.self, JoinCommand.self, ServeCommand.self, SidecarCommand.self, TokenCommand.self]
    )
}

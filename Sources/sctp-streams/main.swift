// sctp-streams: SCTP (RFC 9260) over DTLS (RFC 8261) over loopback UDP, the four
// WebRTC delivery modes (RFC 8831 §6.1) measured under induced loss; see
// StreamsCommand for options and exit codes.
import ToolSupport

ToolMain.run(StreamsCommand.self, name: "sctp-streams", exits: StreamsExit.self)

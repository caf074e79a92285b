// dtls-handshake: a DTLS 1.2 handshake (RFC 6347) as WebRTC runs it (RFC 8827 §6.5,
// RFC 8842), made visible flight by flight; see HandshakeCommand for options and exit codes.
import ToolSupport

ToolMain.run(HandshakeCommand.self, name: "dtls-handshake", exits: HandshakeExit.self)

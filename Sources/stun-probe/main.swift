// stun-probe: a STUN (RFC 8489) Binding client that shows the exchange byte by
// byte, plus a server to probe. See ProbeCommand for the options and exit codes.
import ToolSupport

ToolMain.run(ProbeCommand.self, name: "stun-probe", exits: ProbeExit.self)

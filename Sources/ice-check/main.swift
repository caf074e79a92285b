// ice-check: ICE (RFC 8445) made visible: two agents over loopback UDP or simulated NATs
// (the default `run`), and SDP explained (`sdp`); see IceCheckCommand for options and exit codes.
import ToolSupport

ToolMain.run(IceCheckCommand.self, name: "ice-check", exits: IceCheckExit.self)

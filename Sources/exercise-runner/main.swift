// exercise-runner: runs the lab's checks against the Exercises module it was built with.
//
// The lab builds this executable once per submission (in a scratch workspace whose
// Exercises target is that submission) and starts it once per check, so a trap or an
// endless loop in student code costs only the check that triggered it. It prints JSON
// lines and never decides about time limits: the parent process does.
import ExerciseChecks
import Exercises

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let usage = """
    usage: exercise-runner --list          print every check as a JSON array
           exercise-runner --check ID      run one check, print its result as one JSON line
           exercise-runner --check ID --sealed
                                           the same, the line prefixed with the seal read from stdin's
                                           first line (how `lab` runs it: see ResultSeal in LabKit)
           exercise-runner --all           run every check in this process (no isolation), one line each
           exercise-runner --demo-report   run exercise 08's demo checks on the `datachannel-chat demo --json`
                                           report read from stdin (not graded), one line each
    """

let checks = CheckSuite.checks(
    protocolStack: ProtocolStack.self, stunCoding: STUNCoding.self,
    candidatePriority: CandidatePriority.self, sdpReading: SDPOfferReading.self, dtlsFingerprint: DTLSFingerprint.self,
    deliveryModes: DeliveryModes.self, dcepOpen: DCEPOpen.self, meshCost: MeshCost.self,
    stunTransaction: StunTransaction.self, iceChecklist: IceChecklist.self, dcepChannel: DCEPChannel.self,
    streamReceive: StreamReceive.self, debugByLayer: DebugByLayer.self)
let arguments = Array(CommandLine.arguments.dropFirst())

func fail(_ message: String, code: Int32) -> Never {
    // Straight to file descriptor 2: no Foundation, and no shared C `stderr` global.
    let text = "exercise-runner: " + message + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    exit(code)
}

/// Reads the seal before any student code runs, takes stdin away (so the code under test
/// cannot read the seal again: stdin is a file), runs the check and prints the sealed line.
/// The seal stays in this function's locals, out of every global.
func runSealed(_ check: ExerciseCheck) {
    guard let line = readLine(), line.utf8.count == 32,
          line.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
        fail("--sealed expects 32 lowercase hex digits on stdin's first line", code: 66)
    }
    let null = open("/dev/null", O_RDONLY)
    guard null >= 0, dup2(null, 0) == 0 else {
        fail("cannot point stdin at /dev/null", code: 71)
    }
    close(null)
    let result = check.result().jsonLine
    print(line + " " + result)
}

switch arguments.first {
case "--list" where arguments.count == 1:
    print("[" + checks.map(\.descriptor.json).joined(separator: ",\n ") + "]")
case "--check" where arguments.count == 2 || (arguments.count == 3 && arguments[2] == "--sealed"):
    guard let check = checks.first(where: { $0.descriptor.id == arguments[1] }) else {
        fail("unknown check id '\(arguments[1])' (see --list)", code: 65)
    }
    if arguments.count == 3 {
        runSealed(check)
    } else {
        // Anything the student's code prints goes to the same buffered stdout first, so the
        // result is always the last line.
        print(check.result().jsonLine)
    }
case "--all" where arguments.count == 1:
    for check in checks { print(check.result().jsonLine) }
case "--demo-report" where arguments.count == 1:
    // The report comes on stdin so the runner needs no file API; `lab check 08` passes a live run's.
    var report = ""
    while let line = readLine(strippingNewline: false) { report += line }
    let demoChecks = CheckSuite.meshCostDemoChecks(
        meshCost: MeshCost.self, report: report, source: "the live run of `datachannel-chat demo --json`")
    for check in demoChecks { print(check.result().jsonLine) }
case "--help" where arguments.count == 1, "-h" where arguments.count == 1:
    print(usage)
default:
    fail("expected --list, --check ID, --all or --demo-report\n" + usage, code: 64)
}

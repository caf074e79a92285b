import FuzzSupport

/// The entry point: libFuzzer in a `-DFUZZING` build, the corpus replayer in a plain
/// one (both from FuzzSupport; see docs/FUZZING.md).
@main
struct SDPFuzz {
    static func main() {
        FuzzDriver.main(name: "sdp-fuzz", target: FuzzTarget.run)
    }
}

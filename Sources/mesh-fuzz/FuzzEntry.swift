import FuzzSupport

/// The entry point: libFuzzer in a `-DFUZZING` build, the corpus replayer in a plain
/// one (both from FuzzSupport; see docs/FUZZING.md).
@main
struct MeshFuzz {
    static func main() {
        FuzzDriver.main(name: "mesh-fuzz", target: FuzzTarget.run)
    }
}

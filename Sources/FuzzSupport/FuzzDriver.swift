// FuzzSupport: the plumbing every fuzz executable shares, so that a fuzz target
// is only its `(bytes) -> Void` function (docs/FUZZING.md).
//
// One source, two builds:
// - with `-sanitize=fuzzer -DFUZZING`: `FuzzDriver.main` hands the process to
//   libFuzzer's driver (LibFuzzerEntry.swift), which calls the target with each
//   generated input;
// - plainly (`swift build`): `FuzzDriver.main` replays corpus files through the
//   same target (CorpusReplay.swift), so CI and tests replay seed corpora
//   without libFuzzer.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a fuzz executable: libFuzzer in a `-DFUZZING` build, the corpus replayer otherwise.
public enum FuzzDriver {
    /// Takes over the process and never returns.
    /// - Parameters:
    ///   - name: the executable's name, used in its usage and result lines ("stun-fuzz").
    ///   - target: the function under test; it must not trap on any input. A
    ///     violated invariant should trap (`fatalError`), which is what libFuzzer
    ///     records as a crash and what makes a replay fail.
    public static func main(name: String, target: @escaping ([UInt8]) -> Void) -> Never {
        #if FUZZING
        exit(LibFuzzerEntry.run(target))
        #else
        exit(CorpusReplay(name: name, target: target).run(arguments: Array(CommandLine.arguments.dropFirst())))
        #endif
    }
}

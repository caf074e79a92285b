#if FUZZING
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The target libFuzzer calls. A C callback cannot capture a Swift closure, so the
/// target lives in a global.
///
/// `nonisolated(unsafe)` is safe here: it is written once, in `LibFuzzerEntry.run`,
/// before libFuzzer starts, and libFuzzer then calls the entry point from its one
/// fuzzing thread only (we never pass `-jobs`/`-workers` threads into one process:
/// those fork separate processes).
nonisolated(unsafe) private var registeredTarget: (([UInt8]) -> Void)?

/// libFuzzer's entry point: called once per generated input. Exported under the
/// conventional name as well, for tools that look the symbol up.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    registeredTarget?(bytes)
    return 0
}

/// libFuzzer's driver for programs that keep their own `main` (libFuzzer >= 11).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Why the fuzz executables keep a Swift `main`: SwiftPM links every executable
/// target with `--defsym main=<module>_main`, pointing `main` at the module's Swift
/// entry point, so libFuzzer's own `main` is never used. The executable's `@main`
/// calls `FuzzDriver.main`, which lands here and hands control to libFuzzer's
/// driver with the process arguments.
enum LibFuzzerEntry {
    static func run(_ target: @escaping ([UInt8]) -> Void) -> CInt {
        registeredTarget = target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        return LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput)
    }
}
#endif

import Foundation
import SocketDriver
import Wire
import Testing

/// A program running beside the test (a server, a peer): started, talked to, stopped
/// by `stop()` or when dropped. Its stderr goes to a log file, never a pipe, so a
/// chatty program can never block on a full pipe.
public final class BackgroundProgram {
    /// Where the program's standard output goes.
    public enum Output {
        /// A pipe, read with `readLine` / `readAvailable` (servers that announce their port).
        case pipe
        /// The log file, through the same handle as stderr (two handles would each write
        /// from offset 0 and overwrite each other's lines).
        case log
        /// A file of its own, returned as `stdout` by `finish`.
        case file
    }

    /// The running process (its status once it exited).
    public let process = Process()
    /// The command as a shell would show it (for failure messages).
    public let commandLine: String
    private let output: Output
    private let stdinPipe: Pipe?
    private let stdoutPipe = Pipe()
    private let logFile: URL
    private let stdoutFile: URL
    private var buffered = Data()
    private let started = SystemClock.now()

    /// Starts `path` with `arguments`. With `input` its stdin is a pipe (`send`, `closeInput`),
    /// otherwise /dev/null.
    public init(_ path: String, _ arguments: [String], input: Bool = true, output: Output = .pipe) throws {
        commandLine = ([path] + arguments).joined(separator: " ")
        self.output = output
        let name = URL(fileURLWithPath: path).lastPathComponent
        logFile = URL(fileURLWithPath: Programs.temporaryPath("bg-\(name)", ".log"))
        stdoutFile = URL(fileURLWithPath: Programs.temporaryPath("bg-\(name)", ".out"))
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        stdinPipe = input ? Pipe() : nil
        process.standardInput = stdinPipe ?? FileHandle.nullDevice
        switch output {
        case .pipe: process.standardOutput = stdoutPipe
        case .log: process.standardOutput = log
        case .file:
            _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        }
        process.standardError = log
        // Writing to a peer that already exited must fail the write, not kill the
        // test process with SIGPIPE (the default action).
        signal(SIGPIPE, SIG_IGN)
        try process.run()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: logFile)
        try? FileManager.default.removeItem(at: stdoutFile)
    }

    /// Whether it has not exited yet.
    public var isRunning: Bool { process.isRunning }

    /// Everything written to the log so far (stderr, and stdout with `.log`).
    public var log: String {
        String(decoding: (try? Data(contentsOf: logFile)) ?? Data(), as: UTF8.self)
    }

    /// The descriptor of the stdout pipe, for an event loop to watch (`.pipe` only).
    public var outputDescriptor: Int32 { stdoutPipe.fileHandleForReading.fileDescriptor }

    /// Reads what the stdout pipe holds now (blocks until something arrives; empty at end of output).
    public func readAvailable() -> Data { stdoutPipe.fileHandleForReading.availableData }

    /// Reads one line of standard output (nil at end of output).
    public func readLine() -> String? {
        while true {
            if let line = bufferedLine() { return line }
            if let end = append(readAvailable()) { return end }
        }
    }

    /// A whole line from what was read, if there is one.
    private func bufferedLine() -> String? {
        guard let newline = buffered.firstIndex(of: 0x0A) else { return nil }
        let line = buffered[buffered.startIndex..<newline]
        buffered = Data(buffered[(newline + 1)...])
        return String(decoding: line, as: UTF8.self)
    }

    /// Adds a chunk read from the pipe. At the end of output (an empty chunk) returns the
    /// unfinished last line, or nil when there is none: `.some(nil)` means "done, no line".
    private func append(_ chunk: Data) -> String?? {
        guard chunk.isEmpty else {
            buffered.append(chunk)
            return nil
        }
        defer { buffered = Data() }
        return .some(buffered.isEmpty ? nil : String(decoding: buffered, as: UTF8.self))
    }

    /// Reads one line of standard output, waiting at most `timeout` for it: nil at end of
    /// output or when the time is up, so a program that hangs fails a test instead of
    /// stalling the suite.
    public func readLine(timeout: Duration) -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = bufferedLine() { return line }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            var descriptor = pollfd(fd: outputDescriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1, 60_000))
            guard poll(&descriptor, 1, milliseconds) > 0 else { continue }
            if let end = append(readAvailable()) { return end }
        }
    }

    /// What is on the stdout pipe now, without waiting for its end: once the program has
    /// exited, that is all it wrote. (Reading to the end could wait forever: another child
    /// started meanwhile may have inherited the pipe's write end.)
    private func drainOutput() -> String {
        let descriptor = outputDescriptor
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(descriptor, F_SETFL, flags) }
        var rest = buffered
        buffered = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count > 0 { rest.append(contentsOf: chunk[0..<count]) } else if count < 0 && errno == EINTR { continue } else { break }
        }
        return String(decoding: rest, as: UTF8.self)
    }

    /// Everything on stdout after what `readLine` consumed, up to the end of output.
    public func remainingOutput() -> String {
        var rest = buffered
        rest.append(stdoutPipe.fileHandleForReading.readDataToEndOfFile())
        buffered = Data()
        return String(decoding: rest, as: UTF8.self)
    }

    /// Writes `data` to its stdin.
    public func send(_ data: Data) throws {
        try stdinPipe?.fileHandleForWriting.write(contentsOf: data)
    }

    /// Closes its stdin without killing it (our servers and the peers stop on that).
    public func closeInput() {
        try? stdinPipe?.fileHandleForWriting.close()
    }

    /// Stops the program and returns its log. With `terminate`: SIGTERM, up to `grace`, then
    /// SIGKILL (children inherit the test runner's blocked-signal mask, since Foundation's
    /// Process does not reset it, so a program such as turnserver may never see the SIGTERM),
    /// then stdin is closed. Without: stdin is closed, up to `grace` to exit, then SIGKILL.
    @discardableResult
    public func stop(grace: Duration = .seconds(1), terminate: Bool = true) -> String {
        if !terminate { closeInput() }
        if process.isRunning {
            if terminate { process.terminate() }
            let deadline = SystemClock.now() + grace
            while process.isRunning && SystemClock.now() < deadline { usleep(2_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        closeInput()
        return log
    }

    /// Waits up to `timeout` for the program to exit by itself (then records an issue and
    /// kills it) and returns what it did: stdout (the rest of the pipe, or its file), the log as stderr.
    public func finish(timeout: Duration = .seconds(30)) -> ToolRun {
        // Wait first, read after: what is left on the pipe is far smaller than a pipe buffer.
        let deadline = SystemClock.now() + timeout
        while process.isRunning && SystemClock.now() < deadline { usleep(2_000) }
        if process.isRunning {
            Issue.record("\(commandLine) did not finish within \(timeout)")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        let elapsed = SystemClock.now() - started
        let stdout: String
        switch output {
        case .pipe: stdout = drainOutput()
        case .log: stdout = ""
        case .file: stdout = String(decoding: (try? Data(contentsOf: stdoutFile)) ?? Data(), as: UTF8.self)
        }
        let signalled = process.terminationReason == .uncaughtSignal
        return ToolRun(status: (signalled ? 128 : 0) + process.terminationStatus, stdout: stdout, stderr: log, elapsed: elapsed)
    }
}

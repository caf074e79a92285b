import Foundation
import Testing
import Wire
@testable import PacketCapture

/// Runs an external program and returns its exit status and standard output.
/// Fails the calling test (does not skip) when the program is not installed.
func runTool(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let path = ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin"].map { "\($0)/\(name)" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let path else {
        throw ToolMissing(message: "\(name) is not installed: run scripts/setup.sh (installs tshark, coturn, stun-client)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

struct ToolMissing: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

@Suite("tshark reads our captures")
struct TsharkTests {
    @Test("tshark decodes every record with good IPv4 and UDP checksums, the right ports and times")
    func tsharkAgrees() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try PcapFile(path: path, unixNanosecondsAtInstantZero: 1_700_000_000_000_000_000)
        for (index, datagram) in PcapFileTests.sample.enumerated() {
            try file.write(datagram, at: .milliseconds(Int64(index) * 250))
        }
        file.close()
        let (status, output) = try runTool("tshark", [
            "-r", path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
            "-T", "fields", "-E", "separator=|",
            "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ipv6.src", "-e", "udp.srcport", "-e", "udp.dstport",
            "-e", "udp.length", "-e", "ip.checksum.status", "-e", "udp.checksum.status",
        ])
        #expect(status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines == [
            "1700000000.000000000|127.0.0.1||40000|3478|28|1|1",
            "1700000000.250000000|127.0.0.1||3478|40000|11|1|1",
            "1700000000.500000000||::1|5000|6000|9||1",
        ])
        let (expertStatus, expert) = try runTool("tshark", ["-r", path, "-o", "ip.check_checksum:TRUE",
                                                            "-o", "udp.check_checksum:TRUE", "-Y", "_ws.expert"])
        #expect(expertStatus == 0)
        #expect(expert.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "expert info: \(expert)")
    }
}

// swift-tools-version: 6.0
// WebRTC Lab: a DataChannel stack, per-layer tools over it, and a teaching lab.
// Layer map and house style: docs/ARCHITECTURE.md (and README.md).
import PackageDescription

let package = Package(
    name: "webrtc-lab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stun-probe", targets: ["stun-probe"]),
        .executable(name: "ice-check", targets: ["ice-check"]),
        .executable(name: "dtls-handshake", targets: ["dtls-handshake"]),
        .executable(name: "sctp-streams", targets: ["sctp-streams"]),
        .executable(name: "lab", targets: ["lab"]),
        .executable(name: "exercise-runner", targets: ["exercise-runner"]),
        .executable(name: "stun-fuzz", targets: ["stun-fuzz"]),
        .executable(name: "dtls-fuzz", targets: ["dtls-fuzz"]),
        .executable(name: "sctp-fuzz", targets: ["sctp-fuzz"]),
        .executable(name: "dcep-fuzz", targets: ["dcep-fuzz"]),
        .executable(name: "sdp-fuzz", targets: ["sdp-fuzz"]),
        .executable(name: "mesh-fuzz", targets: ["mesh-fuzz"]),
        .executable(name: "datachannel-chat", targets: ["datachannel-chat"]),
        .library(name: "WebRTC", targets: ["WebRTC"]),
        .library(name: "MeshAgent", targets: ["MeshAgent"]),
        .library(name: "MeshRegistry", targets: ["MeshRegistry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // HTTP for `datachannel-chat echo` (server and client); no HTTP is written by hand.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The mesh: the signaling registry's WebSocket (server and client) and its JWTs.
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
    ],
    targets: [
        // System libraries and the C shim (OpenSSL macros, one-shot digests).
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // No pkgConfig for usrsctp: its .pc only adds -DINET/-DINET6, which SwiftPM
        // prohibits (a warning on every build) and usrsctp.h does not read.
        .systemLibrary(name: "CUsrsctp", providers: [.apt(["libusrsctp-dev"])]),
        .target(name: "CShims", dependencies: ["COpenSSL"], linkerSettings: [.linkedLibrary("crypto")]),

        // Protocol layers (sans-IO).
        .target(name: "Wire"),
        .target(name: "STUN", dependencies: ["Wire", "CShims"]),
        .target(name: "SDP", dependencies: ["Wire"]),
        .target(name: "ICE", dependencies: ["Wire", "STUN"]),
        .target(name: "DTLS", dependencies: ["Wire", "SDP", "CShims", "COpenSSL"]),
        .target(name: "SCTP", dependencies: ["Wire", "CUsrsctp"]),
        .target(name: "DataTransport", dependencies: ["DTLS", "SCTP", "SDP", "Wire"]),
        .target(name: "DataChannels", dependencies: ["Wire"]),
        // The PeerConnection: a sans-IO core per connection (ICE + DTLS/SCTP + DataChannels, JSEP),
        // the host thread that drives many cores on real UDP, and the W3C-shaped async facade.
        .target(name: "WebRTC", dependencies: [
            "Wire", "STUN", "SDP", "ICE", "DTLS", "SCTP", "DataTransport", "DataChannels", "SocketDriver",
        ]),

        // The mesh of agents (chatixia-mesh's design): wire formats and the registry's and
        // agent's state machines, sans-IO; then the registry server, the agent/sidecar and IPC.
        .target(name: "MeshProtocol"),
        // The registry: API keys to JWTs, the WebSocket relay, presence, the chat page.
        .target(name: "MeshRegistry", dependencies: [
            "MeshProtocol", "Wire",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "JWTKit", package: "jwt-kit"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // An agent's mesh (the sidecar's engine): token, signaling client, one PeerConnection
        // and "mesh" channel per peer, glare, reconnection, IPC over a Unix socket.
        .target(name: "MeshAgent", dependencies: [
            "MeshProtocol", "WebRTC", "DataChannels", "Wire",
            .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Drivers, simulation and capture: the only code that touches sockets and clocks.
        .target(name: "SocketDriver", dependencies: ["Wire", "COpenSSL"]),
        .target(name: "Simulation", dependencies: ["Wire"]),
        .target(name: "PacketCapture", dependencies: ["Wire"]),

        // The lab: exercise interfaces, student starters, reference solutions, checks, runner.
        .target(name: "ExerciseInterfaces"),
        .target(name: "Exercises", dependencies: ["ExerciseInterfaces"], path: "exercises",
                exclude: ["README.md", "01-protocol-stack/README.md", "02-stun-coding/README.md",
                          "03-candidate-priority/README.md", "04-read-sdp-offer/README.md", "04-read-sdp-offer/offer.sdp",
                          "05-dtls-fingerprint/README.md", "06-delivery-modes/README.md",
                          "07-dcep-open/README.md", "08-mesh-cost/README.md", "09-stun-transaction/README.md",
                          "10-ice-checklist/README.md", "11-dcep-channel/README.md", "12-stream-receive/README.md",
                          "01-protocol-stack/ANSWERS.md", "06-delivery-modes/ANSWERS.md", "08-mesh-cost/ANSWERS.md",
                          "13-debug-by-layer/README.md"]),
        .target(name: "Solutions", dependencies: ["ExerciseInterfaces"], path: "solutions",
                exclude: ["README.md", "01-protocol-stack/README.md", "02-stun-coding/README.md",
                          "03-candidate-priority/README.md", "04-read-sdp-offer/README.md", "04-read-sdp-offer/offer.sdp",
                          "05-dtls-fingerprint/README.md", "06-delivery-modes/README.md",
                          "07-dcep-open/README.md", "08-mesh-cost/README.md", "09-stun-transaction/README.md",
                          "10-ice-checklist/README.md", "11-dcep-channel/README.md", "12-stream-receive/README.md",
                          "01-protocol-stack/ANSWERS.md", "06-delivery-modes/ANSWERS.md", "08-mesh-cost/ANSWERS.md",
                          "01-protocol-stack/RUBRIC.md", "06-delivery-modes/RUBRIC.md", "08-mesh-cost/RUBRIC.md",
                          "13-debug-by-layer/README.md"]),
        .target(name: "ExerciseChecks", dependencies: ["ExerciseInterfaces"]),
        // The adapters that put a student's stateful piece into the real stack, for the
        // tools that share one (ice-check and datachannel-chat both run exercise 10;
        // datachannel-chat's capstone also runs 09 inside ICE and 12 beside usrsctp).
        .target(name: "ExerciseHooks", dependencies: ["ExerciseInterfaces", "ICE", "STUN", "SCTP", "DataTransport", "Wire"]),
        .executableTarget(name: "exercise-runner", dependencies: ["Exercises", "ExerciseChecks"]),
        .target(name: "LabKit", dependencies: ["ExerciseChecks"]),

        // Thin per-layer tools; ToolSupport holds their shared exit-code plumbing.
        .target(name: "ToolSupport", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "stun-probe", dependencies: [
            "STUN", "SocketDriver", "PacketCapture", "Exercises", "ToolSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "ice-check", dependencies: [
            "ICE", "SDP", "STUN", "Simulation", "SocketDriver", "PacketCapture", "Exercises", "ExerciseHooks", "ToolSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "dtls-handshake", dependencies: [
            "DTLS", "SDP", "Wire", "SocketDriver", "PacketCapture", "Exercises", "ToolSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "sctp-streams", dependencies: [
            "DataTransport", "DTLS", "SCTP", "SDP", "Wire", "SocketDriver", "PacketCapture", "Exercises", "ToolSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "datachannel-chat", dependencies: [
            "WebRTC", "DataChannels", "DataTransport", "ICE", "SDP", "Wire", "SocketDriver", "PacketCapture", "Exercises", "ExerciseHooks",
            "ToolSupport",
            "MeshProtocol", "MeshRegistry", "MeshAgent",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "lab", dependencies: [
            "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // libFuzzer targets; a plain build is a corpus replayer (FuzzSupport, see docs/FUZZING.md).
        .target(name: "FuzzSupport"),
        .executableTarget(name: "dcep-fuzz", dependencies: ["DataChannels", "Wire", "FuzzSupport"]),
        .executableTarget(name: "sdp-fuzz", dependencies: ["SDP", "Wire", "FuzzSupport"]),
        .executableTarget(name: "mesh-fuzz", dependencies: ["MeshProtocol", "SDP", "WebRTC", "FuzzSupport"]),
        .executableTarget(name: "stun-fuzz", dependencies: ["STUN", "FuzzSupport"]),
        .executableTarget(name: "dtls-fuzz", dependencies: ["DTLS", "SDP", "Wire", "FuzzSupport"]),
        .executableTarget(name: "sctp-fuzz", dependencies: ["SCTP", "Wire", "FuzzSupport"]),

        // Tests: one target per module, plus interop and lab checks. ToolTestSupport runs our
        // tools and the system peers (coturn, openssl, tshark) for the targets that need them.
        // What the soak and load suites read about a process: VmRSS, descriptors, sanitizer runtime.
        .target(name: "ProcessProbe", path: "Tests/ProcessProbe"),
        .target(name: "ToolTestSupport", dependencies: ["LabKit", "STUN", "SocketDriver", "Wire"], path: "Tests/ToolTestSupport"),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CShims", "COpenSSL", "CUsrsctp"]),
        .testTarget(name: "WireTests", dependencies: ["Wire"]),
        .testTarget(name: "STUNTests", dependencies: ["STUN", "Wire", "Simulation"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Wire", "STUN"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP", "Wire"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ICETests", dependencies: ["ICE", "STUN", "Wire", "Simulation", "ExerciseHooks", "ExerciseInterfaces", "Solutions"]),
        .testTarget(name: "ICEInteropTests", dependencies: ["ICE", "STUN", "Wire", "SocketDriver", "PacketCapture", "ToolTestSupport"]),
        .testTarget(name: "TURNTests", dependencies: ["STUN", "SocketDriver", "Wire", "PacketCapture", "ToolTestSupport"]),
        .testTarget(name: "DTLSTests", dependencies: ["DTLS", "SDP", "Wire", "CShims", "COpenSSL"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PacketCaptureTests", dependencies: ["PacketCapture", "Wire", "ToolTestSupport"]),
        .testTarget(name: "SocketDriverTests", dependencies: ["SocketDriver", "Wire"]),
        .testTarget(name: "StunProbeTests", dependencies: ["STUN", "Wire", "SocketDriver", "PacketCapture", "ToolTestSupport"]),
        .testTarget(name: "IceCheckTests", dependencies: ["SDP", "Wire", "ToolTestSupport"]),
        .testTarget(name: "DtlsHandshakeTests", dependencies: ["SDP", "Wire", "ToolTestSupport"]),
        .testTarget(name: "DtlsHandshakeExerciseTests", dependencies: ["dtls-handshake", "DTLS", "SDP", "Solutions", "ExerciseInterfaces"]),
        .testTarget(name: "SctpStreamsExerciseTests", dependencies: [
            "sctp-streams", "SCTP", "Solutions", "ExerciseInterfaces", "ToolTestSupport",
        ]),
        .testTarget(name: "IceCheckExerciseTests", dependencies: ["ice-check", "ICE", "Simulation", "Solutions", "ExerciseInterfaces"]),
        .testTarget(name: "StunProbeExerciseTests", dependencies: [
            "stun-probe", "STUN", "Wire", "SocketDriver", "Solutions", "ExerciseInterfaces", "ToolTestSupport",
        ]),
        .testTarget(name: "DTLSInteropTests", dependencies: ["DTLS", "SDP", "Wire", "SocketDriver", "PacketCapture", "ToolTestSupport"]),
        .testTarget(name: "FuzzReplayTests", dependencies: ["DTLS", "SCTP", "DataChannels", "Wire", "ToolTestSupport"]),
        .testTarget(name: "DataChannelsTests", dependencies: ["DataChannels", "Wire"]),
        .testTarget(name: "WebRTCTests", dependencies: ["ProcessProbe", "WebRTC", "DataChannels", "SDP", "ICE", "DTLS", "SCTP", "Wire", "Simulation"]),
        .testTarget(name: "DataChannelInteropTests", dependencies: ["ToolTestSupport", "Wire"]),
        .testTarget(name: "DatachannelChatTests", dependencies: ["ToolTestSupport", "Wire"]),
        .testTarget(name: "DatachannelChatExerciseTests", dependencies: [
            "datachannel-chat", "WebRTC", "DataChannels", "DataTransport", "SCTP", "Wire", "Solutions", "ExerciseInterfaces",
            "ExerciseHooks", "ToolTestSupport",
        ]),
        .testTarget(name: "MeshProtocolTests", dependencies: ["MeshProtocol"]),
        .testTarget(name: "MeshRegistryTests", dependencies: ["ProcessProbe", "MeshRegistry", "MeshProtocol", "Wire"]),
        .testTarget(name: "MeshAgentTests", dependencies: ["MeshAgent", "MeshRegistry", "MeshProtocol", "WebRTC", "Wire"]),
        .testTarget(name: "DatachannelChatDemoTests", dependencies: ["datachannel-chat", "MeshAgent"]),
        .testTarget(name: "MeshToolTests", dependencies: ["ProcessProbe", "MeshProtocol", "ToolTestSupport", "Wire"]),
        .testTarget(name: "SCTPTests", dependencies: ["SCTP", "Wire", "CUsrsctp"]),
        .testTarget(name: "DataTransportTests", dependencies: ["DataTransport", "DTLS", "SCTP", "SDP", "Wire"]),
        .testTarget(name: "SctpStreamsTests", dependencies: ["sctp-streams", "ToolTestSupport"]),
        .testTarget(name: "LabTests", dependencies: ["LabKit", "ToolTestSupport", "ExerciseChecks", "Exercises", "Solutions", "ICE", "CShims", "CUsrsctp"]),
    ]
)

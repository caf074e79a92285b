# Sourced by scripts/test.sh and scripts/sanitize.sh: the runs the suite is split into,
# one build, several `swift test` processes.
#
# Swift Testing runs every test on Swift's cooperative thread pool, which has one thread
# per core (two on CI). The tests that drive processes and peers (interop, tools,
# lessons, lab grading) block their thread for seconds to minutes; while two of them
# run, a test that awaits in-process work (an embedded registry, mesh agents,
# PeerConnections, the echo server) gets no thread at all and runs into its deadline. So
# the in-process asynchronous suites run by themselves, second.
# Some suites get a run of their own. Those that measure the whole process (open
# descriptors, resident memory): beside other suites, or beside each other, those
# figures would be theirs too. And the in-process load (50 echo connections, 64 MiB
# through a stalled channel): beside them, the real-time suites of the second run
# (a PeerConnection at 30 % loss) starve into their failure bounds.
in_process_async='MeshRegistryTests|MeshAgentTests|WebRTCTests|EchoServerLoadTests'
alone=(ConnectionCycleTests RegistryLoadTests ChannelBackpressureTests EchoServerLoadTests)

# run_test_runs COMMAND...: runs COMMAND (`swift test ...` with its build options) once
# per run with the run's filters; returns the last failing run's status, 0 if none.
run_test_runs() {
    local status=0 skip_alone
    skip_alone=$(IFS='|'; echo "${alone[*]}")
    "$@" --skip "$in_process_async" || status=$?
    "$@" --filter "$in_process_async" --skip "$skip_alone" || status=$?
    local suite
    for suite in "${alone[@]}"; do
        "$@" --filter "$suite" || status=$?
    done
    return "$status"
}

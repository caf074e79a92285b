# Sourced by scripts/test.sh and scripts/sanitize.sh: the runs the suite is split into,
# one build, several `swift test` processes.
#
# Swift Testing runs every test on Swift's cooperative thread pool, which has one thread
# per core (two on CI). The tests that drive processes and peers (interop, tools,
# lessons, lab grading) block their thread for seconds to minutes; while two of them
# run, a test that awaits in-process work (an embedded registry, mesh agents,
# PeerConnections, the echo server) gets no thread at all and runs into its deadline. So
# the in-process asynchronous suites run by themselves, second.
# The suites that measure the whole process (open descriptors, resident memory) each get
# a run of their own: beside other suites in the same process, or beside each other,
# those figures would be theirs too.
in_process_async='MeshRegistryTests|MeshAgentTests|WebRTCTests|EchoServerLoadTests'
whole_process=(ConnectionCycleTests RegistryLoadTests)

# run_test_runs COMMAND...: runs COMMAND (`swift test ...` with its build options) once
# per run with the run's filters; returns the last failing run's status, 0 if none.
run_test_runs() {
    local status=0 skip_whole
    skip_whole=$(IFS='|'; echo "${whole_process[*]}")
    "$@" --skip "$in_process_async" || status=$?
    "$@" --filter "$in_process_async" --skip "$skip_whole" || status=$?
    local suite
    for suite in "${whole_process[@]}"; do
        "$@" --filter "$suite" || status=$?
    done
    return "$status"
}

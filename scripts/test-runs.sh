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

# A run that prints nothing for TEST_IDLE_LIMIT seconds (default 300; a healthy run
# reports a test event every few seconds) has hung. On 2026-12-08 every Swift task of a
# test process stopped for about ten minutes, all threads idle and even the tests' own
# time-outs waiting, then went on (docs/RELIABILITY.md §7, open). Such a run is reported
# loudly, with each thread's state saved under .build/hangs/, and run once more; a
# second hang, like any failing test, fails the run.
test_idle_limit="${TEST_IDLE_LIMIT:-300}"

# watch_run COMMAND...: runs COMMAND with its output shown as it comes; its status, or
# 124 when it hung (and was killed after its threads' states were saved).
watch_run() {
    local log pid tailer size=-1 now idle=0
    log="$(mktemp)"
    "$@" > "$log" 2>&1 &
    pid=$!
    tail -n +1 -f "$log" --pid="$pid" &
    tailer=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 5
        now=$(stat -c %s "$log")
        if [[ "$now" == "$size" ]]; then idle=$((idle + 5)); else idle=0; size=$now; fi
        if ((idle >= test_idle_limit)); then
            save_hang_report "$pid"
            pkill -KILL -P "$pid" 2>/dev/null || true
            kill -KILL "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            wait "$tailer" 2>/dev/null || true
            rm -f "$log"
            return 124
        fi
    done
    local status=0
    wait "$pid" || status=$?
    wait "$tailer" 2>/dev/null || true
    rm -f "$log"
    return "$status"
}

# save_hang_report PID: every thread of PID's test process (its child, the .xctest), with
# its state, kernel wait channel and context switches, into .build/hangs/.
save_hang_report() {
    local parent="$1" process directory report
    process=$(pgrep -P "$parent" | head -1)
    [[ -n "$process" ]] || process="$parent"
    directory=".build/hangs"
    mkdir -p "$directory"
    report="$directory/$(date -u +%Y%m%dT%H%M%SZ)-$process.txt"
    {
        echo "no output for ${test_idle_limit} s: $(tr '\0' ' ' < "/proc/$process/cmdline" 2>/dev/null)"
        ls -l "/proc/$process/fd" 2>/dev/null | awk '{print $NF}' | sed 's/[0-9][0-9]*/N/g' | sort | uniq -c
        local task
        for task in /proc/"$process"/task/*; do
            echo "$(basename "$task") $(cat "$task/comm" 2>/dev/null) state=$(awk '{print $3}' "$task/stat" 2>/dev/null)" \
                 "wchan=$(cat "$task/wchan" 2>/dev/null) $(grep -h ctxt "$task/status" 2>/dev/null | tr '\n' ' ')"
        done
        if command -v gdb > /dev/null; then
            timeout 120 gdb -p "$process" -batch -ex "thread apply all bt 30" 2>&1
        fi
    } > "$report" 2>&1
    echo "test-runs: HANG: no output for ${test_idle_limit} s; thread states in $report" >&2
}

# run_watched COMMAND...: watch_run, once more after a hang (loudly; see above).
run_watched() {
    local status=0
    watch_run "$@" || status=$?
    if ((status == 124)); then
        echo "test-runs: HANG: running again once: $*" >&2
        status=0
        watch_run "$@" || status=$?
        ((status == 124)) && echo "test-runs: HANG again: $*" >&2
    fi
    return "$status"
}

# run_test_runs COMMAND...: runs COMMAND (`swift test ...` with its build options) once
# per run with the run's filters; returns the last failing run's status, 0 if none.
run_test_runs() {
    local status=0 skip_alone
    skip_alone=$(IFS='|'; echo "${alone[*]}")
    run_watched "$@" --skip "$in_process_async" || status=$?
    run_watched "$@" --filter "$in_process_async" --skip "$skip_alone" || status=$?
    local suite
    for suite in "${alone[@]}"; do
        run_watched "$@" --filter "$suite" || status=$?
    done
    return "$status"
}

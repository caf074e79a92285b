#!/usr/bin/env python3
"""Regenerates Sources/ExerciseChecks/DebugCaseTranscript+<Case>.swift (one per case) and the
index DebugCaseTranscripts.swift: runs the seven broken
connections of exercise 13 (lessons/10-debugging-by-layer.md) with the built tools and
stores what each printed, which the checks quote-match against.

usage: scripts/lab/debug-case-transcripts.py [BIN_DIR]   (default .build/debug)

Tests/LabTests/Exercise13DebugByLayerTests.swift re-runs the same scripts and fails when
the stored transcripts no longer match what the tools print (modulo ports, times and
fingerprints), so run this after changing a tool's output, then read the diff.
"""
import os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FP = ":".join(["AB"] * 32)

# (case id, exit status, deterministic, script): the script is what the lesson runs, verbatim.
CASES = [
    ("wrong-fingerprint", 6, False,
     f'dtls-handshake --expect-fingerprint "sha-256 {FP}"'),
    ("udp-blocked", 6, True,
     "ice-check --simulate udp-blocked,open --no-turn"),
    ("symmetric-nats", 6, True,
     "ice-check --simulate symmetric,symmetric --no-turn"),
    ("wrong-turn-password", 6, True,
     "ice-check --simulate symmetric,symmetric --break turn-password"),
    ("max-message-size", 1, False,
     'datachannel-chat echo --serve --listen 127.0.0.1:0 > "$LAB_TMP/echo.json" &\n'
     'until grep -q listening "$LAB_TMP/echo.json" 2>/dev/null; do sleep 0.1; done\n'
     'server=$(sed \'s/.*"listening":"\\([^"]*\\)".*/\\1/\' "$LAB_TMP/echo.json")\n'
     'datachannel-chat echo "http://$server/offer" --size 300000 --ignore-max-message-size'),
    ("expired-token", 1, False,
     'export SIGNALING_SECRET=debugging-by-layer-lesson-secret-0123456789\n'
     'datachannel-chat serve --listen 127.0.0.1:0 > "$LAB_TMP/registry.json" 2> "$LAB_TMP/registry.log" &\n'
     'until grep -q listening "$LAB_TMP/registry.json" 2>/dev/null; do sleep 0.1; done\n'
     'registry=http://$(sed \'s/.*"listening":"\\([^"]*\\)".*/\\1/\' "$LAB_TMP/registry.json")\n'
     'token=$(datachannel-chat token --name alice --lifetime 1)\n'
     'sleep 2   # the token lives 1 s\n'
     'datachannel-chat join --server "$registry" --name alice --token "$token" --timeout 5 || status=$?\n'
     'sleep 0.5\n'
     'cat "$LAB_TMP/registry.log"\n'
     'exit "${status:-0}"'),
    ("consent-lost", 6, True,
     "ice-check --simulate open,open --break consent"),
]


def run(script, bindir):
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"], LAB_TMP=tmp)
        env.pop("SIGNALING_SECRET", None)
        # Output to a file, not a pipe: a server left in the background would hold a pipe open.
        with open(os.path.join(tmp, ".output"), "wb+") as output:
            proc = subprocess.Popen(["bash", "-e", "-o", "pipefail", "-c", script], cwd=ROOT, env=env,
                                    stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            code = proc.wait(timeout=120)
            try:
                os.killpg(proc.pid, 15)  # the background servers die with the block, as in a lesson run
            except ProcessLookupError:
                pass
            output.seek(0)
            return code, output.read().decode("utf-8")


def literal(text):
    assert '"""#' not in text
    return '#"""\n' + text + '\n"""#'


def main():
    bindir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug"))
    names = []
    for case, status, deterministic, script in CASES:
        code, output = run(script, bindir)
        if code != status:
            sys.exit(f"{case}: exit {code}, expected {status}:\n{output}")
        name = SWIFT_NAMES[case]
        names.append(name)
        # One file per case: the transcripts are long (ladder diagrams, field tables).
        swift = (CASE_HEADER.format(case=case) +
                 f"extension DebugCaseTranscript {{\n"
                 f"    static let {name} = DebugCaseTranscript(\n"
                 f"        debugCase: .{name}, exitStatus: {status}, deterministic: {'true' if deterministic else 'false'},\n"
                 f"        script: {literal(script)},\n"
                 f"        output: {literal(output.rstrip(chr(10)))})\n"
                 f"}}\n")
        file_name = "DebugCaseTranscript+" + name[0].upper() + name[1:] + ".swift"
        with open(os.path.join(ROOT, "Sources/ExerciseChecks", file_name), "w") as out:
            out.write(swift)
    index = HEADER + "".join(f"        .{name},\n" for name in names) + "    ]\n}\n"
    with open(os.path.join(ROOT, "Sources/ExerciseChecks/DebugCaseTranscripts.swift"), "w") as out:
        out.write(index)

SWIFT_NAMES = {
    "wrong-fingerprint": "wrongFingerprint", "udp-blocked": "udpBlocked", "symmetric-nats": "symmetricNATs",
    "wrong-turn-password": "wrongTURNPassword", "max-message-size": "maxMessageSize",
    "expired-token": "expiredToken", "consent-lost": "consentLost",
}

HEADER = '''// GENERATED by scripts/lab/debug-case-transcripts.py from the tools' own output: do not edit.
//
// What each broken connection of exercise 13 printed, stored so the checks (which cannot
// run the tools: they are Foundation-free and run in the grading workspace) can tell
// whether a student's quote is really in that output. Exercise13DebugByLayerTests re-runs
// every script and fails when a transcript here went stale.
import ExerciseInterfaces

extension DebugCaseTranscript {
    /// One transcript per case, in `DebugCase.allCases` order (each in its own
    /// `DebugCaseTranscript+<Case>.swift`).
    public static let all: [DebugCaseTranscript] = [
'''
CASE_HEADER = '''// GENERATED by scripts/lab/debug-case-transcripts.py from the tools' own output: do not edit.
//
// Exercise 13's case {case}: the script lesson 10 runs and what the tools printed
// (see DebugCaseTranscripts.swift).
import ExerciseInterfaces

'''

if __name__ == "__main__":
    main()

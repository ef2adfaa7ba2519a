#!/usr/bin/env python3
"""Fault drills against the built infusiond and the device simulators (issue 21 item 2).

Each drill starts its own simulated NE-1000 pump and IntelliVue monitor on ptys (infusion-sim) and
infusiond with one chair bound to them (as scripts/demo does), in a fresh temporary directory, then
does harm and checks what must still hold, on the daemon's socket and on the simulators' side (the
pump simulator's `state` is the physical truth of whether drug flows).

Python 3 standard library only. Prints a table; writes the figures as JSON for scripts/drills, which
puts them in docs/RELIABILITY.md.

    drills.py --bin DIR [--quick] [--json FILE] [--markdown FILE] [--only NAME ...] [--seed N] [--kills N]
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

DEADLINE = 30.0  # generous: a loaded 2-core machine


class DrillError(Exception):
    pass


def wait_until(predicate, timeout=DEADLINE, interval=0.1, what="condition"):
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            last = predicate()
            if last:
                return last
        except (OSError, DrillError, ValueError):
            pass
        time.sleep(interval)
    raise DrillError(f"timed out waiting for {what}")


# ---------------------------------------------------------------- the daemon's socket


class Client:
    """One connection to infusiond: line JSON both ways; the hello event is read on connect."""

    def __init__(self, path, timeout=DEADLINE):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b""
        hello = self.read_line()
        if json.loads(hello).get("event") != "hello":
            raise DrillError(f"first line was not hello: {hello[:200]!r}")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send_raw(self, data):
        self.sock.sendall(data)

    def read_line(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def read_reply(self):
        """The next reply line (events in between are skipped), decoded."""
        while True:
            message = json.loads(self.read_line())
            if "reply" in message:
                return message

    def call(self, cmd, **fields):
        self.send_raw((json.dumps({"cmd": cmd, **fields}) + "\n").encode())
        return self.read_reply()


def call(sock_path, cmd, **fields):
    client = Client(sock_path)
    try:
        return client.call(cmd, **fields)
    finally:
        client.close()


def control(path, line):
    """One line to a simulator's control socket; its answer."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    try:
        s.connect(path)
        s.sendall((line + "\n").encode())
        data = b""
        while b"\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.decode(errors="replace").strip()
    finally:
        s.close()


def pump_state(rig):
    answer = control(rig.pump + ".control", "state")
    if not answer.startswith("ok"):
        raise DrillError(f"pump state: {answer}")
    return dict(kv.split("=", 1) for kv in answer.split()[1:] if "=" in kv)


# ---------------------------------------------------------------- the rig


class Rig:
    """A temporary directory with a pump and a monitor simulator and infusiond bound to them."""

    def __init__(self, bindir, monitor_preset="typical"):
        self.bindir = bindir
        self.dir = tempfile.mkdtemp(prefix="infusiond-drill.")
        self.sock = os.path.join(self.dir, "infusiond.sock")
        self.pump = os.path.join(self.dir, "ttyPUMP")
        self.monitor = os.path.join(self.dir, "ttyMON")
        self.config = os.path.join(self.dir, "infusiond.json")
        self.state_dir = os.path.join(self.dir, "state")
        self.sims = []
        self.daemon = None
        self.log = open(os.path.join(self.dir, "infusiond.log"), "ab")
        devnull = subprocess.DEVNULL
        sim = os.path.join(bindir, "infusion-sim")
        self.sims.append(subprocess.Popen([sim, "pump", "--protocol", "newera", "--pty", self.pump],
                                          stdout=devnull, stderr=devnull))
        self.sims.append(subprocess.Popen([sim, "monitor", "--protocol", "intellivue", "--pty", self.monitor,
                                           "--preset", monitor_preset], stdout=devnull, stderr=devnull))
        wait_until(lambda: os.path.exists(self.pump + ".control") and os.path.exists(self.monitor + ".control"),
                   what="the simulators' control sockets")
        with open(self.config, "w") as f:
            json.dump({"chairs": [{"id": "1", "pump": {"family": "newera", "path": self.pump},
                                   "monitor": {"family": "intellivue", "path": self.monitor}}]}, f)

    def start_daemon(self):
        if os.path.exists(self.sock):
            os.unlink(self.sock)  # a killed daemon leaves it behind
        self.daemon = subprocess.Popen(
            [os.path.join(self.bindir, "infusiond"), "--socket", self.sock, "--state-dir", self.state_dir,
             "--config", self.config], stdout=subprocess.DEVNULL, stderr=self.log)
        wait_until(lambda: call(self.sock, "ping")["ok"], what="infusiond to answer ping")

    def kill_daemon(self):
        self.daemon.send_signal(signal.SIGKILL)
        self.daemon.wait()

    def daemon_alive(self):
        return self.daemon is not None and self.daemon.poll() is None

    def rss_kib(self):
        with open(f"/proc/{self.daemon.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def close(self):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            try:
                self.daemon.wait(15)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()
        for p in self.sims:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.sims:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.log.close()
        if os.environ.get("DRILLS_KEEP"):
            print(f"drills: kept {self.dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def chair(sock_path):
    return call(sock_path, "status")["result"]["chairs"][0]


def audit_intact(sock_path):
    reply = call(sock_path, "audit-verify")
    if not reply.get("ok"):
        raise DrillError(f"audit-verify failed: {reply}")
    return reply["result"]


INTAKE = dict(chair="1", patientID="P-DRILL", weight=70, weightUnit="kg", weightBasis="measured",
              profileID="ketamine-psychiatric", checklistSigned=True, checklistSignedBy="RN Drill")
PROGRAM = dict(chair="1", concentration=10, syringeVolume=50, totalDose=0.5, durationMinutes=40)


def begin_infusion(rig, acknowledged=None):
    """intake, program, the monitor's Start NBP key, start (retried while refused for want of a baseline
    cuff pressure or a syringe read-back, as scripts/demo does). Appends each acknowledged command."""
    acknowledged = acknowledged if acknowledged is not None else []
    client = Client(rig.sock)
    try:
        for cmd, fields in (("intake", INTAKE), ("program", PROGRAM)):
            reply = client.call(cmd, **fields)
            if not reply["ok"]:
                raise DrillError(f"{cmd} refused: {reply['error']}")
            acknowledged.append(cmd)
        control(rig.monitor + ".control", "nibp-start")
        end = time.monotonic() + DEADLINE
        while True:
            reply = client.call("start", chair="1")
            if reply["ok"]:
                acknowledged.append("start")
                return acknowledged
            code = reply["error"]["code"]
            if code not in ("no-baseline-bp", "syringe-not-confirmed", "vitals-stale", "monitor-link-down",
                            "pump-link-down", "delivery-uncertain") or time.monotonic() > end:
                raise DrillError(f"start refused: {reply['error']}")
            time.sleep(0.3)
    finally:
        client.close()


# ---------------------------------------------------------------- drill 1: hostile socket lines


# A valid request for each command (docs/PROTOCOL.md's examples); the wrong-type lines take one of these
# and give one of its fields (or `id`, added to every one) a value the field does not take. Commands
# `help` lists that are not here are sent with `id` alone.
EXAMPLES = [
    {"cmd": "ping", "id": 1}, {"cmd": "hello"}, {"cmd": "help"}, {"cmd": "version"}, {"cmd": "status"}, {"cmd": "devices"},
    {"cmd": "library"}, {"cmd": "syringes"},
    {"cmd": "watch", "topics": ["alarms"], "since": 0}, {"cmd": "unwatch", "topics": ["notices"]},
    {"cmd": "notice", "text": "x"}, {"cmd": "audit-verify", "anchor": "1:00"},
    {"cmd": "report", "chair": "1", "format": "json"}, {"cmd": "course", "patientID": "P-17"},
    {"cmd": "adopt", "chair": "1", "role": "pump"},
    {"cmd": "intake", "chair": "1", "patientID": "P-17", "weight": 70, "weightUnit": "kg", "weightBasis": "measured",
     "profileID": "ketamine-psychiatric", "checklistSigned": True, "checklistSignedBy": "RN Lee",
     "override": {"reason": "r"}},
    {"cmd": "program", "chair": "1", "concentration": 10, "syringeVolume": 10, "totalDose": 0.5, "durationMinutes": 40,
     "syringe": "bd-20"},
    {"cmd": "program", "chair": "1", "order": "PLACER-42"},
    {"cmd": "start", "chair": "1", "confirm": True, "reason": "r"},
    {"cmd": "rate", "chair": "1", "rate": 0.9, "unit": "mg/kg/h", "confirm": True, "reason": "prescriber order"},
    {"cmd": "bolus", "chair": "1", "dose": 0.1, "seconds": 120},
    {"cmd": "pause", "chair": "1", "reason": "patient request"}, {"cmd": "resume", "chair": "1"},
    {"cmd": "stop", "chair": "1", "reason": "r"}, {"cmd": "ack", "chair": "1", "condition": "systolicHigh"},
    {"cmd": "silence", "chair": "1"},
    {"cmd": "syringe", "chair": "1", "drugName": "ketamine", "concentration": 10, "volume": 20},
    {"cmd": "recovery", "chair": "1", "aldrete": {"activity": 2, "respiration": 2, "circulation": 2,
                                                  "consciousness": 2, "oxygenSaturation": 2}},
    {"cmd": "observe", "chair": "1", "scores": {"moaas": 5, "nausea": 1}, "note": "calm"},
    {"cmd": "medicate", "chair": "1", "drug": "ondansetron", "dose": 4, "unit": "mg", "route": "IV", "reason": "nausea"},
    {"cmd": "discharge", "chair": "1"},
    {"cmd": "order", "chair": "1", "orderID": "PLACER-42", "patientID": "P-17", "weight": 70, "weightUnit": "kg",
     "drugName": "Ketamine", "drugCode": "KET", "concentration": 10, "rate": 0.75, "unit": "mg/kg/h",
     "volumeToBeInfused": 3.5},
]
WRONG_FOR = {
    str: [7, 2.5, True, None, [], ["a"], {}, {"a": 1}],
    bool: ["true", 1, 0, None, [], {}],
    int: ["7", True, None, [], {}, 2.5, -1e300, 1e-400],
    float: ["7", True, None, [], {}, "NaN"],
    list: ["alarms", 7, True, None, {}, [7], [None], [["alarms"]]],
    dict: ["x", 7, True, None, [], {"activity": "two"}, {"": 1}],
}


def wrong_type_line(rng, example):
    request = dict(example)
    request.setdefault("id", 1)
    field = rng.choice([k for k in request if k != "cmd"] + ["cmd"])
    if field == "cmd":
        request["cmd"] = rng.choice([7, None, True, [], {}])
    elif field == "id":  # a string or a number is an id
        request["id"] = rng.choice([True, False, None, [], [1], {}, {"a": 1}])
    elif field == "topics":  # a list of topics, or one topic as a string
        request["topics"] = rng.choice([7, True, None, {}, [7], [None], [["alarms"]]])
    else:
        wrong = rng.choice(WRONG_FOR[type(request[field])])
        request[field] = wrong
    if isinstance(request.get(field), float) and request[field] == 1e-400:
        pass  # 1e-400 is 0.0 in Python: write it as text below
    line = json.dumps(request)
    if field not in ("cmd", "id") and type(example[field]) is int and request[field] == 0.0:
        line = line.replace(f'"{field}": 0.0', f'"{field}": 1e-400')
    return field, line.encode()


# Lines JSON (RFC 8259) or the protocol rejects, each with the code docs/PROTOCOL.md promises
# ("Requests"; issue 21 lists the parser's leniencies these check).
STRICTNESS = [
    ("trailing comma", b'{"cmd":"ping",}', "bad-json"),
    ("byte-order mark", b'\xef\xbb\xbf{"cmd":"ping"}', "bad-json"),
    ("comment", b'{"cmd":"ping" /* c */}', "bad-json"),
    ("single quotes", b"{'cmd':'ping'}", "bad-json"),
    ("leading zero", b'{"cmd":"ping","id":01}', "bad-json"),
    ("NaN", b'{"cmd":"ping","id":NaN}', "bad-json"),
    ("control character in a string", b'{"cmd":"ping","id":"a\x01b"}', "bad-json"),
    ("unpaired surrogate", b'{"cmd":"ping","id":"\\ud800"}', "bad-json"),
    ("1e400", b'{"cmd":"watch","topics":["alarms"],"since":1e400}', "bad-json"),
    ("1e-400 in an integer field", b'{"cmd":"watch","topics":["alarms"],"since":1e-400}', "bad-json"),
    ("duplicate key", b'{"cmd":"ping","cmd":"status"}', "bad-request"),
    ("id true", b'{"cmd":"ping","id":true}', "bad-request"),
    ("id null", b'{"cmd":"ping","id":null}', "bad-request"),
    ("null optional field", b'{"cmd":"stop","chair":"1","reason":null}', "bad-request"),
    ("2.5 in an integer field", b'{"cmd":"watch","topics":["alarms"],"since":2.5}', "bad-request"),
    ("nesting 33 deep", b'{"cmd":"ping","x":' + b"[" * 32 + b"]" * 32 + b"}", "bad-request"),
]
# ids echoed with the very digits sent
ECHOED_IDS = [b"12345678901234567890123", b"1.50", b"-0", b"1E2", b"0.1e-5"]


def hostile_lines(rng, count, commands):
    """(kind, field, bytes) triples, none empty or all white space (the daemon ignores those)."""
    by_cmd = {}
    for e in EXAMPLES:
        by_cmd.setdefault(e["cmd"], []).append(e)
    examples = []
    for cmd in commands:  # every command help lists, with its own fields where known
        examples += by_cmd.get(cmd) or [{"cmd": cmd}]
    kinds = ["invalid-json", "invalid-utf8", "deep-nesting", "wrong-type", "wrong-type", "wrong-type"]
    for _ in range(count):
        kind = rng.choice(kinds)
        field = None
        if kind == "invalid-json":
            n = rng.randint(1, 200)
            body = bytes(rng.choice(b"{}[]\":,0123456789abcdefnulltrue \t\\x") for _ in range(n))
            line = b"{" + body  # starts with a brace: never empty, never valid
        elif kind == "invalid-utf8":
            bad = rng.choice([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xe2\x82"])
            line = b'{"cmd":"ping","id":"' + bad + b'"}'
        elif kind == "deep-nesting":
            depth = rng.choice([33, 64, 1000, 10000])
            opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
            line = b'{"cmd":"ping","x":' + opener * depth + b"1" + closer * depth + b"}"
        else:
            field, line = wrong_type_line(rng, rng.choice(examples))
        yield kind, field, line


def drill_hostile(bindir, quick, rng):
    n = 10_000 if quick else 100_000
    rig = Rig(bindir)
    figures = {"name": "hostile-lines", "lines": 0, "failures": []}
    try:
        rig.start_daemon()
        rss_before = rig.rss_kib()
        helped = call(rig.sock, "help")["result"]["commands"]
        # Commands that change a chair or the clinic are sent too: with wrong types they must be refused;
        # if one is accepted it is counted under "ok" and named in the figures.
        commands = [c["cmd"] for c in helped] + ["launch", ""]
        codes = Counter()
        by_kind = Counter()
        accepted = Counter()
        unnamed = Counter()
        samples = {}
        client = Client(rig.sock)
        batch = []
        started = time.monotonic()

        def flush():
            client.send_raw(b"".join(line + b"\n" for _, _, line in batch))
            for kind, field, line in batch:
                reply = client.read_reply()
                if reply["ok"]:
                    codes["ok"] += 1
                    accepted[f"{reply['reply']} ({kind})"] += 1
                    samples.setdefault(f"accepted {kind}", line[:200].decode(errors="replace"))
                    continue
                code = reply["error"]["code"]
                codes[code] += 1
                if kind == "wrong-type" and code == "bad-request" and field and field != "cmd" \
                        and f"'{field}" not in reply["error"]["message"] and field not in reply["error"]["message"]:
                    unnamed[field] += 1
                    samples.setdefault(f"unnamed {field}", reply["error"]["message"][:200])
            batch.clear()

        for kind, field, line in hostile_lines(rng, n, commands):
            by_kind[kind] += 1
            batch.append((kind, field, line))
            if len(batch) == 200:
                flush()
        if batch:
            flush()
        figures["lines"] = n
        for kind, count in accepted.items():
            if "wrong-type" in kind or "invalid" in kind or "nesting" in kind:
                figures["failures"].append(f"{count} hostile lines accepted as {kind}")
        if unnamed:
            figures["failures"].append(f"bad-request without the field's name: {dict(unnamed)}")

        # The exact cases: each must get its documented code, and ids come back with their very digits.
        strict = {}
        for what, line, expected in STRICTNESS:
            client.send_raw(line + b"\n")
            reply = client.read_reply()
            got = "ok" if reply["ok"] else reply["error"]["code"]
            strict[what] = got
            if got != expected:
                figures["failures"].append(f"{what}: {line[:60]!r} answered {got}, expected {expected}")
        for id_text in ECHOED_IDS:
            client.send_raw(b'{"cmd":"ping","id":' + id_text + b"}\n")
            raw = client.read_line()
            echoed = b'"id":' + id_text in raw
            strict[f"id {id_text.decode()} echoed exactly"] = echoed
            if not echoed:
                figures["failures"].append(f"id {id_text.decode()} not echoed exactly: {raw[:120]!r}")
        figures["strictness"] = strict
        figures["samples"] = samples
        client.close()

        # Oversized lines: each gets line-too-long and its connection is closed.
        oversized = 20 if quick else 100
        closed = 0
        for i in range(oversized):
            c = Client(rig.sock)
            try:
                size = rng.choice([65537, 100_000, 1_000_000])
                c.send_raw(b'{"cmd":"ping","pad":"' + b"a" * size + b'"}\n')
            except OSError:
                pass  # the daemon may close before taking all of it
            try:
                reply = c.read_reply()
                codes[reply["error"]["code"] if not reply["ok"] else "ok"] += 1
                try:
                    c.read_line()
                except (OSError, EOFError):
                    closed += 1
            except (OSError, EOFError):
                codes["closed-without-reply"] += 1
            c.close()
        by_kind["oversized"] = oversized
        figures["oversizedClosed"] = closed

        # Connection storm: connects dropped at once, after the hello, or half-way through a line.
        storm = 500 if quick else 5000
        for i in range(storm):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(rig.sock)
            how = i % 3
            if how == 1:
                s.recv(4096)
            elif how == 2:
                s.sendall(b'{"cmd":"sta')
            s.close()
        figures["stormConnections"] = storm

        # A watcher that never reads while notices of 60 KB flood it.
        stalled = Client(rig.sock)
        stalled.send_raw(b'{"cmd":"watch","topics":["notices"]}\n')
        notices = 200 if quick else 1000
        admin = Client(rig.sock)
        text = "n" * 60_000
        for _ in range(notices):
            reply = admin.call("notice", text=text)
            if not reply["ok"]:
                figures["failures"].append(f"notice refused: {reply['error']}")
                break
        rss_peak = rig.rss_kib()
        admin.close()
        figures["stalledWatcherNotices"] = notices
        # What the stalled watcher finally gets: whole lines, then (by the protocol) an overflow event.
        stalled.sock.settimeout(10)
        got_overflow, truncated, lines_read = False, False, 0
        try:
            while True:
                line = stalled.read_line()
                lines_read += 1
                try:
                    if json.loads(line).get("event") == "overflow":
                        got_overflow = True
                except ValueError:
                    truncated = True
        except (OSError, EOFError):
            pass
        stalled.close()
        figures["stalledWatcherLinesRead"] = lines_read
        figures["stalledWatcherOverflowEvent"] = got_overflow
        figures["stalledWatcherTruncatedLine"] = truncated
        if not got_overflow:
            figures["failures"].append("the stalled watcher never received the overflow event (docs/PROTOCOL.md)")
        if truncated:
            figures["failures"].append("the stalled watcher received a truncated line")

        # Afterwards: alive, ping and status right, the audit chain intact.
        if not rig.daemon_alive():
            figures["failures"].append("infusiond died")
        else:
            ping = call(rig.sock, "ping", id=42)
            if not (ping["ok"] and ping.get("id") == 42 and ping["result"].get("pong") is True):
                figures["failures"].append(f"ping answered wrongly: {ping}")
            status = call(rig.sock, "status")["result"]
            if status["chairs"][0]["state"] != "idle":
                figures["failures"].append(f"chair left idle: {status['chairs'][0]['state']} ({dict(accepted)})")
            audit = audit_intact(rig.sock)
            figures["auditRecords"] = audit["records"]
            figures["auditIntact"] = audit["intact"]
            if not audit["intact"]:
                figures["failures"].append(f"audit chain broken at {audit.get('firstBrokenRecord')}")
            figures["rssKiB"] = {"before": rss_before, "peakWithStalledWatcher": rss_peak, "after": rig.rss_kib()}
        if codes.get("internal"):
            figures["failures"].append(f"{codes['internal']} 'internal' error replies")
        figures["replies"] = dict(sorted(codes.items()))
        figures["kinds"] = dict(sorted(by_kind.items()))
        figures["acceptedCommands"] = dict(sorted(accepted.items()))
        figures["seconds"] = round(time.monotonic() - started, 1)
    except (DrillError, OSError, EOFError, ValueError, KeyError) as e:
        figures["failures"].append(f"drill aborted: {type(e).__name__}: {e}")
    finally:
        figures["daemonAlive"] = rig.daemon_alive()
        rig.close()
    return figures


# ---------------------------------------------------------------- drill 2: SIGKILL during infusions


def unrecorded(rig, acknowledged):
    """The acknowledged commands of begin_infusion the audit log does not show, read back with `report`
    (the chair's latest session assembled from the audit records, docs/EXPORTS.md)."""
    if not acknowledged:
        return []
    reply = call(rig.sock, "report", chair="1", format="json")
    if not reply["ok"]:
        return list(acknowledged)
    report = json.loads(reply["result"]["text"])
    shown = {
        "intake": report.get("session", {}).get("patientID") == INTAKE["patientID"],
        "program": report.get("program", {}).get("targetDoseMg") == PROGRAM["totalDose"] * INTAKE["weight"],
        "start": any(row.get("reason") == "start" for row in report.get("rateChanges", [])),
    }
    return [cmd for cmd in acknowledged if not shown.get(cmd, False)]


KILLS = None  # --kills N overrides the count


def drill_sigkill(bindir, quick, rng):
    points = KILLS or (5 if quick else 100)
    figures = {"name": "sigkill", "points": points, "failures": [], "phases": Counter(),
               "restartSeconds": [], "pumpStillSeconds": [],
               "pumpAtKill": Counter(), "pumpAtRestart": Counter(), "pumpAfterRestart": Counter(),
               "acknowledgedCommandsChecked": 0}
    started = time.monotonic()
    for point in range(points):
        rig = Rig(bindir)
        try:
            rig.start_daemon()
            acknowledged = []
            # The kill falls at a random moment from intake to a few seconds of infusing.
            delay = rng.uniform(0.0, 12.0)
            timer = threading.Timer(delay, lambda: rig.daemon.send_signal(signal.SIGKILL))
            timer.start()
            try:
                begin_infusion(rig, acknowledged)
            except (DrillError, OSError, EOFError, ValueError) as e:
                if not timer.finished.is_set():  # not the kill: the infusion could not begin
                    timer.cancel()
                    figures["failures"].append(f"point {point}: the infusion could not begin: {e}")
                    rig.daemon.send_signal(signal.SIGKILL)
            timer.join()
            rig.daemon.wait()
            phase = acknowledged[-1] if acknowledged else "none"
            figures["phases"][phase] += 1
            before = pump_state(rig)
            figures["pumpAtKill"][before.get("status", "?")] += 1
            # An outage of up to 3 s: the pump is on its own meanwhile (the NE-1000 keeps running until
            # its safe-mode timer expires, if the daemon set one).
            time.sleep(rng.uniform(0.0, 3.0))
            figures["pumpAtRestart"][pump_state(rig).get("status", "?")] += 1

            t0 = time.monotonic()
            rig.start_daemon()
            figures["restartSeconds"].append(round(time.monotonic() - t0, 2))
            # Physical truth: with nobody resuming, the pump must come to a standstill (the restored
            # chair is paused and the pause repeated until a read-back confirms it).
            t1 = time.monotonic()
            try:
                wait_until(lambda: pump_state(rig).get("status") != "I", what="the pump to stop")
                figures["pumpStillSeconds"].append(round(time.monotonic() - t1, 2))
                figures["pumpAfterRestart"][pump_state(rig).get("status", "?")] += 1
            except DrillError:
                figures["failures"].append(f"point {point} ({phase}, kill at {delay:.2f}s): "
                                           f"pump still infusing {DEADLINE:.0f}s after restart: {pump_state(rig)}")
                continue
            # ... and stay so: no pump resumes by itself. The chair does not claim to infuse.
            end = time.monotonic() + 3
            while time.monotonic() < end:
                st = pump_state(rig)
                if st.get("status") == "I":
                    figures["failures"].append(f"point {point} ({phase}): the pump resumed by itself: {st}")
                    break
                time.sleep(0.25)
            state = chair(rig.sock)["state"]
            if state == "infusing":
                figures["failures"].append(f"point {point} ({phase}): the daemon shows the chair infusing "
                                           f"with the pump still")
            if phase == "start" and state != "paused":
                figures["failures"].append(f"point {point}: an acknowledged infusion restored as '{state}', "
                                           f"not paused (pump before restart {before.get('status')})")
            audit = audit_intact(rig.sock)
            if not audit["intact"]:
                figures["failures"].append(f"point {point} ({phase}): audit chain broken at "
                                           f"{audit.get('firstBrokenRecord')}")
            for missing in unrecorded(rig, acknowledged):
                figures["failures"].append(f"point {point}: acknowledged '{missing}' missing from the audit log")
            figures["acknowledgedCommandsChecked"] += len(acknowledged)
        except (DrillError, OSError, EOFError, ValueError, KeyError) as e:
            figures["failures"].append(f"point {point}: drill aborted: {type(e).__name__}: {e}")
        finally:
            rig.close()
    figures["phases"] = dict(figures["phases"])
    figures["pumpAtKill"] = dict(figures["pumpAtKill"])
    figures["pumpAtRestart"] = dict(figures["pumpAtRestart"])
    figures["pumpAfterRestart"] = dict(figures["pumpAfterRestart"])
    figures["seconds"] = round(time.monotonic() - started, 1)
    return figures


# ---------------------------------------------------------------- drill 3: garbage on a device link


def drill_garbage(bindir, quick, rng):
    seconds = 10 if quick else 60
    figures = {"name": "monitor-garbage", "garbageSeconds": seconds, "failures": []}
    rig = Rig(bindir)
    started = time.monotonic()
    try:
        rig.start_daemon()
        begin_infusion(rig)
        answer = control(rig.monitor + ".control", "fault garbage on")
        if not answer.startswith("ok"):
            raise DrillError(f"fault garbage on: {answer}")
        time.sleep(seconds)
        control(rig.monitor + ".control", "fault garbage off")
        if not rig.daemon_alive():
            raise DrillError("infusiond died under garbage")
        # Resynchronised: a fresh vital arrives after the noise.
        watcher = Client(rig.sock)
        watcher.send_raw(b'{"cmd":"watch","topics":["vitals"]}\n')
        watcher.read_reply()
        t0 = time.monotonic()
        while True:
            message = json.loads(watcher.read_line())
            if message.get("event") == "vital":
                break
        figures["firstVitalAfterSeconds"] = round(time.monotonic() - t0, 2)
        watcher.close()
        c = chair(rig.sock)
        figures["chairStateAfter"] = c["state"]
        st = pump_state(rig)
        figures["pumpStatusAfter"] = st.get("status")
        # The daemon's account of the pump matches the pump: infusing on both sides, or still on both.
        if (c["state"] == "infusing") != (st.get("status") == "I"):
            figures["failures"].append(f"daemon says {c['state']}, pump says {st}")
        audit = audit_intact(rig.sock)
        if not audit["intact"]:
            figures["failures"].append("audit chain broken")
    except (DrillError, OSError, EOFError, ValueError, KeyError) as e:
        figures["failures"].append(f"drill aborted: {type(e).__name__}: {e}")
    finally:
        figures["daemonAlive"] = rig.daemon_alive()
        rig.close()
    figures["seconds"] = round(time.monotonic() - started, 1)
    return figures


DRILLS = {"hostile-lines": drill_hostile, "sigkill": drill_sigkill, "monitor-garbage": drill_garbage}

# Issue 21 item 2's further drills (full disk, unplug, kills after a restart, pump truth): scripts/drills.d/faults.py.
# Their results carry `counts` (the table's column) and `notes` (lines for docs/RELIABILITY.md).
if __name__ == "__main__":
    import faults
    DRILLS.update(faults.DRILLS)


def summary_row(f):
    if "counts" in f:
        count = f["counts"]
    elif f["name"] == "hostile-lines":
        count = f"{f.get('lines', 0)} lines, {f.get('oversizedClosed', 0)} oversized, " \
                f"{f.get('stormConnections', 0)} storm conns, {f.get('stalledWatcherNotices', 0)} notices to a stalled watcher"
    elif f["name"] == "sigkill":
        count = f"{f['points']} kills ({', '.join(f'{k} {v}' for k, v in sorted(f['phases'].items()))})"
    else:
        count = f"{f['garbageSeconds']} s of garbage on the IntelliVue link"
    return f["name"], count, len(f["failures"]), f.get("seconds", 0)


def percentile(values, q):
    if not values:
        return "-"
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def markdown(results, seed, quick):
    """The figures for docs/RELIABILITY.md: the machine, a table, each drill's counts and failures."""
    machine = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    lines = [f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
             f"{' with `--quick`' if quick else ''}, seed {seed} (`--seed {seed}` repeats the random choices).",
             f"Machine: `{machine}`, {os.cpu_count()} CPUs.", "",
             "| drill | counts | failures | seconds |", "|---|---|---:|---:|"]
    for name, count, failures, seconds in map(summary_row, results):
        lines.append(f"| {name} | {count} | {failures} | {seconds} |")
    for f in results:
        lines += ["", f"### {f['name']}", ""]
        if f["name"] == "hostile-lines":
            lines.append("Replies by code: " + ", ".join(f"`{k}` {v}" for k, v in f.get("replies", {}).items()) + ".")
            lines.append("Lines by kind: " + ", ".join(f"{k} {v}" for k, v in f.get("kinds", {}).items()) + ".")
            strict = f.get("strictness", {})
            if strict:
                lines.append("Exact cases: " + "; ".join(f"{k}: {v}" for k, v in strict.items()) + ".")
            lines.append(f"Stalled watcher: read {f.get('stalledWatcherLinesRead')} lines after "
                         f"{f.get('stalledWatcherNotices')} notices of 60 KB, overflow event "
                         f"{'received' if f.get('stalledWatcherOverflowEvent') else 'NOT received'}; daemon RSS "
                         + ", ".join(f"{k} {v} KiB" for k, v in f.get("rssKiB", {}).items()) + ".")
            lines.append(f"Audit records after the drill: {f.get('auditRecords')}, chain "
                         f"{'intact' if f.get('auditIntact') else 'NOT intact'}.")
        elif f["name"] == "sigkill":
            lines.append("Last command acknowledged before the kill: "
                         + ", ".join(f"{k} {v}" for k, v in sorted(f["phases"].items())) + ". Pump status at the kill: "
                         + ", ".join(f"`{k}` {v}" for k, v in sorted(f["pumpAtKill"].items())) + "; at the restart: "
                         + ", ".join(f"`{k}` {v}" for k, v in sorted(f["pumpAtRestart"].items())) + "; once still after it: "
                         + ", ".join(f"`{k}` {v}" for k, v in sorted(f["pumpAfterRestart"].items())) + ".")
            r, p = f["restartSeconds"], f["pumpStillSeconds"]
            lines.append(f"Acknowledged commands looked up in the audit log after the restarts: "
                         f"{f.get('acknowledgedCommandsChecked')}.")
            lines.append(f"Restart to first `ping` answer: median {percentile(r, 0.5)} s, max {max(r) if r else '-'} s. "
                         f"Restart answered to the pump seen still: median {percentile(p, 0.5)} s, "
                         f"max {max(p) if p else '-'} s.")
        elif "notes" in f:
            lines += [f"- {note}" for note in f["notes"]]
        else:
            lines.append(f"After the garbage: first vital in {f.get('firstVitalAfterSeconds')} s, chair "
                         f"`{f.get('chairStateAfter')}`, pump status `{f.get('pumpStatusAfter')}`.")
        if f["failures"]:
            lines += ["", "Failures:", ""] + [f"- {x}" for x in f["failures"][:20]]
            if len(f["failures"]) > 20:
                lines.append(f"- ... and {len(f['failures']) - 20} more")
        else:
            lines += ["", "No failures."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="directory with infusiond and infusion-sim")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--only", nargs="*", choices=list(DRILLS))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--kills", type=int, help="SIGKILL points (default 100, 5 with --quick)")
    parser.add_argument("--markdown", help="write the figures as a Markdown fragment here")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    rng = random.Random(seed)
    global KILLS
    KILLS = args.kills
    results = []
    for name in args.only or list(DRILLS):
        print(f"drills: {name} ...", file=sys.stderr, flush=True)
        results.append(DRILLS[name](args.bin, args.quick, rng))
    print(f"{'drill':<16} {'failures':>8} {'seconds':>8}  counts")
    for name, count, failures, seconds in map(summary_row, results):
        print(f"{name:<16} {failures:>8} {seconds:>8}  {count}")
    for f in results:
        for failure in f["failures"]:
            print(f"FAIL {f['name']}: {failure}")
    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write(markdown(results, seed, args.quick))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"seed": seed, "quick": args.quick, "drills": results}, out, indent=1, default=str)
    return 1 if any(f["failures"] for f in results) else 0


if __name__ == "__main__":
    sys.exit(main())

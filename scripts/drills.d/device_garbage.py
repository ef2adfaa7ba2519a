"""The device-garbage drill (issue 21 item 2): random bytes into each device family's link during an
infusion.

For each family (NE-1000 and Harvard pumps; Masimo, Nonin DF2, Nonin DF8 and IntelliVue monitors) a
fresh rig is set up with that family on the noisy side, an infusion is started, and the simulator's noise
fault (`noise` on the pumps, `garbage` on the monitors, docs/SIMULATORS.md) is switched on at a
`noise-rate` dense enough for the count to take seconds, until the simulator's `state` reports at least
N garbage bytes written (10^6; 10^5 with --quick; 10^4 with --ci). Then it is switched off and the drill
asserts: infusiond is alive; the link resynchronised (a fresh `pump.readback` for a pump, a fresh
`vital` for a monitor); no read-back during the noise showed a rate the pump was not running; the
daemon's account of the pump matches the pump simulator (infusing on both sides, or still on both with
an alarm active); a pump that stopped did not start again by itself; the audit chain is intact.
"""
import json
import threading
import time
from collections import Counter

from drills import (DEADLINE, Client, DrillError, Rig, audit_intact, begin_infusion, call, chair, control,
                    sized, wait_until)

# (name, noisy side, pump family, monitor family, infusion-sim monitor options, the binding's settings).
# A pump family is drilled with a Masimo monitor, which streams every second and needs no association.
FAMILIES = [
    ("NE-1000", "pump", "newera", "masimo", [], None),
    ("Harvard", "pump", "harvard", "masimo", [], None),
    ("Masimo", "monitor", "newera", "masimo", [], None),
    ("Nonin DF2", "monitor", "newera", "nonin", ["--nonin-format", "df2"], {"noninFormat": "df2"}),
    ("Nonin DF8", "monitor", "newera", "nonin", ["--nonin-format", "df8"], {"noninFormat": "df8"}),
    ("IntelliVue", "monitor", "newera", "intellivue", [], None),
]
# Bytes per second of noise between messages: about four times what a 115,200-baud line carries, so
# 10^6 bytes take some 20 s; the messages themselves still go out whole between the bursts.
NOISE_RATE = 50_000
# The start of the drill is about the noise, not the baseline cuff pressure (drilled elsewhere).
CORE = {"requireBaselineBloodPressure": False}
# mL/h per unit of the simulators' `rate=` (NE-1000 unit codes; Harvard unit words).
RATE_UNITS = {"MH": 1.0, "MM": 60.0, "UH": 1e-3, "UM": 0.06,
              "ml/h": 1.0, "ml/min": 60.0, "ul/h": 1e-3, "ul/min": 0.06}


def sim_state(path):
    answer = control(path + ".control", "state")
    if not answer.startswith("ok"):
        raise DrillError(f"state: {answer}")
    return dict(kv.split("=", 1) for kv in answer.split()[1:] if "=" in kv)


def garbage_bytes(state):
    return int(state.get("garbage_bytes", state.get("garbage-bytes", "-1")))


def pump_infusing(state):
    """The physical truth: NE-1000 status letter I, Harvard prompt `>`."""
    return state.get("status") == "I" or state.get("prompt") == ">"


def pump_rate(state):
    """The rate the pump runs at, mL/h (0 when it is not infusing)."""
    if not pump_infusing(state):
        return 0.0
    text = state.get("rate", "")
    for unit, factor in sorted(RATE_UNITS.items(), key=lambda u: -len(u[0])):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise DrillError(f"unreadable pump rate {text!r}")


class Events:
    """A watcher of the pump, vitals and alarms topics whose events a thread collects with the moment
    (monotonic) each arrived."""

    def __init__(self, sock_path):
        self.client = Client(sock_path, timeout=None)
        self.client.send_raw(b'{"cmd":"watch","topics":["pump","vitals","alarms"]}\n')
        self.client.read_reply()
        self.events = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            while True:
                message = json.loads(self.client.read_line())
                if "event" in message:
                    with self.lock:
                        self.events.append((time.monotonic(), message))
        except (OSError, EOFError, ValueError):
            pass

    def since(self, t0, name):
        with self.lock:
            return [(t, m) for t, m in self.events if t >= t0 and m["event"] == name]

    def close(self):
        self.client.close()
        self.thread.join(5)


def drill_family(bindir, mode, rng, family):
    name, side, pump_family, monitor_family, monitor_options, monitor_settings = family
    target = sized(mode, 1_000_000, 100_000, 10_000)
    figures = {"family": name, "side": side, "targetBytes": target, "failures": []}
    seed = rng.randrange(1 << 31)
    rig = Rig(bindir, pump_family=pump_family, monitor_family=monitor_family,
              pump_options=["--seed", str(seed)], monitor_options=[*monitor_options, "--seed", str(seed)],
              monitor_settings=monitor_settings, core=CORE)
    noisy = rig.pump if side == "pump" else rig.monitor
    fault = "noise" if side == "pump" else "garbage"
    events = None
    started = time.monotonic()
    try:
        rig.start_daemon()
        begin_infusion(rig)
        wait_until(lambda: pump_infusing(sim_state(rig.pump)) and chair(rig.sock)["state"] == "infusing",
                   what="the pump and the chair infusing")
        running_rate = pump_rate(sim_state(rig.pump))
        patient = sim_state(rig.monitor)
        events = Events(rig.sock)
        for line in (f"noise-rate {NOISE_RATE}", f"fault {fault} on"):
            answer = control(noisy + ".control", line)
            if not answer.startswith("ok"):
                raise DrillError(f"{line}: {answer}")
        t_on = time.monotonic()
        # Until the count is reached: the pump's truth sampled, to tell a pump that started by itself.
        seen_still, resumed = False, False
        limit = t_on + target / NOISE_RATE * 5 + DEADLINE
        while True:
            written = garbage_bytes(sim_state(noisy))
            infusing = pump_infusing(sim_state(rig.pump))
            seen_still = seen_still or not infusing
            resumed = resumed or (seen_still and infusing)
            if written >= target:
                break
            if time.monotonic() > limit:
                raise DrillError(f"only {written} garbage bytes after {time.monotonic() - t_on:.0f} s")
            if not rig.daemon_alive():
                raise DrillError("infusiond died under the noise")
            time.sleep(0.1)
        control(noisy + ".control", f"fault {fault} off")
        t_off = time.monotonic()
        figures["garbageBytes"] = garbage_bytes(sim_state(noisy))
        figures["noiseSeconds"] = round(t_off - t_on, 1)
        if not rig.daemon_alive():
            raise DrillError("infusiond died under the noise")
        if not call(rig.sock, "ping")["ok"]:
            raise DrillError("infusiond does not answer ping after the noise")
        # Resynchronised: a fresh message of the noisy device after the noise.
        fresh = "pump.readback" if side == "pump" else "vital"
        first = wait_until(lambda: events.since(t_off, fresh), what=f"a {fresh} event after the noise")
        figures["resyncSeconds"] = round(first[0][0] - t_off, 2)
        # No read-back during the noise shows a rate the pump does not run.
        readbacks = events.since(t_on, "pump.readback")
        figures["readbacks"] = len(readbacks)
        figures["readbackStates"] = dict(Counter(m["data"]["detail"].get("state") for _, m in readbacks))
        commanded = chair(rig.sock).get("commandedFlowMillilitresPerHour")
        for _, message in readbacks:
            detail = message["data"]["detail"]
            rate = detail.get("rateMillilitresPerHour")
            if rate is None or detail.get("state") != "infusing":
                continue
            if not any(abs(rate - r) <= 0.01 * max(r, 1e-6) for r in (running_rate, commanded or 0.0)):
                figures["failures"].append(f"a read-back showed {rate} mL/h infusing; the pump runs "
                                           f"{running_rate} mL/h: {detail}")
        # No vital during the noise passed as good with a number the monitor did not send (the patient's
        # SpO2 and pulse are steady here; the model's measurement noise is well inside these margins).
        vitals = events.since(t_on, "vital")
        figures["vitalsDuringNoise"] = len([1 for t, _ in vitals if t < t_off])
        sent = {"spo2": (float(patient["spo2"]), 4.0), "pulseRate": (float(patient["pleth-rate"]), 15.0)}
        misread = [m["data"]["detail"] for _, m in vitals
                   if not m["data"]["detail"].get("flags") and m["data"]["detail"].get("parameter") in sent
                   and m["data"]["detail"].get("value") is not None
                   and abs(m["data"]["detail"]["value"] - sent[m["data"]["detail"]["parameter"]][0])
                   > sent[m["data"]["detail"]["parameter"]][1]]
        figures["misreadVitals"] = len(misread)
        if misread:
            figures["failures"].append(f"{len(misread)} vitals without flags and far from what the monitor "
                                       f"sent ({patient['spo2']} %, {patient['pleth-rate']}/min), e.g. {misread[:3]}")
        # The daemon's account of the pump matches the pump: infusing on both sides, or still on both
        # with an alarm active (the noise may stop an infusion, never silently).
        # An alarm raised before the noise (a latched link alarm from the setup) does not count.
        def raised_since_noise():
            conditions = {m["data"]["detail"].get("condition") for _, m in events.since(t_on, "alarm.raised")}
            return [a for a in chair(rig.sock).get("activeAlarms", []) if a.get("condition") in conditions]

        def consistent():
            c, st = chair(rig.sock), sim_state(rig.pump)
            infusing = pump_infusing(st)
            if (c["state"] == "infusing") != infusing:
                return None
            if not infusing and not raised_since_noise():
                return None
            return c, st
        try:
            c, st = wait_until(consistent, what="the daemon's account to match the pump")
        except DrillError:
            c, st = chair(rig.sock), sim_state(rig.pump)
            figures["failures"].append(f"daemon says {c['state']} (alarms "
                                       f"{[a.get('condition') for a in c.get('activeAlarms', [])]}, raised during "
                                       f"the noise {[a['condition'] for a in raised_since_noise()]}), "
                                       f"pump says {st}")
        figures["chairStateAfter"] = c["state"]
        figures["pumpInfusingAfter"] = pump_infusing(st)
        figures["alarmsAfter"] = sorted({a["condition"] for a in raised_since_noise()})
        # No pump starts again by itself: once seen still, it stays so for 3 s more (1 s in the ci pass).
        end = time.monotonic() + sized(mode, 3, 3, 1)
        while time.monotonic() < end:
            infusing = pump_infusing(sim_state(rig.pump))
            seen_still = seen_still or not infusing
            resumed = resumed or (seen_still and infusing)
            time.sleep(0.25)
        if resumed:
            figures["failures"].append("the pump was seen still and then infusing again without a resume")
        audit = audit_intact(rig.sock)
        if not audit["intact"]:
            figures["failures"].append(f"audit chain broken at {audit.get('firstBrokenRecord')}")
    except (DrillError, OSError, EOFError, ValueError, KeyError) as e:
        figures["failures"].append(f"drill aborted: {type(e).__name__}: {e}")
    finally:
        figures["daemonAlive"] = rig.daemon_alive()
        if not figures["daemonAlive"] and rig.daemon is not None:
            figures["failures"].append(f"infusiond exited with {rig.daemon.returncode}")
        if events:
            events.close()
        rig.close()
    figures["seconds"] = round(time.monotonic() - started, 1)
    return figures


def drill_device_garbage(bindir, mode, rng):
    started = time.monotonic()
    families = [drill_family(bindir, mode, rng, family) for family in FAMILIES]
    failures = [f"{f['family']}: {x}" for f in families for x in f["failures"]]
    figures = {"name": "device-garbage", "noiseRate": NOISE_RATE, "families": families, "failures": failures,
               "seconds": round(time.monotonic() - started, 1)}
    total = sum(x.get("garbageBytes", 0) for x in families)
    figures["counts"] = f"{total} garbage bytes into {len(families)} device links"
    figures["markdown"] = device_garbage_markdown(figures)
    return figures


def readbacks(x):
    states = x.get("readbackStates")
    if states is None:
        return "-"
    return f"{x['readbacks']}" + (f" ({', '.join(f'{k} {v}' for k, v in sorted(states.items()))})" if states else "")


def device_garbage_markdown(f):
    """The per-family table for docs/RELIABILITY.md."""
    lines = [f"Noise between messages at {f['noiseRate']} bytes/s (plus a burst of 3-24 bytes before each "
             f"message) until the simulator reported the count written.", "",
             "| family | garbage bytes | seconds of noise | resync (s) | read-backs during noise | vitals during noise (misread) | "
             "chair after | pump infusing after | alarms raised since the noise began |",
             "|---|---:|---:|---:|---|---:|---|---|---|"]
    for x in f["families"]:
        lines.append(f"| {x['family']} | {x.get('garbageBytes', '-')} | {x.get('noiseSeconds', '-')} | "
                     f"{x.get('resyncSeconds', '-')} | {readbacks(x)} | "
                     f"{x.get('vitalsDuringNoise', '-')} ({x.get('misreadVitals', '-')}) | {x.get('chairStateAfter', '-')} | "
                     f"{x.get('pumpInfusingAfter', '-')} | {', '.join(x.get('alarmsAfter', [])) or 'none'} |")
    return lines


DRILLS = {"device-garbage": drill_device_garbage}

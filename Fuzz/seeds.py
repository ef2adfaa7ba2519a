#!/usr/bin/env python3
"""Writes the committed seed corpora, Fuzz/corpus/<target>/, from the worked bytes of the reference
(docs/DEVICE-BASIS.md), the examples
in docs/PROTOCOL.md and config/, and the fixtures of the existing tests. Run it again after changing
it; libFuzzer only reads these directories (scripts/fuzz writes new entries elsewhere).

Every constructed frame is checked against a reference value before it is written (the X.25 FCS of
the reference poll request, the 140 bytes of the reference numerics result), so a seed is the bytes
the documents give, not a guess.
"""
import json
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "Fuzz" / "corpus"


def hexbytes(text):
    return bytes(int(token, 16) for token in text.split())


def write(target, name, data):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


# --- New Era NE-1000 (DEVICE-BASIS §1 "Worked exchanges") -------------------------------------

def xmodem(data):
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def safe_packet(text):
    data = text.encode()
    crc = xmodem(data)
    return bytes([0x02, len(data) + 4]) + data + bytes([crc >> 8, crc & 0xFF, 0x03])


assert safe_packet("SAF0") == hexbytes("02 08 53 41 46 30 55 43 03"), "XMODEM check against the manual's example"
assert safe_packet("00S?OOR") == hexbytes("02 0B 30 30 53 3F 4F 4F 52 23 3F 03")

newera_replies = {
    "basic-stopped": "02 30 30 53 03",
    "basic-infusing": "02 30 30 49 03",
    "basic-dispensed": "02 30 30 49 49 30 2E 31 32 35 57 30 2E 30 30 30 4D 4C 03",
    "basic-out-of-range": "02 30 30 49 3F 4F 4F 52 03",
    "basic-alarm-reset": "02 30 30 41 3F 52 03",
    "safe-stopped": "02 07 30 30 53 AA A6 03",
    "safe-infusing": "02 07 30 30 49 19 DD 03",
    "safe-rate": "02 0E 30 30 53 35 2E 30 30 30 4D 48 98 F7 03",
    "safe-alarm-timeout": "02 09 30 30 41 3F 54 05 40 03",
    "safe-out-of-range": "02 0B 30 30 53 3F 4F 4F 52 23 3F 03",
}
for name, text in newera_replies.items():
    write("newera_replies", name, hexbytes(text))
write("newera_replies", "stream-all", b"".join(hexbytes(t) for t in newera_replies.values()))
write("newera_replies", "basic-version", b"\x0200SNE1000V3.928\x03")
write("newera_replies", "safe-version", safe_packet("00SNE1000X2V3.928"))

newera_commands = {
    "basic-diameter": b"0DIA26.59\r",
    "basic-rate": b"0RAT5.0MH\r",
    "basic-volume": b"0VOL0\r",
    "basic-direction": b"0DIRINF\r",
    "basic-run": b"0RUN\r",
    "basic-dispensed": b"0DIS\r",
    "basic-rate-out-of-range": b"0RAT9999MH\r",
    "basic-address": b"*ADR1B19200\r",
    "safe-leave": hexbytes("02 08 53 41 46 30 55 43 03"),
    "safe-enable": hexbytes("02 0A 30 53 41 46 35 30 AF 7A 03"),
    "safe-status": hexbytes("02 05 30 36 53 03"),
    "safe-rate": hexbytes("02 0D 30 52 41 54 35 2E 30 4D 48 6E 2C 03"),
    "safe-dispensed": hexbytes("02 08 30 44 49 53 30 46 03"),
}
for name, data in newera_commands.items():
    write("newera_commands", name, data)
write("newera_commands", "stream-all", b"".join(newera_commands.values()))

# --- Harvard (DEVICE-BASIS §3) ----------------------------------------------------------------

harvard_replies = {
    "idle": b"\r\n00:",
    "infusing": b"\r\n00>",
    "withdrawing": b"\r\n00<",
    "infused-volume": b"\r\n0.1234 ml\r\n00>",
    "stalled-elite": b"\r\n00:*",
    "target-reached": b"\r\n00T*",
    "rate": b"\r\n5.25 ml/hr\r\n00>",
    "status": b"\r\n1458333333 12000 20000000000 I..T.\r\n00>",
    "diameter": b"\r\n26.59 mm\r\n00:",
    "error-unknown": b"\r\n?\r\n:",
    "error-out-of-range": b"\r\nOOR\r\n00:",
}
for name, data in harvard_replies.items():
    write("harvard_replies", name, data)
write("harvard_replies", "stream-all", b"".join(harvard_replies.values()))

harvard_commands = {
    "irate": b"irate 5 ml/h\r",
    "run": b"run\r",
    "ivolume": b"ivolume\r",
    "addressed-abbreviated": b"12:irat 3.2 ul/min\r",
    "diameter": b"diameter 26.59 mm\r\n",
    "tvolume": b"tvolume 10 ml\r",
    "status": b"status\r",
    "version": b"ver\r\n",
    "stop-clear": b"stop\rcvolume\rctvolume\r",
}
for name, data in harvard_commands.items():
    write("harvard_commands", name, data)

# --- Masimo (DEVICE-BASIS §4, verbatim device lines) --------------------------------------------

masimo_lines = {
    "radical7": "12/01/05 11:56:29 SN=0123456789 SPO2=098% BPM=240 PI=20.00% SPCO=01.0% SPMET=00.5% DESAT=01 "
    "PIDELTA=-02 PVI=027 ALARM=0000 EXC=000820",
    "rad8": "02/22/16 22:47:45 SN=0000056661 SPO2=098% BPM=097 PI=03.60% SPCO=--.-% SPMET=--.-% DESAT=-- "
    "PIDELTA=+-- ALARM=0000 EXC=000800",
    "rad8-no-sensor": "03/19/16 13:37:12 SN=0000093112 SPO2=---% BPM=---% DESAT=-- PIDELTA=+-- ALARM=0000 EXC=000001",
    "rad5": "09/15/10 15:10:29 SPO2=097% BPM=064 PI=11.82% ALARM=20 EXC=800",
}
for name, line in masimo_lines.items():
    write("masimo", name, (line + "\r\n").encode())
write("masimo", "stream-all", "".join(line + "\r\n" for line in masimo_lines.values()).encode())
write("masimo", "tty-crlf-blank-lines", "".join(line + "\n\n" for line in masimo_lines.values()).encode())

# --- Nonin (DEVICE-BASIS §5; the capture quoted in Tests/DeviceProtocolsTests/NoninFormat2Tests) --

captured_frames = [
    "01804900CA", "0180464A11", "01804400C5", "01804300C4", "01814300C5", "0180434A0E", "0180436024",
    "0180439458", "01804300C4", "01804100C2", "01803E17D6", "01803C04C1", "018039601A", "0180366017",
    "0180356016", "01803400B5", "01803400B5", "01803400B5", "0180354A00", "0180366017", "0180376018",
    "01803A00BB", "01804000C1", "01804A00CB", "0180574A22", "01806900EA", "01807C4A47", "0180900011",
    "0180A10022", "0181AF0031",
]
capture = b"".join(bytes.fromhex(frame) for frame in captured_frames)
for offset in range(0, len(capture), 5):
    frame = capture[offset:offset + 5]
    assert (sum(frame[:4]) & 0xFF) == frame[4], "captured checksum"
write("nonin_df2", "captured-packet", capture)


def df2_frame(status, pleth, data):
    body = bytes([0x01, status, pleth, data])
    return body + bytes([sum(body) & 0xFF])


def df2_packet(heart_rate, spo2, perfusion_status):
    """A 25-frame packet laid out per the table in DEVICE-BASIS §5 (index → content)."""
    data = [0] * 25
    data[0], data[1] = heart_rate >> 7, heart_rate & 0x7F
    data[2] = spo2
    data[8] = data[9] = data[10] = data[15] = data[16] = spo2
    data[13], data[14] = heart_rate >> 7, heart_rate & 0x7F
    data[19], data[20] = heart_rate >> 7, heart_rate & 0x7F
    data[21], data[22] = heart_rate >> 7, heart_rate & 0x7F
    frames = []
    for index in range(25):
        status = perfusion_status | (0x01 if index == 0 else 0)
        frames.append(df2_frame(status, 0x40 + index, data[index]))
    return b"".join(frames)


constructed = df2_packet(72, 97, 0x82)
assert constructed[:5] == hexbytes("01 83 40 00 C4") and constructed[5:10] == hexbytes("01 82 41 48 0C")
assert constructed[10:15] == hexbytes("01 82 42 61 26") and constructed[-5:] == hexbytes("01 82 58 00 DB")
write("nonin_df2", "constructed-two-packets", constructed + df2_packet(72, 97, 0x82))
write("nonin_df2", "sensor-off-packets", df2_packet(511, 127, 0xC0) + df2_packet(511, 127, 0xC0))

write("nonin_df8", "hr72-spo2-97", hexbytes("80 48 61 00"))
write("nonin_df8", "no-sensor", hexbytes("E3 7F 7F 00"))
write("nonin_df8", "stream", hexbytes("80 48 61 00 80 48 61 00 E3 7F 7F 00 80 48 61 21"))

# --- Philips IntelliVue (DEVICE-BASIS §6) -------------------------------------------------------


def x25(data):
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc ^ 0xFFFF


def frame(user_data):
    body = bytes([0x11, 0x01, len(user_data) >> 8, len(user_data) & 0xFF]) + user_data
    fcs = x25(body)
    body += bytes([fcs & 0xFF, fcs >> 8])
    escaped = bytearray([0xC0])
    for byte in body:
        escaped += bytes([0x7D, byte ^ 0x20]) if byte in (0xC0, 0xC1, 0x7D) else bytes([byte])
    return bytes(escaped + b"\xC1")


def u16(value):
    return bytes([value >> 8, value & 0xFF])


def u32(value):
    return u16(value >> 16) + u16(value & 0xFFFF)


def prefixed(body):
    return u16(len(body)) + body


assert x25(b"123456789") == 0x906E, "X.25 check value"
poll_request = hexbytes(
    "E1 00 00 02 00 01 00 28 00 01 00 07 00 22 00 21 00 00 00 00 00 00 00 00 F1 3B 00 14 "
    "00 01 00 01 00 06 00 00 00 01 00 08 F1 3E 00 04 00 03 A9 80")
assert frame(poll_request) == hexbytes(
    "C0 11 01 00 30 E1 00 00 02 00 01 00 28 00 01 00 07 00 22 00 21 00 00 00 00 00 00 00 00 "
    "F1 3B 00 14 00 01 00 01 00 06 00 00 00 01 00 08 F1 3E 00 04 00 03 A9 80 58 71 C1")
mds_create_result = hexbytes(
    "E1 00 00 02 00 02 00 14 00 01 00 01 00 0E 00 21 00 00 00 00 00 0A BD 00 0D 06 00 00")
assert frame(mds_create_result)[-3:] == hexbytes("39 17 C1")
numerics_result = hexbytes(
    "E1 00 00 02 00 02 00 84 00 01 00 07 00 7E 00 21 00 00 00 00 F1 3B 00 74 "
    "00 01 00 00 00 12 34 56 FF FF FF FF FF FF FF FF 00 01 00 06 08 03 "
    "00 01 00 5A 00 00 00 03 00 54 "
    "00 10 00 01 00 0E 09 50 00 0A 4B B8 00 00 02 20 00 00 00 61 "
    "00 11 00 01 00 0E 09 50 00 0A 41 82 00 00 0A A0 00 00 00 48 "
    "00 12 00 01 00 26 09 4B 00 22 00 03 00 1E "
    "4A 05 00 00 0F 20 00 00 00 78 4A 06 00 00 0F 20 00 00 00 50 4A 07 00 00 0F 20 00 00 00 5D")
assert frame(numerics_result)[-3:] == hexbytes("BE F3 C1")

MDS = u16(0x0021) + u16(0) + u16(0)


def session(operation, body):
    return hexbytes("E1 00 00 02") + u16(operation) + prefixed(body)


def numeric(physio, unit, value, state=0):
    return u16(physio) + u16(state) + u16(unit) + u32(value)


def attribute(identifier, value):
    return u16(identifier) + prefixed(value)


def observation(handle, attributes):
    return u16(handle) + u16(len(attributes)) + prefixed(b"".join(attributes))


def poll_result(observations, relative_time=0x123456, absolute_time=b"\xFF" * 8, linked=None):
    """An extended poll result (RORS, or RORLS when `linked` is (state, count)), one context."""
    contexts = u16(0) + u16(len(observations)) + prefixed(b"".join(observations))
    reply = u16(1) + u16(0) + u32(relative_time) + absolute_time + u16(1) + u16(0x0006) + u16(0x0803)
    reply += u16(1) + prefixed(contexts)
    action_result = MDS + u16(0xF13B) + prefixed(reply)
    header = (bytes(linked) if linked else b"") + u16(1) + u16(7) + prefixed(action_result)
    return session(5 if linked else 2, header)


reference_observations = [
    observation(0x10, [attribute(0x0950, numeric(0x4BB8, 0x0220, 97))]),
    observation(0x11, [attribute(0x0950, numeric(0x4182, 0x0AA0, 72))]),
    observation(0x12, [attribute(0x094B, u16(3) + prefixed(
        numeric(0x4A05, 0x0F20, 120) + numeric(0x4A06, 0x0F20, 80) + numeric(0x4A07, 0x0F20, 93)))]),
]
assert poll_result(reference_observations) == numerics_result, "poll result layout against the reference"

# With measurement time stamps, as Tests/DeviceProtocolsTests/IntelliVueTimeStampTests builds them.
clock = hexbytes("20 26 11 28 01 30 05 25")
stamped = poll_result([
    observation(0x10, [attribute(0x0950, numeric(0x4BB8, 0x0220, 97)), attribute(0x0991, u32(80_000))]),
    observation(0x14, [
        attribute(0x094B, u16(2) + prefixed(numeric(0x4A05, 0x0F20, 120) + numeric(0x4A06, 0x0F20, 80))),
        attribute(0x0991, u32(40_000)), attribute(0x0990, hexbytes("20 26 11 28 01 29 59 00"))]),
], relative_time=80_000, absolute_time=clock)
absolute_only = poll_result([
    observation(0x14, [
        attribute(0x094B, u16(2) + prefixed(numeric(0x4A05, 0x0F20, 120) + numeric(0x4A06, 0x0F20, 80))),
        attribute(0x0990, hexbytes("20 26 11 28 01 29 59 00"))]),
    observation(0x15, [attribute(0x0950, numeric(0x4BB0, 0x0200, 0xFE00007D))]),
], absolute_time=clock)
linked = poll_result(reference_observations[:2], linked=(1, 1))


def mds_create_event(invoke, time):
    info = MDS + u16(1) + prefixed(attribute(0x098F, u32(time)))
    argument = MDS + u32(time) + u16(0x0D06) + prefixed(info)
    return session(1, u16(invoke) + u16(1) + prefixed(argument))


aare = hexbytes(
    "0E CE 05 08 13 01 00 16 01 02 80 00 14 02 00 02 C1 BE "
    "31 80 A0 80 80 01 01 00 00 A2 80 A0 03 00 00 01 A5 80 30 80 80 01 00 81 02 51 01 00 00 30 80 "
    "80 01 00 81 0C 2A 86 48 CE 14 02 01 00 00 00 02 01 00 00 00 00 61 80 30 80 02 01 01 A0 80 61 "
    "80 A1 80 06 0C 2A 86 48 CE 14 02 01 00 00 00 03 01 00 00 A2 03 02 01 00 A3 05 A1 03 02 01 00 "
    "BE 80 28 80 02 01 02 81 "
    "48 80 00 00 00 40 00 00 00 00 00 00 00 00 80 00 00 20 00 00 00 00 00 00 00 00 01 00 2C 00 01 "
    "00 28 80 00 00 00 00 00 0F A0 00 00 03 E8 00 00 05 B0 FF FF FF FF 60 00 00 00 00 01 00 0C F0 "
    "01 00 08 80 00 00 00 00 00 00 00 " + "00 " * 16)
aarq = hexbytes(
    "0D EC 05 08 13 01 00 16 01 02 80 00 14 02 00 02 C1 DC "
    "31 80 A0 80 80 01 01 00 00 A2 80 A0 03 00 00 01 A4 80 30 80 02 01 01 06 04 52 01 00 01 30 80 "
    "06 02 51 01 00 00 00 00 30 80 02 01 02 06 0C 2A 86 48 CE 14 02 01 00 00 00 01 01 30 80 06 0C "
    "2A 86 48 CE 14 02 01 00 00 00 02 01 00 00 00 00 00 00 61 80 30 80 02 01 01 A0 80 60 80 A1 80 "
    "06 0C 2A 86 48 CE 14 02 01 00 00 00 03 01 00 00 BE 80 28 80 06 0C 2A 86 48 CE 14 02 01 00 00 "
    "00 01 01 02 01 02 81 "
    "48 80 00 00 00 40 00 00 00 00 00 00 00 80 00 00 00 20 00 00 00 00 00 00 00 00 01 00 2C "
    "00 01 00 28 80 00 00 00 00 00 09 C4 00 00 09 C4 00 00 03 E8 FF FF FF FF 60 00 00 00 "
    "00 01 00 0C F0 01 00 08 8C 00 00 00 00 00 00 00 " + "00 " * 16)
release_request = hexbytes("09 18 C1 16 61 80 30 80 02 01 01 A0 80 62 80 80 01 00 00 00 00 00 00 00 00 00")
release_response = hexbytes("0A 18 C1 16 61 80 30 80 02 01 01 A0 80 63 80 80 01 00 00 00 00 00 00 00 00 00")
abort = hexbytes(
    "19 2E 11 01 03 C1 29 A0 80 A0 80 30 80 02 01 01 06 02 51 01 00 00 00 00 61 80 30 80 02 01 01 A0 "
    "80 64 80 80 01 01 00 00 00 00 00 00 00 00 00 00")
remote_error = session(3, u16(1) + u16(0x0003) + u16(0))

messages = {
    "poll-request": poll_request,
    "mds-create-result": mds_create_result,
    "mds-create-event": mds_create_event(1, 0x000ABD00),
    "numerics-result": numerics_result,
    "numerics-stamped": stamped,
    "numerics-absolute-stamps": absolute_only,
    "numerics-linked": linked,
    "association-response": aare,
    "association-request": aarq,
    "release-request": release_request,
    "release-response": release_response,
    "abort": abort,
    "remote-error": remote_error,
}
for name, data in messages.items():
    write("intellivue_messages", name, data)
    write("intellivue_frames", name, frame(data))
write("intellivue_frames", "stream-session",
      b"noise" + frame(aare) + frame(mds_create_event(1, 0)) + frame(numerics_result) + frame(stamped)
      + hexbytes("C0 11 01 7D C1") + frame(release_request))

# --- Socket requests (docs/PROTOCOL.md, Tests/WireProtocolTests) -------------------------------

requests = [
    '{"cmd":"status","id":7}',
    '{"cmd":"ping","id":1}',
    '{"cmd":"ping","id":1.5}',
    '{"cmd":"ping","id":null}',
    '{"cmd":"watch","id":"a","topics":["alarms","vitals"]}',
    '{"cmd":"watch","topics":"weather"}',
    '{"cmd":"unwatch","topics":["notices"]}',
    '{"cmd":"notice","text":"Chair 3 pump swap at 14:00"}',
    '{"cmd":"adopt","chair":"1","role":"pump"}',
    '{"cmd":"audit-verify","anchor":"5231:9f2c"}',
    '{"cmd":"report","chair":"1","format":"hl7"}',
    '{"cmd":"intake","chair":"1","patientID":"P-17","weight":70,"weightBasis":"measured",'
    '"profileID":"ketamine-psychiatric","checklistSigned":true,"checklistSignedBy":"RN Lee"}',
    '{"cmd":"program","chair":"1","concentration":10,"syringeVolume":10,"totalDose":0.5,"durationMinutes":40}',
    '{"cmd":"program","chair":"1","concentration":2,"syringeVolume":50,"rate":{"value":0.5,"unit":"mg/kg/h"}}',
    '{"cmd":"start","chair":"1"}',
    '{"cmd":"rate","chair":"1","rate":7.5,"unit":"mg/kg/h"}',
    '{"cmd":"rate","chair":"1","rate":0.9,"unit":"mg/kg/h","confirm":true,"reason":"prescriber order"}',
    '{"cmd":"bolus","chair":"1","dose":0.1,"seconds":120}',
    '{"cmd":"pause","chair":"1","reason":"patient request"}',
    '{"cmd":"resume","chair":"1"}',
    '{"cmd":"stop","chair":"1"}',
    '{"cmd":"ack","chair":"1","condition":"systolicHigh"}',
    '{"cmd":"silence","chair":"1"}',
    '{"cmd":"syringe","chair":"1","drugName":"ketamine","concentration":10,"volume":20}',
    '{"cmd":"recovery","chair":"1","aldrete":{"activity":2,"respiration":2,"circulation":2,'
    '"consciousness":2,"oxygenSaturation":2}}',
    '{"cmd":"discharge","chair":"1"}',
    '{"cmd":5}',
    '{"id":"x7","cmd":3}',
    '{"cmd":"x","id":[1]}',
    '42',
    'nonsense',
    # Issue 21's leniencies, refused since (docs/PROTOCOL.md "Requests").
    '{"cmd":"ping",}',
    '\ufeff{"cmd":"ping"}',
    '{"cmd":"stop","chair":"1","chair":"2"}',
    '{"cmd":"recovery","chair":"1","aldrete":{"activity":1e-400,"respiration":2,"circulation":2,'
    '"consciousness":2,"oxygenSaturation":2}}',
    '{"cmd":"ping","id":true}',
    '{"cmd":"ping","id":12345678901234567890123}',
    '{"cmd":"stop","chair":"1","reason":null}',
    '{"cmd":"recovery","chair":"1","aldrete":{"activity":2.5,"respiration":2,"circulation":2,'
    '"consciousness":2,"oxygenSaturation":2}}',
]
for index, line in enumerate(requests):
    write("request_parser", f"line-{index:02d}", line.encode())

# --- Configuration (config/, docs/CONFIGURATION.md) --------------------------------------------

write("config_loader", "example.json", (ROOT / "config" / "infusiond.example.json").read_bytes())
write("config_loader", "chairs.json", b"""{
  "chairs": [
    {"id": "1", "pump": {"family": "newera", "path": "/dev/infusiond/chair1-pump"},
     "monitor": {"family": "masimo", "serial": "A10K4Q7B", "vendorID": "0403"}},
    {"id": "2", "pump": {"family": "harvard", "idPath": "pci-0000:00:14.0-usb-0:2:1.0"},
     "monitor": {"family": "intellivue", "siteRule": true}}
  ],
  "control": {"tickMilliseconds": 10, "realtimePriority": 50, "lockMemory": false},
  "devices": {"pollSeconds": 1, "linkLostSeconds": 3, "reopenSeconds": 2, "udev": false},
  "audit": {"directory": "/var/lib/infusiond", "queueCapacity": 50000, "vitalsIntervalSeconds": 5}
}
""")
write("config_loader", "empty-object.json", b"{}")

# The defaults as `infusiond --print-config` renders them (every key, the drug library included),
# compacted. Written only when missing (delete it to refresh): sets print in a different order on
# every run, and a seed that changes with each regeneration is noise in the history.
daemon = ROOT / ".build" / "debug" / "infusiond"
if daemon.exists() and not (CORPUS / "config_loader" / "print-config.json").exists():
    rendered = subprocess.run([str(daemon), "--print-config"], capture_output=True, check=True).stdout
    write("config_loader", "print-config.json", json.dumps(json.loads(rendered), separators=(",", ":")).encode())

# --- The wire encoder (WireJSONEncoder against JSONEncoder) -----------------------------------------

# Every daemon line and request of docs/PROTOCOL.md that is JSON as written, and JSON with the encoder's
# corners: names that sort by bytes, every escape class, numbers at the edges of their forms, nesting.
protocol_lines = []
for text in (ROOT / "docs" / "PROTOCOL.md").read_text().splitlines():
    text = text.strip()
    if text.startswith("{"):
        try:
            json.loads(text)
        except ValueError:
            continue
        protocol_lines.append(text)
wire_values = protocol_lines + [
    '{"B":1,"a":2,"a10":3,"a2":4,"Z":5,"\u00e9":6,"z":7,"_":8,"\u212a":9,"":10,"a ":11}',
    '{"a\\"b":"q\\"","a\\nb":"\\n","a\\\\":"\\\\","\\u0001":"\\u0000\\u001f\\u007f","a/":"/"}',
    '["\\b\\t\\n\\f\\r","\\u000b\\u000e","\u2028\u2029","\u65e5\u672c","\U0001F600","e\u0301"]',
    '[0,-0,1,-1,0.1,1e-4,1e-5,1e15,1e16,1e21,9007199254740992,9007199254740993,1.7976931348623157e308,5e-324]',
    '[-9223372036854775808,9223372036854775807,18446744073709551615,1.5,-2.5e-7,100.0]',
    '{"flags":[],"parameter":"spo2","time":"2026-12-07T00:00:00.000Z","value":97}',
    '{"k":{"k":{"k":[[[[{"x":null}]]]]}},"e":{},"f":[]}',
    '"just a string"',
    '42',
    "[" * 300 + "]" * 300,
]
for index, text in enumerate(wire_values):
    write("wire_encoder", f"value-{index:02d}", text.encode())

# --- Dictionaries: JSON tokens and the key names of the protocol and the configuration ------------

DICT = ROOT / "Fuzz" / "dict"
DICT.mkdir(exist_ok=True)
json_tokens = ['{', '}', '[', ']', ':', ',', '"', 'true', 'false', 'null', '-0', '1e-400', '1e400', '0.5',
               '12345678901234567890123', '\\u0000', '\\ud800', '\\"', '\\\\']


def dictionary(path, words):
    lines = ["# libFuzzer dictionary written by Fuzz/seeds.py"]
    for word in words:
        escaped = "".join(f"\\x{b:02X}" if b in b'"\\' or not 0x20 <= b < 0x7F else chr(b) for b in word.encode())
        lines.append(f'"{escaped}"')
    path.write_text("\n".join(lines) + "\n")


commands = ["hello", "version", "ping", "help", "status", "devices", "watch", "unwatch", "notice", "adopt", "library",
            "intake", "program", "start", "rate", "bolus", "pause", "resume", "stop", "ack", "silence", "syringe",
            "recovery", "discharge", "test-fault", "audit-verify", "report"]
request_keys = ["cmd", "id", "chair", "role", "topics", "text", "anchor", "format", "fault", "on", "patientID", "weight",
                "weightBasis", "profileID", "checklistSigned", "checklistSignedBy", "override", "reason", "concentration",
                "syringeVolume", "totalDose", "durationMinutes", "value", "unit", "confirm", "dose", "seconds",
                "condition", "drugName", "volume", "aldrete", "activity", "respiration", "circulation",
                "consciousness", "oxygenSaturation", "mg/kg/h", "mg/kg/min", "mL/h", "measured", "alarms", "vitals"]
dictionary(DICT / "request_parser.dict", json_tokens + [f'"{word}"' for word in commands + request_keys])

config_keys = set()


def collect(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            config_keys.add(key)
            collect(inner)
    elif isinstance(value, list):
        for inner in value:
            collect(inner)


collect(json.loads((CORPUS / "config_loader" / "print-config.json").read_bytes()))
collect(json.loads((CORPUS / "config_loader" / "chairs.json").read_bytes()))
dictionary(DICT / "config_loader.dict", json_tokens + [f'"{key}"' for key in sorted(config_keys)])
dictionary(DICT / "wire_encoder.dict", json_tokens + ['1e16', '1e-5', '9007199254740993', '\\u001f', '\\u2028', '\\u212a',
                                                     '\\ud83d\\ude00', '"a10"', '"a2"', '"B"', '"\u00e9"'])

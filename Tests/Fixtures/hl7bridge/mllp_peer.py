#!/usr/bin/env python3
"""An independent HL7 interface engine for infusion-hl7's integration tests.

Usage: mllp_peer.py PORT OUTPUT [--answers CODES] [--tls CERT KEY CLIENT_CERT]

Listens on 127.0.0.1:PORT with python-hl7's MLLP server (hl7.mllp), acknowledges every message with
python-hl7's own create_ack, and appends one JSON line per message received to OUTPUT: its control id,
type, the acknowledgement code sent, whether hl7apy validated it strictly (HL7 v2.6 grammar, required
fields, data types) and its text. --answers is a comma list of codes used for the first messages in turn
(e.g. "AE,AE,AR"); after it, every message gets AA. With --tls it listens in TLS (python's ssl module) with
CERT/KEY, and requires the client to present CLIENT_CERT (the only certificate it trusts). Prints "ready" once
listening.
"""
import asyncio
import json
import ssl
import sys

import hl7
import hl7.mllp
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message


def validate(text):
    """hl7apy strict validation. hl7apy's v2.6 tables lack the R40 and R42 triggers IHE PCD pre-adopted; both
    use ORU_R01's segment grammar (MSH-9.3), so they are validated as ORU^R01."""
    fields = text.split("\r", 1)[0].split("|")
    trigger = fields[8].split("^")[1] if len(fields) > 8 and "^" in fields[8] else ""
    checked = text
    if trigger in ("R40", "R42"):
        checked = checked.replace(fields[8], "ORU^R01^ORU_R01", 1)
    try:
        message = parse_message(checked, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
        message.validate()
        return True, ""
    except Exception as error:  # noqa: BLE001 - every failure is reported, none is fatal
        return False, f"{type(error).__name__}: {error}"


async def main():
    port, output = int(sys.argv[1]), sys.argv[2]
    answers = []
    if "--answers" in sys.argv:
        answers = [code for code in sys.argv[sys.argv.index("--answers") + 1].split(",") if code]
    received = 0

    async def serve(reader, writer):
        nonlocal received
        try:
            while not writer.is_closing():
                message = await reader.readmessage()
                text = str(message)
                code = answers[received] if received < len(answers) else "AA"
                received += 1
                valid, error = validate(text)
                control_id = str(message.segment("MSH")(10))
                kind = str(message.segment("MSH")(9)(1)(2))
                with open(output, "a", encoding="utf-8") as out:
                    out.write(json.dumps({"controlID": control_id, "type": kind, "ack": code, "valid": valid,
                                          "error": error, "text": text}) + "\n")
                writer.writemessage(message.create_ack(code, message_id=f"ACK-{control_id}"))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    context = None
    if "--tls" in sys.argv:
        cert, key, client = sys.argv[sys.argv.index("--tls") + 1:sys.argv.index("--tls") + 4]
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=client)
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_cert_chain(cert, key)
    server = await hl7.mllp.start_hl7_server(serve, host="127.0.0.1", port=port, ssl=context)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())

#!/usr/bin/env python3
"""An independent order system for infusion-hl7's integration tests: sends PCD-03 orders, reads each answer.

Usage: mllp_order_client.py HOST PORT FILE... [--tls CA CERT KEY]

Sends each FILE (one HL7 message, segments ended by CR) over one MLLP connection with python-hl7's MLLPClient,
in order, and prints one JSON list: for each, the answer's text, its MSA-1 and MSA-2, whether hl7apy validated
it strictly (HL7 v2.5 RRG^O16), or the error when no answer came. With --tls the connection is TLS (python's
ssl module), trusting CA and presenting CERT/KEY as the client certificate.
"""
import json
import ssl
import sys

import hl7
from hl7.client import MLLPClient
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message


def validate(text):
    try:
        parse_message(text, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True).validate()
        return True, ""
    except Exception as error:  # noqa: BLE001 - every failure is reported
        return False, f"{type(error).__name__}: {error}"


def main():
    arguments = sys.argv[1:]
    tls = None
    if "--tls" in arguments:
        index = arguments.index("--tls")
        tls = arguments[index + 1:index + 4]
        arguments = arguments[:index]
    host, port, files = arguments[0], int(arguments[1]), arguments[2:]
    answers = []
    try:
        client = MLLPClient(host, port)
        client.socket.settimeout(30)
        if tls:
            context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=tls[0])
            context.check_hostname = False
            context.load_cert_chain(tls[1], tls[2])
            client.socket = context.wrap_socket(client.socket, server_hostname=host)
        for path in files:
            with open(path, encoding="utf-8", newline="") as handle:
                text = handle.read()
            try:
                reply = client.send_message(text)
                answer = reply.decode("utf-8") if isinstance(reply, bytes) else str(reply)
                answer = answer.strip("\x0b\x1c\r\n") + "\r"
                parsed = hl7.parse(answer)
                valid, error = validate(answer)
                answers.append({"text": answer, "ack": str(parsed.segment("MSA")(1)),
                                "controlID": str(parsed.segment("MSA")(2)), "valid": valid, "error": error})
            except Exception as error:  # noqa: BLE001 - no answer is an answer for the test
                answers.append({"error": f"{type(error).__name__}: {error}"})
                break
        client.close()
    except Exception as error:  # noqa: BLE001
        answers.append({"error": f"{type(error).__name__}: {error}"})
    print(json.dumps(answers))


if __name__ == "__main__":
    main()

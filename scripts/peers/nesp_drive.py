#!/usr/bin/env python3
"""Drive a New Era NE-1000 (real or simulated) through nesp-lib, an independent client.

Usage: nesp_drive.py PORT [SECONDS]
Opens PORT at 19200 baud the way nesp-lib does (its first packet is a safe-framed 0SAF0), reads
model and firmware, sets diameter, direction, volume and rate and reads them back, runs for
SECONDS (default 0.5), reads the dispensed volume, stops, then switches safe mode on and off.
Prints one JSON object with what nesp-lib read. nesp-lib has no read timeout: run this under
`timeout`. Exit status is non-zero on any nesp-lib exception.
"""
import json
import sys
import time

from nesp_lib import Port, Pump, PumpingDirection


def main() -> int:
    port_path = sys.argv[1]
    run_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    result = {}
    with Port(port_path, baud_rate=19200) as port:
        pump = Pump(port)
        result["model"] = pump.model_number
        result["firmware"] = list(pump.firmware_version)
        pump.syringe_diameter_mm = 26.59
        result["diameter_mm"] = pump.syringe_diameter_mm
        pump.pumping_direction = PumpingDirection.INFUSE
        result["direction"] = pump.pumping_direction.name
        pump.pumping_volume_ml = 10.0
        result["volume_ml"] = pump.pumping_volume_ml
        pump.pumping_rate_ml_per_min = 2.5
        result["rate_ml_per_min"] = pump.pumping_rate_ml_per_min
        pump.run(False)
        result["running_after_run"] = pump.running
        time.sleep(run_seconds)
        pump.stop(False)
        result["status_after_stop"] = pump.status.name
        result["infused_ml"] = pump.volume_infused_ml
        pump.safe_mode_timeout_s = 10
        result["safe_mode_timeout_s"] = pump.safe_mode_timeout_s
        result["status_in_safe_mode"] = pump.status.name
        pump.safe_mode_timeout_s = 0
        result["status_after_safe_mode"] = pump.status.name
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Prints N generated sessions as sessionproof CSV (the benchmarks' input): deterministic, a fifth
on the subject's declared phone ("Pixel 8"), the rest spread over apps, devices, addresses anywhere
in IPv4 and times over three weeks. Usage: scripts/gen-sessions.py N > sessions.csv"""
import random
import sys


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit("usage: gen-sessions.py N  (N sessions, printed as CSV)")
    n = int(sys.argv[1])
    r = random.Random(20261127)
    apps = [("Telegram Android", "12.1.1"), ("Telegram Desktop", "5.16.4 x64"), ("Telegram iOS", "12.1"),
            ("Nicegram", "1.6.1"), ("Telegram Desktop", "4.16.8 x64")]
    out = ["kind,hash,app_name,app_version,device_model,platform,ip,country,created,last_active"]
    for i in range(n):
        app, ver = apps[i % len(apps)]
        dev = "Pixel 8" if i % 5 == 0 else f"Device {i % 700}"
        ip = ".".join(str(r.randint(1, 223)) for _ in range(4))
        created = 1_794_000_000 + r.randint(0, 1_800_000)
        active = created + r.randint(0, 300_000)
        out.append(f"session,{r.randint(1, 2**62)},{app},{ver},{dev},Android,{ip},,{created},{active}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()

#!/bin/sh
# QEMU monitor `info mem` / `info tlb` on a booted image agree with the documented map.
cd "$(dirname "$0")/../.." && exec python3 tests/e2e/monitor_map.py

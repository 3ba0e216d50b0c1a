"""Starts a command and waits, in this one process, until GET /readyz answers 200 (or every path
in READY_PATHS, comma-separated: each model's /v2/models/<m>/ready, say).

Prints "PID MILLISECONDS" (process start to the last first 200) and exits, leaving the command running.
Polling from one process on a raw socket keeps the probe from competing for the CPU the service
starts on: a shell loop spawning curl every few milliseconds added about 150 ms on two cores.
  start_until_ready.py PORT LOG_FILE COMMAND [ARGS...]
"""
import os
import socket
import subprocess
import sys
import time

port, log_file, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
waiting = os.environ.get("READY_PATHS", "/readyz").split(",")
started = time.monotonic()
with open(log_file, "wb") as log:
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
deadline = started + 60
while time.monotonic() < deadline:
    if process.poll() is not None:
        sys.exit(f"{command[0]} exited with {process.returncode} before it was ready; see {log_file}")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(f"GET {waiting[0]} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            if connection.recv(16).startswith(b"HTTP/1.1 200"):
                waiting.pop(0)
                if not waiting:
                    print(process.pid, round((time.monotonic() - started) * 1000))
                    sys.exit(0)
                continue
    except OSError:
        pass
    time.sleep(0.002)
process.kill()
sys.exit(f"{command[0]} was not ready within 60 s ({waiting[0]}); see {log_file}")

"""Starts a command and waits, in this one process, until GET /readyz answers 200.

Prints "PID MILLISECONDS" (process start to the first 200) and exits, leaving the command running.
Polling from one process on a raw socket keeps the probe from competing for the CPU the service
starts on: a shell loop spawning curl every few milliseconds added about 150 ms on two cores.
  start_until_ready.py PORT LOG_FILE COMMAND [ARGS...]
"""
import socket
import subprocess
import sys
import time

port, log_file, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
request = f"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
started = time.monotonic()
with open(log_file, "wb") as log:
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
deadline = started + 30
while time.monotonic() < deadline:
    if process.poll() is not None:
        sys.exit(f"{command[0]} exited with {process.returncode} before it was ready; see {log_file}")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(request)
            if connection.recv(16).startswith(b"HTTP/1.1 200"):
                print(process.pid, round((time.monotonic() - started) * 1000))
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.002)
process.kill()
sys.exit(f"{command[0]} was not ready within 30 s; see {log_file}")

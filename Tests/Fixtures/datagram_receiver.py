"""Binds a Unix datagram socket (the journal's native socket, or /dev/log) and appends every
datagram it receives, base64-encoded, one per line, to a file, until SIGTERM (after the
datagrams already queued) or SECONDS without one.
Usage: datagram_receiver.py SOCKET_PATH OUTPUT_FILE READY_FILE [SECONDS]"""
import base64
import os
import signal
import socket
import sys
import time

path, output, ready = sys.argv[1], sys.argv[2], sys.argv[3]
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 30
stopping = False


def stop(*_):
    """SIGTERM: finish with what is already queued in the socket, then exit."""
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, stop)
receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
if os.path.exists(path):
    os.unlink(path)
receiver.bind(path)
# Short waits, so that SIGTERM is noticed; the socket is drained before the end.
receiver.settimeout(0.1)
deadline = time.monotonic() + seconds
open(ready, "w").close()
with open(output, "a") as out:
    while True:
        try:
            data = receiver.recv(1 << 20)
        except socket.timeout:
            if stopping or time.monotonic() > deadline:
                break
            continue
        out.write(base64.b64encode(data).decode() + "\n")
        out.flush()
        deadline = time.monotonic() + seconds

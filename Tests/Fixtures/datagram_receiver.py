"""Binds a Unix datagram socket (the journal's native socket, or /dev/log) and appends every
datagram it receives, base64-encoded, one per line, to a file, until SIGTERM or a timeout.
Usage: datagram_receiver.py SOCKET_PATH OUTPUT_FILE READY_FILE [SECONDS]"""
import base64
import os
import signal
import socket
import sys

path, output, ready = sys.argv[1], sys.argv[2], sys.argv[3]
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 30
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
if os.path.exists(path):
    os.unlink(path)
receiver.bind(path)
receiver.settimeout(seconds)
open(ready, "w").close()
with open(output, "a") as out:
    while True:
        try:
            data = receiver.recv(1 << 20)
        except socket.timeout:
            break
        out.write(base64.b64encode(data).decode() + "\n")
        out.flush()

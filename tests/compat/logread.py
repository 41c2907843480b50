#!/usr/bin/python3
# logread OUT READY: a syslog reader for the plugin tests, run as a lauditd
# plugin in a mount namespace of its own: binds /dev/log, writes each datagram
# to OUT as a line, creates READY once bound, and reads its standard input (the
# events) until lauditd closes it, then exits.
import os, socket, sys, threading
out = open(sys.argv[1], "ab", buffering=0)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
os.chmod("/dev/log", 0o666)
open(sys.argv[2], "w").close()
def events():
    while os.read(0, 1 << 16):
        pass
    os._exit(0)
threading.Thread(target=events, daemon=True).start()
while True:
    out.write(s.recv(1 << 16).replace(b"\n", b" ") + b"\n")

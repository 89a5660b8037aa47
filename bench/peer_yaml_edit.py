"""Peer: yaml-edit (Rust, lossless syntax tree) through its Python binding.
Usage: peer_yaml_edit.py FILE VALUE  (sets configuration.heartbeat-interval)"""
import os
import sys
from yaml_edit import Document

path, value = sys.argv[1], int(sys.argv[2])
with open(path) as source:
    doc = Document.parse(source.read())
doc["configuration"].as_mapping()["heartbeat-interval"] = value
temp = path + ".peer-tmp"
with open(temp, "w") as target:
    target.write(str(doc))
    target.flush()
    os.fsync(target.fileno())
os.rename(temp, path)

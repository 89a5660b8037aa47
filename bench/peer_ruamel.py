"""Peer: ruamel.yaml's round-trip mode, the Python way to edit YAML keeping comments.
Usage: peer_ruamel.py FILE VALUE  (sets configuration.heartbeat-interval)"""
import os
import sys
from ruamel.yaml import YAML

path, value = sys.argv[1], int(sys.argv[2])
yaml = YAML()
with open(path) as source:
    data = yaml.load(source)
data["configuration"]["heartbeat-interval"] = value
temp = path + ".peer-tmp"
with open(temp, "w") as target:
    yaml.dump(data, target)
    target.flush()
    os.fsync(target.fileno())
os.rename(temp, path)

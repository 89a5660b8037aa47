"""Writes a config with the sample's keys plus N generated keys in the same mapping, about 78
bytes a line (150,000 keys make 11.7 MB). Usage: generate.py N FILE"""
import sys

count, path = int(sys.argv[1]), sys.argv[2]
with open("examples/config.yaml") as sample, open(path, "w") as out:
    out.write(sample.read())
    for index in range(count):
        out.write(f"  generated-setting-{index:06d}: value {index:06d} of a generated ctagent configuration\n")

"""Writes a config with the sample's keys plus generated entries in the same mapping.

Usage: generate.py [--shape SHAPE] N FILE       N entries of SHAPE (default: generated)
       generate.py [--shape SHAPE] --bytes B FILE   entries until the file holds about B bytes

Shapes (each a kind of text real configs hold; about 78 bytes an entry for the one-line ones):
  generated  generated-setting-000123: value 000123 of a generated ctagent configuration
  letters    keys starting with every letter a..z (t, f, n, o, y start true, false, null, on,
             yes: the words a YAML 1.1 resolver has to look at), plain values
  quoted     f-000123: "a quoted value"  # and a comment, a comment line every tenth entry
  flow       flow-000123: {name: ..., port: 123, tags: [a, b, c], enabled: true}
  deep       a mapping nested six levels deep under every entry
  block      a literal block scalar of six lines under every entry
"""
import sys

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo",
         "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor",
         "whiskey", "xray", "yankee", "zulu"]


def entry(shape, i):
    if shape == "generated":
        return f"  generated-setting-{i:06d}: value {i:06d} of a generated ctagent configuration\n"
    if shape == "letters":
        return f"  {WORDS[i % 26]}-setting-{i:06d}: plain value {i:06d} of a configuration\n"
    if shape == "quoted":
        comment = f"  # section {i // 10:05d}: settings of the generated configuration\n" if i % 10 == 0 else ""
        return comment + f'  f-{i:06d}: "quoted value {i:06d} of a config"  # note {i:06d}\n'
    if shape == "flow":
        return f"  flow-{i:06d}: {{name: n{i:06d}, port: {i % 65536}, tags: [a, b, c], enabled: true}}\n"
    if shape == "deep":
        lines = [f"  deep-{i:06d}:\n"]
        for level in range(1, 6):
            lines.append("  " * (level + 1) + f"level-{level}:\n")
        lines.append("  " * 7 + f"value: {i:06d}\n")
        return "".join(lines)
    if shape == "block":
        body = "".join(f"    line {n} of the block scalar of entry {i:06d}, kept as written\n" for n in range(6))
        return f"  block-{i:06d}: |\n" + body
    raise SystemExit(f"unknown shape {shape!r}; shapes: generated letters quoted flow deep block")


def main(argv):
    shape = "generated"
    if argv[:1] == ["--shape"]:
        shape, argv = argv[1], argv[2:]
    limit_bytes = None
    if argv[:1] == ["--bytes"]:
        limit_bytes, argv = int(argv[1]), argv[2:]
        count = None
    else:
        count, argv = int(argv[0]), argv[1:]
    path = argv[0]
    with open("examples/config.yaml") as sample, open(path, "w") as out:
        written = out.write(sample.read())
        index = 0
        while (count is not None and index < count) or (limit_bytes is not None and written < limit_bytes):
            written += out.write(entry(shape, index))
            index += 1


main(sys.argv[1:])

"""Two YAML readers that are not ours judge what ctagent wrote: PyYAML (YAML 1.1, the libyaml
loader when present) and ruamel.yaml (YAML 1.2, round-trip loader). For every case, each must
read the value at the edited key as the intended thing: a string as exactly the given text, an
integer, float, boolean or null as that value.

Input (argument 1): JSON lines {"file", "original", "path", "index", "text", "kind"}; "index"
is set for an item of a list. Prints a summary per judge and each disagreement; exits 1 when
there is any. A case whose *original* file the judge cannot load is skipped and counted
(the judge's own limits, not ours)."""
import json
import math
import sys

import yaml
from ruamel.yaml import YAML

pyyaml_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ruamel = YAML(typ="rt")


def load_pyyaml(text):
    return yaml.load(text, Loader=pyyaml_loader)


def load_ruamel(text):
    return ruamel.load(text)


JUDGES = [("PyYAML (YAML 1.1)", load_pyyaml), ("ruamel.yaml (YAML 1.2)", load_ruamel)]


def expected_matches(value, text, kind):
    if kind == "string":
        return isinstance(value, str) and str(value) == text
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool) and value == int(text)
    if kind == "float":
        return isinstance(value, float) and (value == float(text) or (math.isnan(value) and math.isnan(float(text))))
    if kind == "bool":
        return isinstance(value, bool) and value == (text.lower() == "true")
    if kind == "null":
        return value is None
    raise ValueError(kind)


def main():
    cases = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    cache = {}
    failed = False
    for name, load in JUDGES:
        checked = skipped = 0
        disagreements = []
        for case in cases:
            key = (name, case["original"])
            if key not in cache:
                try:
                    with open(case["original"], encoding="utf-8-sig") as source:
                        load(source.read())
                    cache[key] = True
                except Exception:  # the judge cannot read the original: not a verdict on us
                    cache[key] = False
            if not cache[key]:
                skipped += 1
                continue
            checked += 1
            try:
                with open(case["file"], encoding="utf-8-sig") as source:
                    node = load(source.read())
                for component in case["path"]:
                    node = node[component]
                if case.get("index") is not None:
                    node = node[case["index"]]
            except Exception as error:
                disagreements.append(f"{case['file']}: cannot read {case['path']}: {type(error).__name__}: {error}")
                continue
            if not expected_matches(node, case["text"], case["kind"]):
                disagreements.append(f"{case['file']}: {'.'.join(case['path'])} should be {case['kind']} {case['text']!r}, "
                                     f"reads as {type(node).__name__} {node!r}")
        print(f"{name}: {checked} edits checked, {len(disagreements)} disagreements, "
              f"{skipped} skipped (original unreadable by this judge)")
        for line in disagreements[:25]:
            print("  " + line)
        failed = failed or bool(disagreements)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

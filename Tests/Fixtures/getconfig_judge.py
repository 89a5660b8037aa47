"""PyYAML (YAML 1.1) judges what `ctagent getConfig --json` says a document holds.

Input (argument 1): JSON lines {"file": path, "ours": object or null}; "ours" is null when
ctagent refused the document (its exit status was not 0). For every document that PyYAML
loads as a mapping with string keys (no dots in them), both must agree: the same dotted keys,
and each value the same where both give it a type (a number, a boolean, null, a string); a
value ctagent gives as text because YAML readers disagree on it (`yes`, `017`) is not judged,
and neither are masked secrets. Prints a summary and each disagreement; exits 1 on any.
"""
import json
import sys

import yaml

loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def flatten(value, prefix, out):
    """Dotted keys to leaves, as getConfig lists them: nested mappings are walked, lists of
    scalars are leaves, empty mappings give nothing."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or "." in key or key == "<<":
                raise ValueError("key")
            flatten(item, prefix + [key], out)
    else:
        out[".".join(prefix)] = value
    return out


def agrees(ours, theirs):
    if isinstance(ours, str) and ours == "********":
        return True  # a masked secret
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return isinstance(ours, bool) and isinstance(theirs, bool) and ours == theirs or isinstance(ours, str)
    if ours is None:
        return theirs is None
    if isinstance(ours, (int, float)):
        return isinstance(theirs, (int, float)) and not isinstance(theirs, bool) and float(ours) == float(theirs)
    if isinstance(ours, list):
        return isinstance(theirs, list) and len(ours) == len(theirs)
    if isinstance(ours, str):
        # Text where readers disagree is not judged; text they both read as text must match.
        return not isinstance(theirs, str) or ours == theirs or ours in ("(a nested list)",)
    return False


def main():
    compared = skipped = 0
    disagreements = []
    for line in open(sys.argv[1], encoding="utf-8"):
        case = json.loads(line)
        try:
            with open(case["file"], encoding="utf-8-sig") as source:
                documents = list(yaml.load_all(source.read(), Loader=loader))
            if len(documents) != 1 or not isinstance(documents[0], dict):
                raise ValueError("not one mapping")
            theirs = flatten(documents[0], [], {})
        except Exception:
            skipped += 1
            continue
        ours = case["ours"]
        if ours is None:
            skipped += 1  # refused by ctagent: refusing is allowed
            continue
        compared += 1
        if set(ours) != set(theirs):
            disagreements.append("%s: keys differ: ours %s, PyYAML %s" % (case["file"], sorted(ours), sorted(theirs)))
            continue
        for key in ours:
            if not agrees(ours[key], theirs[key]):
                disagreements.append("%s: %s is %r to ctagent, %r to PyYAML" % (case["file"], key, ours[key], theirs[key]))
    print("compared %d documents, skipped %d" % (compared, skipped))
    for item in disagreements:
        print(item)
    sys.exit(1 if disagreements else 0)


main()

#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Field-by-field comparison of what podman made of two runs of the same Quadlet files (the
"oracle" scenario, scenario-oracle.sh): one by podman's own Quadlet, one by this generator.

  oracle.py compare QUADLET.json OURS.json [--skip FIELD-GLOB | --skip FIELD[PATH]]...

Each file holds the output of `podman inspect` (container), `podman pod inspect`, `podman network
inspect` or `podman volume inspect` of one object. The fields are the object's top-level keys, and
for a container those of Config, HostConfig and NetworkSettings one level down (Config.Env,
HostConfig.CapAdd, ...). Prints one tab-separated line per field:

  same    FIELD  VALUE            both sides agree (VALUE as JSON)
  differ  FIELD  QUADLET  OURS    the two disagree (values as JSON)
  skipped FIELD  QUADLET  OURS  GLOB   the --skip GLOB names it: differs on purpose
                                  (FIELD[PATH]: only that part of the field, a dotted path of
                                  keys in it, * for any key, is left out and shown so)
  empty   N      FIELDS           N fields empty, zero or false on both sides, named in one line

Before comparing, every ID podman made (64 hex digits, and the 12-digit short form of one) becomes
"<id>", and lists whose order means nothing to podman are sorted.
"""
import fnmatch
import json
import re
import sys

# lists that podman keeps in no meaningful order (an environment, sets of names)
UNORDERED = {"Config.Env", "EffectiveCaps", "BoundingCaps", "HostConfig.CapAdd", "HostConfig.CapDrop",
             "SharedNamespaces", "HostConfig.GroupAdd", "HostConfig.SecurityOpt", "Dependencies",
             "HostConfig.Binds"}  # podman lists binds from a map: their order changes from run to run
# a container's sections whose keys are compared one by one
SECTIONS = ("Config", "HostConfig", "NetworkSettings")


def scrub(text, ids):
    for i in ids:
        text = text.replace(i, "<id>").replace(i[:12], "<id>")
    return text


def normal(field, value):
    """The value with its meaningless order removed."""
    if isinstance(value, list) and (field in UNORDERED or field.split(".")[-1] in UNORDERED):
        return sorted(value, key=lambda x: json.dumps(x, sort_keys=True))
    if field == "Mounts" and isinstance(value, list):
        return sorted(value, key=lambda m: str(m.get("Destination")))
    if field == "Containers" and isinstance(value, list):  # a pod's
        return sorted(value, key=lambda c: str(c.get("Name")))
    return value


def fields(obj):
    out = {}
    for k, v in obj.items():
        if k in SECTIONS and isinstance(v, dict):
            for k2, v2 in v.items():
                out[f"{k}.{k2}"] = v2
        else:
            out[k] = v
    return {k: normal(k, v) for k, v in out.items()}


def take(value, path):
    """Remove the part at PATH (keys, '*' for every key) from value; returns what was removed, by
    its full path."""
    if not path or not isinstance(value, dict):
        return {}
    whole = ".".join(path)  # a key with dots of its own (io.podman.annotations.cid-file)
    if whole in value:
        return {whole: value.pop(whole)}
    head, rest = path[0], path[1:]
    keys = list(value) if head == "*" else [head] if head in value else []
    taken = {}
    for k in keys:
        if rest:
            taken.update({f"{k}.{p}": v for p, v in take(value[k], rest).items()})
        else:
            taken[k] = value.pop(k)
    return taken


def empty(v):
    return v in (None, "", 0, False, [], {}) or v == "0B"


def main():
    if len(sys.argv) < 4 or sys.argv[1] != "compare":
        sys.exit(__doc__)
    qpath, opath, rest = sys.argv[2], sys.argv[3], sys.argv[4:]
    skips = [rest[i + 1] for i in range(len(rest) - 1) if rest[i] == "--skip"]
    parts = [re.fullmatch(r"([^\[]+)\[(.+)\]", g) for g in skips]
    skips = [g for g, m in zip(skips, parts) if not m]
    parts = [(m.group(0), m.group(1), m.group(2).split(".")) for m in parts if m]
    with open(qpath, encoding="utf-8") as f:
        qtext = f.read()
    with open(opath, encoding="utf-8") as f:
        otext = f.read()
    ids = sorted(set(re.findall(r"\b[0-9a-f]{64}\b", qtext + otext)))
    q = fields(load_text(scrub(qtext, ids)))
    o = fields(load_text(scrub(otext, ids)))
    for glob, field, path in parts:
        tq, to = take(q.get(field), path), take(o.get(field), path)
        for p in sorted(set(tq) | set(to)):
            dq, do = (json.dumps(t.get(p), sort_keys=True, ensure_ascii=False) for t in (tq, to))
            if dq != do:
                print(f"skipped\t{field}[{p}]\t{dq}\t{do}\t{glob}")
    blank = []
    for k in sorted(set(q) | set(o)):
        qv, ov = q.get(k), o.get(k)
        dq, do = json.dumps(qv, sort_keys=True, ensure_ascii=False), json.dumps(ov, sort_keys=True, ensure_ascii=False)
        glob = next((g for g in skips if fnmatch.fnmatchcase(k, g)), None)
        if glob:
            if dq != do:
                print(f"skipped\t{k}\t{dq}\t{do}\t{glob}")
        elif dq != do:
            print(f"differ\t{k}\t{dq}\t{do}")
        elif empty(qv):
            blank.append(k)
        else:
            print(f"same\t{k}\t{dq}")
    if blank:
        print(f"empty\t{len(blank)}\t{' '.join(blank)}")


def load_text(text):
    v = json.loads(text)
    return v[0] if isinstance(v, list) else v


if __name__ == "__main__":
    main()

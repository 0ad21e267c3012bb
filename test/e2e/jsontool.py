#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""JSON helpers of the end-to-end suite (run.sh). Reads stdin, writes JSON or text to stdout.

  first                  busctl --json=short call output -> its first returned value
  execstart              busctl get-property ... ExecStart -> [[argv...], ...] (one per command)
  strings                busctl get-property of type 'as' -> the list
  nul-list               NUL-separated bytes (/proc/PID/cmdline) -> a JSON list of strings
  nul-env                NUL-separated KEY=VALUE (/proc/PID/environ) -> a JSON object
  podman-run IMAGE       a podman run argv (JSON list) -> its parts, see podman_run()
  journal [K=V|PRIORITY<=N]... FIELD...
                         journalctl -o json lines -> the entries that match every K=V (and have
                         at most that PRIORITY), as a JSON list of objects with those fields
  get KEY...             a JSON object on stdin -> the value at that key path, as JSON
  compare WANT SEEN      exit 1 and show the difference unless the two JSON texts are equal
"""
import json
import sys


def out(v):
    print(json.dumps(v, ensure_ascii=False, sort_keys=True))


def stdin_json():
    return json.loads(sys.stdin.buffer.read().decode("utf-8"))


# podman run flags that take a value (as --flag=value or --flag value)
VALUE_FLAGS = {"--name", "--cidfile", "--cgroups", "--sdnotify", "--pull", "--env", "-e", "--label",
               "-l", "--volume", "-v", "--log-driver", "--log-opt", "--publish", "-p", "--network",
               "--net", "--entrypoint", "--user", "-u", "--workdir", "-w", "--hostname", "-h",
               "--tmpfs", "--device", "--cap-add", "--cap-drop", "--env-file", "--stop-timeout"}
ALIASES = {"-e": "--env", "-l": "--label", "-v": "--volume", "-p": "--publish", "--net": "--network",
           "-u": "--user", "-w": "--workdir", "-h": "--hostname"}


def podman_run(argv, image):
    """Split a podman run command line into the binary, the words before 'run', the options as a
    sorted list of [flag, value] (value null for a flag without one; -x and --x=v spellings are
    made the same), the image and the command after it. The order of options carries no meaning
    to podman, so it is not compared; everything else is."""
    res = {"binary": argv[0] if argv else None}
    try:
        run = argv.index("run")
    except ValueError:
        return {"error": "no 'run' in argv", "argv": argv}
    res["global"] = argv[1:run]
    opts = []
    i = run + 1
    while i < len(argv):
        a = argv[i]
        if a == image or not a.startswith("-"):
            break
        if a.startswith("--") and "=" in a:
            f, v = a.split("=", 1)
        elif a in VALUE_FLAGS and i + 1 < len(argv):
            f, v = a, argv[i + 1]
            i += 1
        else:
            f, v = a, None
        opts.append([ALIASES.get(f, f), v])
        i += 1
    res["options"] = sorted(opts, key=lambda o: (o[0], o[1] or ""))
    res["image"] = argv[i] if i < len(argv) else None
    res["command"] = argv[i + 1:]
    return res


def show_difference(want, seen, where="value"):
    """Lines that say where two JSON values differ."""
    lines = []
    if isinstance(want, dict) and isinstance(seen, dict):
        for k in sorted(set(want) | set(seen)):
            if k not in seen:
                lines.append(f"{where}[{k!r}]: missing, expected {json.dumps(want[k], ensure_ascii=False)}")
            elif k not in want:
                lines.append(f"{where}[{k!r}]: unexpected {json.dumps(seen[k], ensure_ascii=False)}")
            elif want[k] != seen[k]:
                lines += show_difference(want[k], seen[k], f"{where}[{k!r}]")
        return lines
    if isinstance(want, list) and isinstance(seen, list):
        if len(want) == len(seen):
            for i, (w, s) in enumerate(zip(want, seen)):
                if w != s:
                    lines += show_difference(w, s, f"{where}[{i}]")
            return lines
        missing = [w for w in want if w not in seen]
        extra = [s for s in seen if s not in want]
        lines.append(f"{where}: {len(want)} items expected, {len(seen)} seen")
        for w in missing:
            lines.append(f"  missing:    {json.dumps(w, ensure_ascii=False)}")
        for s in extra:
            lines.append(f"  unexpected: {json.dumps(s, ensure_ascii=False)}")
        if not missing and not extra:
            lines.append(f"  expected: {json.dumps(want, ensure_ascii=False)}")
            lines.append(f"  seen:     {json.dumps(seen, ensure_ascii=False)}")
        return lines
    return [f"{where}: expected {json.dumps(want, ensure_ascii=False)}",
            f"{' ' * len(where)}  seen     {json.dumps(seen, ensure_ascii=False)}"]


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "first":
        print(stdin_json()["data"][0])
    elif cmd == "execstart":
        out([c[1] for c in stdin_json()["data"]])
    elif cmd == "strings":
        out(stdin_json()["data"])
    elif cmd == "nul-list":
        data = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
        out(data.split("\0")[:-1] if data.endswith("\0") else data.split("\0"))
    elif cmd == "nul-env":
        data = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
        out(dict(e.split("=", 1) for e in data.split("\0") if e))
    elif cmd == "podman-run":
        out(podman_run(stdin_json(), args[0]))
    elif cmd == "journal":
        # journalctl's own matches are not used: with --after-cursor, journalctl 252 skips the
        # first entry that matches
        matches = [a.split("=", 1) for a in args if "=" in a and not a.startswith("PRIORITY<=")]
        maxprio = [int(a[len("PRIORITY<="):]) for a in args if a.startswith("PRIORITY<=")]
        fields = [a for a in args if "=" not in a]
        entries = []
        for line in sys.stdin.buffer.read().decode("utf-8").splitlines():
            if not line.strip():
                continue
            e = json.loads(line)
            if any(e.get(k) != v for k, v in matches):
                continue
            if maxprio and int(e.get("PRIORITY", 7)) > maxprio[0]:
                continue
            entries.append({f: e.get(f) for f in fields})
        out(entries)
    elif cmd == "get":
        v = stdin_json()
        for k in args:
            v = v[int(k)] if isinstance(v, list) else v.get(k)
        out(v)
    elif cmd == "compare":
        want, seen = json.loads(args[0]), json.loads(args[1])
        if want != seen:
            print("\n".join(show_difference(want, seen)))
            sys.exit(1)
    else:
        sys.exit(f"jsontool: unknown command {cmd}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Compiles and runs a C program through an isolatefs mount from Python,
with nothing but open(), read() and write(): the languages the mount knows,
a box, hello.c copied in, its name written to source, status and stdout read.

usage: examples/compile_demo.py [MOUNTPOINT]     (default /isolate)
Exits 0 if every step behaved as documented in docs/interface.md.
"""
import os
import sys

HELLO = '#include <stdio.h>\nint main (void) { puts ("Hello World"); return 0; }\n'


def read(path):
    with open(path) as f:
        return f.read()


def write(path, value):
    # One value per write(2), as every control file wants it.
    with open(path, "w") as f:
        f.write(value + "\n")


def meta(text):
    """A status text as a dict: isolate's key:value lines."""
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)


def languages(text):
    """.languages as a list of dicts, one per language."""
    return [meta(block) for block in text.split("\n\n") if block.strip()]


def main():
    mount = sys.argv[1] if len(sys.argv) > 1 else "/isolate"
    known = languages(read(os.path.join(mount, ".languages")))
    print("languages:", ", ".join(
        lang["language"] + ("" if lang["installed"] == "1" else " (not installed)")
        for lang in known))
    assert any(lang["language"] == "C" and lang["installed"] == "1" for lang in known)

    box = os.path.join(mount, "compile-demo-py-%d" % os.getpid())
    os.mkdir(box)
    try:
        with open(os.path.join(box, "box", "hello.c"), "w") as f:
            f.write(HELLO)
        write(os.path.join(box, "source"), "hello.c")
        status = meta(read(os.path.join(box, "status")))  # waits for compile and run
        print(status)
        assert status["state"] == "done" and status["stage"] == "run", status
        assert "status" not in status, status
        stdout = read(os.path.join(box, "stdout"))
        assert stdout == "Hello World\n", stdout
        print("stdout:", stdout, end="")
    finally:
        os.rmdir(box)
    return 0


if __name__ == "__main__":
    sys.exit(main())

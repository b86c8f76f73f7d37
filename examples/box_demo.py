#!/usr/bin/env python3
"""Drives an isolatefs mount with nothing but file operations.

Creates a box, sets and reads back limits, shows a refused value, runs a
program that writes to stdout and stderr and exits with 3, checks its verdict
and output, and removes the box (also when something fails). Standard library
only.

usage: python3 examples/box_demo.py [MOUNTPOINT]     (default /isolate)
Exits 0 if every step behaved as documented in docs/interface.md.
"""

import errno
import os
import signal
import sys
import time


class DemoError(Exception):
    pass


def write_value(path, value):
    """Writes one value with one write(2), as the control files expect."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        data = (value + "\n").encode()
        if os.write(fd, data) != len(data):
            raise DemoError(f"short write to {path}")
    finally:
        os.close(fd)


def read_value(path):
    with open(path, encoding="utf-8") as f:
        return f.read().rstrip("\n")


def set_and_check(box, name, value, expected):
    path = os.path.join(box, name)
    try:
        write_value(path, value)
    except OSError as e:
        raise DemoError(f"writing {value!r} to {name} was refused: {e.strerror}") from e
    got = read_value(path)
    if got != expected:
        raise DemoError(f"{name}: wrote {value!r}, read back {got!r}, expected {expected!r}")
    print(f"{name:<10} {value:<6} -> {got}")


def demo(box):
    set_and_check(box, "mem", "128M", "131072")
    set_and_check(box, "time", "2", "2.000")
    set_and_check(box, "processes", "10", "10")

    # A bad value is refused with EINVAL and the old value stays.
    mem = os.path.join(box, "mem")
    try:
        write_value(mem, "lots")
    except OSError as e:
        if e.errno != errno.EINVAL:
            raise DemoError(f"mem refused 'lots' with an unexpected error: {e}") from e
        print(f"{'mem':<10} {'lots':<6} -> refused: "
              f"{errno.errorcode[e.errno]} ({os.strerror(e.errno)})")
    else:
        raise DemoError("the bad value 'lots' was accepted by mem")
    got = read_value(mem)
    if got != "131072":
        raise DemoError(f"mem changed to {got!r} after a refused write")

    # A program: `sh -c` with several commands may fork, so processes is 10
    # (set above). Writing cmd starts the run and returns at once.
    program = "sh -c 'echo hello; echo oops >&2; exit 3'"
    write_value(os.path.join(box, "cmd"), program)
    print(f"{'cmd':<10} {program}")

    # Reading status waits until the run has ended.
    status = read_value(os.path.join(box, "status"))
    print("status:")
    for line in status.splitlines():
        print("  " + line)
    stdout = read_value(os.path.join(box, "stdout"))
    stderr = read_value(os.path.join(box, "stderr"))
    print(f"{'stdout:':<10} {stdout}")
    print(f"{'stderr:':<10} {stderr}")

    meta = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    expected = {
        "state": "done",
        "status": "RE",
        "exitcode": "3",
        "message": "Exited with error status 3",
    }
    for key, value in expected.items():
        if meta.get(key) != value:
            raise DemoError(f"status has {key}:{meta.get(key)!r}, expected {value!r}")
    if stdout != "hello":
        raise DemoError(f"stdout is {stdout!r}, expected 'hello'")
    if stderr != "oops":
        raise DemoError(f"stderr is {stderr!r}, expected 'oops'")
    print("verdict RE, exit code 3, output as expected")


def main():
    mount = sys.argv[1] if len(sys.argv) > 1 else "/isolate"
    if not os.path.isdir(mount):
        raise DemoError(f"{mount} is not a directory (is isolatefs mounted?)")

    # Make SIGTERM and SIGHUP unwind like Ctrl-C does, so that the box goes.
    def on_signal(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    box = os.path.join(mount, f"demo-{os.getpid()}-{int(time.time())}")
    try:
        os.mkdir(box)
    except OSError as e:
        raise DemoError(f"cannot create {box}: {e.strerror}") from e
    print(f"created {box}")
    try:
        demo(box)
    finally:
        try:
            os.rmdir(box)
        except OSError as e:
            print(f"box_demo.py: could not remove {box}: {e.strerror}", file=sys.stderr)
            raise
    if os.path.exists(box):
        raise DemoError(f"{box} still exists after rmdir")
    print(f"removed {box}")


if __name__ == "__main__":
    try:
        main()
    except (DemoError, OSError) as e:
        print(f"box_demo.py: {e}", file=sys.stderr)
        sys.exit(1)

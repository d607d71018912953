"""A process's own peak memory.

``getrusage().ru_maxrss`` will not do for a process started by another: Linux carries the parent's
peak over into the child across the exec (subprocess starts children by vfork, whose memory is the
parent's until then), so a child of a large bench reports the bench's peak. The kernel's high-water
mark of the process's own memory map (VmHWM), which an exec starts afresh, is the child's alone.
"""

import resource
from pathlib import Path


def peak_mib() -> float:
    """This process's peak resident memory in MiB."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

"""Kernels that cannot race for ports: they talk over Unix sockets with unique paths, not TCP.

Sphinx reads (and so executes) the pages in several processes at once. Each kernel started
over TCP gets five ports that jupyter_client picks by binding port 0 and letting it go; the
kernel binds them later. Between the two, another process can pick the same port, and that
kernel dies with "Address already in use" (seen once in five fresh-clone runs of `make test`
on two cores). Over IPC, each kernel's sockets are files named after a random prefix, so no
two kernels can ever want the same one.

nbclient (which myst-nb calls) asks ``jupyter_client.AsyncKernelManager`` for its kernel
manager at the moment it starts a kernel; :func:`use_ipc_kernels` puts a subclass there for
the build process and the processes it forks.
"""

from __future__ import annotations

import os
import tempfile
import uuid

from jupyter_client import AsyncKernelManager
from traitlets import default


class IPCKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel listens on Unix sockets with a prefix no other kernel has."""

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        # For IPC, "ip" is the path prefix of the five socket files ("<prefix>-1" ... "-5").
        return os.path.join(tempfile.gettempdir(), f"mbcbook-kernel-{uuid.uuid4().hex[:16]}")


def use_ipc_kernels(app=None, config=None) -> None:
    """Make nbclient start every kernel of this process (and its forks) over IPC.

    Connected to Sphinx's ``config-inited``, before Sphinx forks the processes that read pages.
    """
    import jupyter_client

    jupyter_client.AsyncKernelManager = IPCKernelManager

"""Kernels started by the build talk over Unix sockets with prefixes no two kernels share."""

from __future__ import annotations

import jupyter_client
import nbformat
from nbclient import NotebookClient

from mbcbook.site.kernels import IPCKernelManager, use_ipc_kernels


def test_nbclient_starts_ipc_kernels_once_enabled(monkeypatch):
    # jupyter_client's own class: a Sphinx build earlier in this process may have switched it already.
    monkeypatch.setattr(jupyter_client, "AsyncKernelManager", jupyter_client.manager.AsyncKernelManager)
    before = NotebookClient(nbformat.v4.new_notebook()).create_kernel_manager()
    assert before.transport == "tcp"
    use_ipc_kernels()
    manager = NotebookClient(nbformat.v4.new_notebook()).create_kernel_manager()
    assert isinstance(manager, IPCKernelManager) and manager.transport == "ipc"


def test_every_kernel_gets_its_own_socket_prefix():
    prefixes = {IPCKernelManager().ip for _ in range(50)}
    assert len(prefixes) == 50


def test_a_notebook_runs_over_ipc_and_leaves_no_socket_behind(monkeypatch):
    monkeypatch.setattr(jupyter_client, "AsyncKernelManager", IPCKernelManager)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(6 * 7)")]
    client = NotebookClient(nb, timeout=60)
    with client.setup_kernel():
        info = client.km.get_connection_info()
        client.execute_cell(nb.cells[0], 0)
    assert info["transport"] == "ipc"
    assert nb.cells[0].outputs[0]["text"].strip() == "42"
    import glob

    assert glob.glob(info["ip"] + "-*") == []


def test_a_failed_build_is_not_forgotten_by_the_next(monkeypatch, tmp_path):
    """After a failure Sphinx's saved environment goes, so the next build reads the failing page again."""
    import jupyter_book.sphinx

    from mbcbook.site import build

    saved = tmp_path / "_build" / ".doctrees" / "environment.pickle"
    saved.parent.mkdir(parents=True)
    saved.write_bytes(b"saved")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    (tmp_path / "_config.yml").write_text("title: t\n")
    (tmp_path / "index.md").write_text("# t\n")
    monkeypatch.setattr(jupyter_book.sphinx, "build_sphinx", lambda *a, **k: 0)
    assert build.run_sphinx(tmp_path, tmp_path, 1) == 0 and saved.exists()
    monkeypatch.setattr(jupyter_book.sphinx, "build_sphinx", lambda *a, **k: 1)
    assert build.run_sphinx(tmp_path, tmp_path, 1) == 1 and not saved.exists()

"""A real JupyterLab server for the front-end tests: on 127.0.0.1, behind a random token, with every
Jupyter directory (config, data, runtime, settings, workspaces) in a scratch folder, so it reads
nothing of the machine's and leaves nothing behind; stopped by its PID (and its kernels with it)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

# Quiet and offline: no news or update checks (they would try the network), no announcements.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


class Server(NamedTuple):
    url: str  # e.g. http://127.0.0.1:8123
    token: str
    root: Path  # the folder it serves
    log: Path  # its output, to read when something fails

    def lab(self, notebook: str, reset: bool = False) -> str:
        """The address that opens `notebook` (a path under root) in JupyterLab; `reset` opens it alone,
        instead of restoring the tabs of the last page."""
        return f"{self.url}/lab/tree/{notebook}?{'reset&' if reset else ''}token={self.token}"

    def api(self, path: str) -> dict:
        """GET one of the server's REST endpoints, as JSON."""
        request = urllib.request.Request(f"{self.url}/api/{path}", headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def wait_for_kernel(self, timeout: float = 60.0) -> None:
        """Wait until a kernel is connected to a page and idle (its REST state; the page's own
        indicator reads idle before the kernel is even started)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if any(k["connections"] > 0 and k["execution_state"] == "idle" for k in self.api("kernels")):
                    return
            except OSError:  # includes HTTPError: the server answers 500 while a kernel is starting
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"no idle kernel after {timeout:.0f} s:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab(scratch: Path, root: Path, timeout: float = 60.0, app: str = "jupyterlab") -> Iterator[Server]:
    """Start `python -m jupyterlab` serving `root`; yields the Server once its API answers. (app="notebook"
    starts Notebook 7 the same way, where it is installed: not by the test extra.)"""
    for name, settings in SETTINGS.items():
        path = scratch / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings), encoding="utf-8")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(scratch / "config"), "JUPYTER_DATA_DIR": str(scratch / "data"),
           "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"), "JUPYTER_PLATFORM_DIRS": "1",
           "JUPYTERLAB_SETTINGS_DIR": str(scratch / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(scratch / "workspaces")}
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", app, "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", "--ServerApp.terminals_enabled=False",
               "--LabApp.news_url=", "--LabApp.extension_manager=readonly"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI runs as root; the server refuses to without this
    log = scratch / "jupyterlab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root,
                                   start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", token, root, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                server.api("status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer in {timeout:.0f} s:\n"
                                       f"{log.read_text()[-3000:]}") from None
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()  # SIGTERM to its PID: the server shuts its kernels down, then exits
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

"""A real nginx with the site of deploy/nginx/wabp.conf, for the tests.

The site file is used as it is, with only what differs on a test host
replaced: the port it listens on (loopback, IPv4), the app servers, the
host name, MEDIA_ROOT and the log directory. A replacement whose text is
no longer in the file fails the test, rather than testing another site than
the one deployed.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SITE = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "wabp.conf"
PRODUCTION_UPSTREAM = "    server 127.0.0.1:8000;\n"


def nginx_binary() -> str | None:
    """nginx's program, when installed (Debian: /usr/sbin, often not on PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def replace(text: str, old: str, new: str) -> str:
    if old not in text:
        raise AssertionError(
            f"{SITE.name} no longer contains {old!r}: update tests/nginx.py"
        )
    return text.replace(old, new)


def site_for_test(
    *, host: str, port: int, upstreams: list[int], media_root: Path, log_dir: Path
) -> str:
    """deploy/nginx/wabp.conf with the test's port, app servers and paths."""
    text = SITE.read_text()
    servers = "".join(f"    server {host}:{upstream};\n" for upstream in upstreams)
    text = replace(text, PRODUCTION_UPSTREAM, servers)
    # The IPv6 listeners go: the test reaches nginx on IPv4 loopback only.
    text = replace(text, "    listen [::]:80 default_server;\n", "")
    text = replace(text, "    listen [::]:80;\n", "")
    text = replace(
        text, "listen 80 default_server;", f"listen {host}:{port} default_server;"
    )
    text = replace(text, "listen 80;", f"listen {host}:{port};")
    text = replace(text, "server_name wabp.example.be;", f"server_name {host};")
    text = replace(text, "/srv/wabp/media/", f"{media_root}/")
    return replace(text, "/var/log/nginx/", f"{log_dir}/")


@dataclass
class Nginx:
    host: str
    port: int
    process: subprocess.Popen
    prefix: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.prefix / "logs" / "wabp.access.log"

    @property
    def error_log(self) -> Path:
        return self.prefix / "logs" / "wabp.error.log"

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name} ---\n{path.read_text(errors='replace')}"
            for path in sorted((self.prefix / "logs").glob("*.log"))
        )

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)  # finish the requests, then stop
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_nginx(
    *, host: str, port: int, upstreams: list[int], media_root: Path, prefix: Path
) -> Nginx:
    """nginx in the foreground with the site, its files all under ``prefix``.

    One worker process, so requests go to the app servers in turn (round
    robin), one after the other.
    """
    binary = nginx_binary()
    if binary is None:
        raise AssertionError("nginx is not installed")
    logs = prefix / "logs"
    logs.mkdir(parents=True)
    site = prefix / "wabp.conf"
    site.write_text(
        site_for_test(
            host=host,
            port=port,
            upstreams=upstreams,
            media_root=media_root,
            log_dir=logs,
        )
    )
    # As root, nginx's workers would run as nobody, who cannot read the test's
    # private temporary directory.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp_paths = "".join(
        f"    {kind}_temp_path {prefix / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = prefix / "nginx.conf"
    config.write_text(
        f"{user}worker_processes 1;\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log {logs / 'error.log'};\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        f"{temp_paths}"
        f"    include {site};\n"
        "}\n"
    )
    with (logs / "stderr.log").open("wb") as stderr:
        process = subprocess.Popen(
            [
                binary,
                "-p",
                str(prefix),
                "-c",
                str(config),
                "-e",
                str(logs / "error.log"),
                "-g",
                "daemon off;",
            ],
            stdout=stderr,
            stderr=subprocess.STDOUT,
        )
    nginx = Nginx(host=host, port=port, process=process, prefix=prefix)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"nginx did not start:\n{nginx.logs()}")
        try:
            with socket.create_connection((host, port), timeout=1):
                return nginx
        except OSError:
            time.sleep(0.05)
    nginx.stop()
    raise AssertionError(f"nginx not listening within 10 s:\n{nginx.logs()}")

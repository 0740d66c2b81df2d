"""nginx with the site deploy/nginx.conf, as the tests and benchmarks run it on this machine.

deploy/nginx.conf is the one source of the edge's behaviour. To run it beside other
servers, only its two addresses are replaced (`listen 80;` and the upstream's `server
127.0.0.1:8000;`), and it is included in a main config shaped like Debian's
/etc/nginx/nginx.conf, with every file nginx writes (pid, logs, buffered bodies) kept in a
temporary prefix directory.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from benchmarks import harness

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx.conf"
LISTEN = "listen 80;"
UPSTREAM = "server 127.0.0.1:8000;"

# Debian's main config, its paths moved into the prefix: worker_processes auto and 768
# connections per worker, as /etc/nginx/nginx.conf sets them. daemon off: nginx stays the
# child of whoever started it, and stops with it.
MAIN = """\
daemon off;
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 768;
}}
http {{
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def executable() -> str | None:
    """nginx's path (Debian's is /usr/sbin/nginx, often outside a user's PATH), or None."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).is_file() else None


def render_site(port: int, upstream: str) -> str:
    """deploy/nginx.conf listening on 127.0.0.1:port and proxying to upstream.

    upstream is what follows `server` in an nginx upstream: "127.0.0.1:8001" or
    "unix:/path/to.sock". Each address must appear exactly once in the site, so that an
    edit of the site that this would miss fails loudly here.
    """
    text = SITE.read_text()
    for line in (LISTEN, UPSTREAM):
        if text.count(line) != 1:
            raise ValueError(f"{SITE} should have `{line}` exactly once")
    text = text.replace(LISTEN, f"listen 127.0.0.1:{port};")
    return text.replace(UPSTREAM, f"server {upstream};")


def write_config(prefix: Path, port: int, upstream: str) -> Path:
    """Write the main config and the site into prefix; answer the main config's path."""
    prefix.mkdir(parents=True, exist_ok=True)
    # nginx's workers drop root's rights: they must reach the prefix to buffer bodies.
    prefix.chmod(0o755)
    (prefix / "site.conf").write_text(render_site(port, upstream))
    main = prefix / "nginx.conf"
    main.write_text(MAIN.format(prefix=prefix))
    return main


def command(main: Path, *args: str) -> list[str]:
    """nginx on that main config, its early messages in the prefix too (not /var/log)."""
    nginx = executable()
    if nginx is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
    prefix = main.parent
    return [nginx, "-p", f"{prefix}/", "-c", str(main), "-e", str(prefix / "error.log"), *args]


def check(main: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on the config: its exit status and messages."""
    return subprocess.run(command(main, "-t"), capture_output=True, text=True, timeout=30)


@contextlib.contextmanager
def nginx(port: int, upstream: str, prefix: Path | None = None) -> Iterator[Path]:
    """nginx listening on 127.0.0.1:port in front of upstream; yields its prefix.

    Without a prefix a temporary directory is used and removed afterwards.
    """
    with contextlib.ExitStack() as stack:
        if prefix is None:
            prefix = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="nginx-")))
        main = write_config(prefix, port, upstream)
        process = subprocess.Popen(
            command(main), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        stack.callback(stop, process)
        harness.wait_until_up(port, process, 10, name="nginx", log=prefix / "error.log")
        yield prefix


def stop(process: subprocess.Popen) -> None:
    """Fast shutdown (SIGTERM): the master stops its workers and exits."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()

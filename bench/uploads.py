"""Server memory while customers upload large files to the portal (issue #15, finding 8).

Starts the desk with `unlockdesk serve` (uvicorn) on a fresh SQLite database, signs a customer
in to the portal through the real forms, then posts new tickets with:

  a) four 50 MB files in one request (over UNLOCKDESK_MAX_REQUEST_BYTES: refused with 413);
  b) two 15 MB files (under the body cap, each over the 10 MB attachment limit: refused by
     their streamed size, never read);
  c) four 9 MB photos (under every limit: checked and stored).

For each, the server's resident memory is sampled every 10 ms during the request; reported is
the peak above the level just before it. Before the fix, (a) raised the server's memory by
about 200 MB (every file read into memory, no body cap).

    .venv/bin/python bench/uploads.py

Last line: BENCH uploads a_status=.. a_peak_mb=.. b_status=.. b_peak_mb=.. c_status=.. c_peak_mb=..
"""

import sys
from pathlib import Path

# Run as a script, bench/ is first on sys.path, where sibling benchmarks (bench/email.py)
# would shadow the standard library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import io  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable  # noqa: E402

import httpx  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
ADDRESS = "bench-uploads@example.com"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"VmRSS:\s+(\d+)", text)
    return int(match.group(1)) if match else 0


def photo(size: int) -> bytes:
    """A real JPEG padded with trailing bytes to `size` (decoders stop at the end marker)."""
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "#d9e8f5").save(out, format="JPEG", quality=80)
    data = out.getvalue()
    return data + b"\x00" * (size - len(data))


def prepare(env: dict[str, str]) -> None:
    python = sys.executable
    for command in (["migrate", "-v0"], ["createcachetable"]):
        subprocess.run([python, "-m", "unlockdesk.cli", *command], env=env, check=True, cwd=ROOT)
    script = ("import django; django.setup()\n"
              "from tests.factories import make_account\n"
              f"make_account(email='{ADDRESS}')\n")
    subprocess.run([python, "-c", script], env=env, check=True, cwd=ROOT)


def start(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "unlockdesk.cli", "serve", "--port", str(port)],
                               env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url + "/portal/signin/", timeout=2)
            return process, url
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.1)


def token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "no CSRF token"
    return found.group(1)


def sign_in(client: httpx.Client, database: Path) -> None:
    page = client.get("/portal/signin/")
    client.post("/portal/signin/", data={"address": ADDRESS, "csrfmiddlewaretoken": token(page.text)})
    with sqlite3.connect(database) as db:
        (body,) = db.execute('SELECT body FROM intake_outboxitem WHERE "to" = ? ORDER BY id DESC LIMIT 1',
                             (ADDRESS,)).fetchone()
    code = re.findall(r"\b\d{6}\b", body)[0]
    page = client.get("/portal/signin/code/")
    answer = client.post("/portal/signin/code/", data={"code": code, "csrfmiddlewaretoken": token(page.text)})
    assert answer.status_code == 302, "sign-in failed"


def peak_during(pid: int, action: Callable[[], int]) -> tuple[int, float]:
    base = rss_kb(pid)
    peak = base
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_kb(pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        status = action()
    finally:
        done.set()
        sampler.join()
    return status, (peak - base) / 1024


def upload(client: httpx.Client, files: list[bytes]) -> int:
    page = client.get("/portal/tickets/new/")
    try:
        response = client.post("/portal/tickets/new/", data={
            "subject": "Locked", "text": "Please look at the files", "client_id": str(uuid.uuid4()),
            "csrfmiddlewaretoken": token(page.text),
        }, files=[("files", (f"file{n}.jpg", content, "image/jpeg")) for n, content in enumerate(files)])
    except httpx.TransportError:  # the server answered 413 and closed before we had sent it all
        return 413
    return response.status_code


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-uploads-") as tmp:
        data_dir = Path(tmp)
        database = data_dir / "bench.sqlite3"
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "UNLOCKDESK_TEST_DB_NAME",
                                                                 "DATABASE_URL")}
        env.update({"UNLOCKDESK_DATA_DIR": str(data_dir), "DATABASE_URL": f"sqlite:///{database}",
                    "UNLOCKDESK_DEMO": "1", "UNLOCKDESK_TASKS_EAGER": "1", "UNLOCKDESK_LOG_LEVEL": "WARNING",
                    "DJANGO_SETTINGS_MODULE": "unlockdesk.settings"})
        prepare(env)
        process, url = start(env)
        try:
            with httpx.Client(base_url=url, timeout=300, headers={"Referer": url}) as client:
                sign_in(client, database)
                upload(client, [photo(100 * 1024)])  # warm up: first request loads the code paths
                results = {}
                for label, sizes in (("a", [50 * MB] * 4), ("b", [15 * MB] * 2), ("c", [9 * MB] * 4)):
                    files = [photo(size) for size in sizes]
                    status, peak = peak_during(process.pid, lambda files=files: upload(client, files))
                    results[label] = (status, peak)
                    print(f"{label}) {len(sizes)} x {sizes[0] // MB} MB: status {status}, "
                          f"server memory peak +{peak:.1f} MB")
        finally:
            process.terminate()
            process.wait(10)
    print("BENCH uploads " + " ".join(f"{k}_status={s} {k}_peak_mb={p:.1f}" for k, (s, p) in results.items()))


if __name__ == "__main__":
    main()

"""Private files: what sealing costs, on the local disk and on S3-compatible storage.

Saves and reads back N files of S KiB through the desk's storages: the encrypted local
folder, the encrypted S3 storage against a local S3 server (moto's server mode, in this
process), and plain django-storages S3 on the same server as the floor. The S3 server is
local, so the figures show our overhead (sealing, opening, the SDK), not a network.

    .venv/bin/python bench/storage.py [--files 50] [--kib 1024]

Last line: BENCH storage files=N kib=S local_save_ms=.. local_open_ms=.. s3_save_ms=..
s3_open_ms=.. plain_s3_save_ms=.. plain_s3_open_ms=.. seal_overhead=.. (per file; the
overhead is encrypted S3 save+open over plain S3 save+open).
"""

import sys
from pathlib import Path

# Run as a script, bench/ is first on sys.path, where sibling benchmarks would shadow modules.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402


def timed(storage: Any, files: int, payload: bytes) -> tuple[float, float]:
    """Median milliseconds to save one file, and to open and read one back."""
    from django.core.files.base import ContentFile

    saves, opens, names = [], [], []
    for i in range(files):
        start = time.perf_counter()
        names.append(storage.save(f"bench/file-{i}.bin", ContentFile(payload)))
        saves.append(time.perf_counter() - start)
    for name in names:
        start = time.perf_counter()
        with storage.open(name) as handle:
            assert handle.read() == payload
        opens.append(time.perf_counter() - start)
    return statistics.median(saves) * 1000, statistics.median(opens) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--kib", type=int, default=1024)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-storage-")
    os.environ.update(DJANGO_SETTINGS_MODULE="unlockdesk.settings", UNLOCKDESK_DATA_DIR=folder)
    import boto3
    import django
    from moto.server import ThreadedMotoServer

    django.setup()
    from storages.backends.s3 import S3Storage

    from unlockdesk.storage import EncryptedFileSystemStorage, EncryptedS3Storage

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    options = {"bucket_name": "bench", "endpoint_url": endpoint, "region_name": "us-east-1",
               "access_key": "bench", "secret_key": "bench", "addressing_style": "path",
               "file_overwrite": False}
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench",
                 aws_secret_access_key="bench").create_bucket(Bucket="bench")  # noqa: S106
    payload = os.urandom(args.kib * 1024)
    try:
        local = timed(EncryptedFileSystemStorage(location=str(Path(folder) / "private")),
                      args.files, payload)
        sealed = timed(EncryptedS3Storage(**options, location="sealed"), args.files, payload)
        plain = timed(S3Storage(**options, location="plain"), args.files, payload)
    finally:
        server.stop()
    print(f"{args.files} files of {args.kib} KiB, median per file:")
    for label, (save, read) in [("encrypted local", local), ("encrypted S3", sealed),
                                ("plain S3 (floor)", plain)]:
        print(f"  {label:18} save {save:8.2f} ms   open {read:8.2f} ms")
    overhead = (sealed[0] + sealed[1]) / (plain[0] + plain[1])
    print(f"BENCH storage files={args.files} kib={args.kib} local_save_ms={local[0]:.2f} "
          f"local_open_ms={local[1]:.2f} s3_save_ms={sealed[0]:.2f} s3_open_ms={sealed[1]:.2f} "
          f"plain_s3_save_ms={plain[0]:.2f} plain_s3_open_ms={plain[1]:.2f} seal_overhead={overhead:.2f}")


if __name__ == "__main__":
    main()

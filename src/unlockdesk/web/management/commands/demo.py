"""`unlockdesk demo`: migrate, load demo data, then serve with the task worker beside it.

Runs until Ctrl-C; PORT overrides 8000. Everything lives in UNLOCKDESK_DATA_DIR.
"""

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from unlockdesk.proxies import uvicorn_command
from unlockdesk.web.demo.people import AGENTS, CUSTOMERS


class Command(BaseCommand):
    help = "Run the demo: migrate, seed, print sign-ins, serve on 127.0.0.1:$PORT with a worker."

    def handle(self, *args: Any, **options: Any) -> None:
        port = os.environ.get("PORT", "8000")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("seed-demo")
        self._print_signins(port)
        env = {**os.environ, "UNLOCKDESK_DEMO": "1"}
        # Its own session: Ctrl-C reaches this command only, which then stops the worker cold
        # (SIGQUIT). A warm shutdown waits for the file-system broker's polling, over 30 s; the
        # tasks are safe to cut (acks late, and the sweeps re-queue what was lost).
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "unlockdesk", "worker", "-B",
             "--loglevel", "WARNING", "--concurrency", "2",
             "-s", str(settings.DATA_DIR / "celerybeat-schedule")],
            env=env, start_new_session=True,
        )
        server = subprocess.Popen(  # noqa: S603
            uvicorn_command("unlockdesk.asgi:application", host="127.0.0.1", port=port,
                            extra=["--log-level", "warning"]),
            env=env,
        )
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process, stop in ((server, signal.SIGTERM), (worker, signal.SIGQUIT)):
                if process.poll() is None:
                    process.send_signal(stop)
            for process in (server, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

    def _print_signins(self, port: str) -> None:
        url = f"http://127.0.0.1:{port}"
        out = self.stdout.write
        out("")
        out(f"Unlockdesk demo at {url}")
        out(f"  customer portal: {url}/portal/signin/  (codes appear at {url}/demo/outbox/?to=ADDRESS)")
        out("    the unlock wizard asks for the account's real name and ID number (KYC):")
        for uid, email, phone, name, id_number, reason in CUSTOMERS:
            out(f"    {email:<22} {phone}  UID {uid}  {name} {id_number}  {reason or 'not locked'}")
        out(f"  agent console:   {url}/console/  (the first sign-in of each agent enrols an "
            "authenticator app: scan the QR code, then enter its 6-digit code)")
        for agent in AGENTS:
            out(f"    {agent.username:<11} / {agent.password:<18} {agent.role} {agent.agent_number}")
        out(f"  admin:           {url}/admin/")
        out("Ctrl-C stops it.")

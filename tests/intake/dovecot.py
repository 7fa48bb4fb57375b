"""A throw-away Dovecot IMAP server for the tests: own config, own port, own maildir.

Runs Debian's dovecot (installed by `make test`) in the foreground; the mail processes run as
`nobody` when the tests run as root (Dovecot refuses uid 0), else as the current user.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from imapclient import IMAPClient

from tests.intake.servers import free_port

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else "")
PASSWORD = "imap-test-password"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = {uid}
mail_location = maildir:{root}/mail/%u
default_internal_user = {user}
default_login_user = {user}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    port: int
    root: Path
    process: subprocess.Popen[bytes]
    user: str = "support"

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(self.user, PASSWORD)
        return client

    def url(self, query: str = "") -> str:
        return f"imap://{self.user}:{PASSWORD}@127.0.0.1:{self.port}/INBOX{query}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> Dovecot:
    account = pwd.getpwnam("nobody") if os.getuid() == 0 else pwd.getpwuid(os.getuid())
    root = Path(tempfile.mkdtemp(prefix="unlockdesk-dovecot-"))
    for sub in ("run", "state", "mail", "home"):
        (root / sub).mkdir()
    if os.getuid() == 0:
        os.chmod(root, 0o755)  # noqa: S103 - the mail user (nobody) must reach its maildir
        for sub in ("mail", "home"):
            os.chown(root / sub, account.pw_uid, account.pw_gid)
    port = free_port()
    (root / "dovecot.conf").write_text(CONFIG.format(
        root=root, uid=account.pw_uid, gid=account.pw_gid, user=account.pw_name,
        password=PASSWORD, port=port))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    server = Dovecot(port, root, process)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            server.client().logout()
            return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("dovecot did not start listening")

"""Two-factor sign-in for staff: one TOTP device (django-otp) per agent.

A console session exists only after both factors: the password step never logs anyone in,
it only remembers who passed it (for a few minutes) until a TOTP code from the agent's
confirmed device arrives. An agent without a confirmed device enrols at that point: they see
a new secret once and must prove it with a code. Replacing a device is an admin action (delete
it in the admin), so a stolen password alone can never enrol a second device.

Wrong codes are throttled by django-otp (exponential back-off per device); every enrolment
and every second-factor failure is audited.
"""

from base64 import b32encode
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from unlockdesk.safety import audit
from unlockdesk.staff.models import Agent

DEVICE_NAME = "authenticator"


def confirmed_device(agent: Agent) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=agent, confirmed=True).order_by("pk").first()


def pending_enrolment(agent: Agent) -> TOTPDevice:
    """The agent's unconfirmed device, created once; refused when one is already confirmed."""
    if confirmed_device(agent) is not None:
        raise PermissionError("this agent already has a confirmed device")
    device = TOTPDevice.objects.filter(user=agent, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=agent, name=DEVICE_NAME, confirmed=False)
    return device


def provision_device(agent: Agent, *, key_hex: str | None = None) -> TOTPDevice:
    """A confirmed device for an agent created by a script (demo data, tests, bulk import)."""
    existing = confirmed_device(agent)
    if existing is not None:
        return existing
    fields = {"key": key_hex} if key_hex else {}
    return TOTPDevice.objects.create(user=agent, name=DEVICE_NAME, confirmed=True, **fields)


def secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in by hand."""
    return b32encode(unhexlify(device.key.encode())).decode()


def qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the otpauth:// URI (no script, no external image)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg: str = image.to_string(encoding="unicode")
    return svg


def current_token(device: TOTPDevice) -> str:
    """The code the agent's app shows now (demo console and tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def seconds_until_retry(device: TOTPDevice) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed or not data:
        return 0
    locked_until = data.get("locked_until")
    if locked_until is None:
        return 0
    from django.utils import timezone

    return max(int((locked_until - timezone.now()).total_seconds()) + 1, 1)


def check_token(agent: Agent, device: TOTPDevice, token: str, *, ip: str | None) -> bool:
    """True when `token` is the device's current code (used once); failures are audited."""
    token = "".join(token.split())
    ok = token.isdigit() and device.verify_token(token)
    if not ok:
        audit.record(actor=audit.actor_of(agent) if agent.is_authenticated else f"agent:{agent.pk}",
                     action="staff.2fa_failed", target=f"agent:{agent.pk}", ip=ip)
    return bool(ok)


def confirm_enrolment(agent: Agent, device: TOTPDevice, token: str, *, ip: str | None) -> bool:
    """Confirm a pending device with its first code; audited."""
    if device.confirmed or device.user_id != agent.pk:
        return False
    if not check_token(agent, device, token, ip=ip):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=agent, confirmed=False).exclude(pk=device.pk).delete()
        audit.record(actor=f"agent:{agent.agent_number or agent.get_username()}",
                     action="staff.2fa_enrolled", target=f"agent:{agent.pk}", ip=ip)
    return True

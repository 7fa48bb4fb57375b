"""SMS through Alibaba Cloud SMS (短信服务, Dysmsapi) with its maintained SDK.

Mainland SMS carries only pre-approved templates under an approved signature (签名), so a
text is sent as the template for its purpose, filled from its params: `code` with
{"code"}, `reply` with {"ticket"} ("you have a reply on ticket ...; sign in to read it"),
`status` with {"ticket", "status"}. `UNLOCKDESK_ALIYUN_SMS_ENDPOINT` points the SDK at another
host (the tests' local fake of the API).
"""

import json
from collections.abc import Mapping

from alibabacloud_dysmsapi20170525 import models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi import models as openapi
from alibabacloud_tea_openapi.exceptions import (
    ClientException,
    ServerException,
    ThrottlingException,
)
from darabonba.runtime import RuntimeOptions
from django.conf import settings
from Tea.exceptions import TeaException

from unlockdesk.intake.sms import SmsFailed, SmsReceipt

TIMEOUT_MS = 10_000


def templates() -> dict[str, str]:
    """`code=SMS_1,reply=SMS_2` -> {"code": "SMS_1", "reply": "SMS_2"}."""
    items = settings.UNLOCKDESK_ALIYUN_SMS_TEMPLATES.split(",")
    pairs = (item.split("=", 1) for item in items if "=" in item)
    return {purpose.strip(): code.strip() for purpose, code in pairs}


def aliyun_number(phone: str) -> str:
    """E.164 to Aliyun's form: mainland numbers bare (13800138000), others with country code."""
    digits = phone.lstrip("+")
    return digits[2:] if phone.startswith("+86") else digits


def client() -> Client:
    endpoint = settings.UNLOCKDESK_ALIYUN_SMS_ENDPOINT
    config = openapi.Config(
        access_key_id=settings.UNLOCKDESK_ALIYUN_ACCESS_KEY_ID,
        access_key_secret=settings.UNLOCKDESK_ALIYUN_ACCESS_KEY_SECRET,
        endpoint=endpoint.split("://", 1)[-1],
        protocol="HTTP" if endpoint.startswith("http://") else "HTTPS",
        connect_timeout=TIMEOUT_MS, read_timeout=TIMEOUT_MS,
    )
    return Client(config)


class AliyunSmsBackend:
    """One SendSms call per text; Aliyun's BizId is the receipt, `accepted` the status."""

    name = "aliyun"

    def send(self, *, to: str, text: str, purpose: str = "", params: Mapping[str, str] | None = None,
             ) -> SmsReceipt:
        template = templates().get(purpose)
        if not template:
            raise SmsFailed(f"Aliyun: no template configured for {purpose or 'this text'!r}",
                            retryable=False, provider=self.name)
        request = models.SendSmsRequest(
            phone_numbers=aliyun_number(to), sign_name=settings.UNLOCKDESK_ALIYUN_SMS_SIGN_NAME,
            template_code=template, template_param=json.dumps(dict(params or {}), ensure_ascii=False),
        )
        try:
            # Our own deliveries retry with back-off; the SDK's quick retries would only add delay.
            response = client().send_sms_with_options(request, RuntimeOptions(autoretry=False))
        except (ThrottlingException, ServerException) as exc:
            raise SmsFailed(f"Aliyun {exc.code}: {exc.message}"[:255], retryable=True,
                            provider=self.name) from exc
        except ClientException as exc:  # bad keys, bad signature: wrong again on retry
            raise SmsFailed(f"Aliyun {exc.code}: {exc.message}"[:255], retryable=False,
                            provider=self.name) from exc
        except TeaException as exc:  # network
            raise SmsFailed(f"Aliyun unreachable: {exc.message}"[:255], retryable=True,
                            provider=self.name) from exc
        body = response.body
        if body.code != "OK":  # business refusals come back as 200 with a code
            retryable = body.code in {"isv.BUSINESS_LIMIT_CONTROL", "SignatureNonceUsed"} or (
                body.code or "").startswith("isp.")
            raise SmsFailed(f"Aliyun {body.code}: {body.message}"[:255], retryable=retryable,
                            provider=self.name)
        return SmsReceipt(provider=self.name, provider_id=str(body.biz_id), status="accepted")

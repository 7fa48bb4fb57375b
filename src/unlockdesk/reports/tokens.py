"""Signed, expiring links to one satisfaction survey.

The token names the survey and a random nonce stored with it, signed with the site key
(django.core.signing): a ticket number alone never opens a survey, a forged or edited link
fails the signature, and a link older than UNLOCKDESK_CSAT_DAYS is refused.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from unlockdesk.reports.models import CsatSurvey

SALT = "unlockdesk.reports.csat-link"


class BadSurveyLink(Exception):
    """Tampered, expired or unknown; the page shows one clear message for all three."""


def max_age() -> timedelta:
    return timedelta(days=settings.UNLOCKDESK_CSAT_DAYS)


def survey_token(survey: CsatSurvey) -> str:
    return signing.dumps({"s": survey.pk, "n": survey.nonce}, salt=SALT, compress=True)


def survey_url(survey: CsatSurvey) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('csat', args=[survey_token(survey)])}"


def survey_for_token(token: str) -> CsatSurvey:
    try:
        data = signing.loads(token[:500], salt=SALT, max_age=max_age())
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise BadSurveyLink from exc
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise BadSurveyLink
    survey = CsatSurvey.objects.select_related("ticket").filter(pk=data["s"]).first()
    if survey is None or not constant_time_compare(survey.nonce, str(data.get("n", ""))):
        raise BadSurveyLink
    return survey

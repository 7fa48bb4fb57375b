from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def brand_context(request: HttpRequest) -> dict[str, Any]:
    brand = settings.BRAND
    language = get_language() or settings.LANGUAGE_CODE
    return {
        "brand": brand,
        "brand_name": brand.name(language),
        "demo_mode": settings.DEMO_MODE,
        "desk_time_zone": settings.TIME_ZONE,
    }

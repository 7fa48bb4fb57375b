from django.contrib import admin
from django.urls import include, path

from unlockdesk.api.exchange_events import exchange_events

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Before the API include: a plain view, because its HMAC covers the raw body.
    path("api/v1/exchange/events", exchange_events, name="exchange_events"),
    path("api/", include("unlockdesk.api.urls")),
    path("webhooks/email/", include("unlockdesk.intake.urls")),
    path("webhooks/", include("unlockdesk.intake.webhook_urls")),
    path("chat/", include("unlockdesk.chat.urls")),
    path("console/staff/", include("unlockdesk.staff.urls")),
    path("", include("unlockdesk.safety.urls")),
    path("", include("unlockdesk.unlock.urls")),
    path("", include("unlockdesk.helpcenter.urls")),
    path("", include("unlockdesk.web.urls")),
]

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
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

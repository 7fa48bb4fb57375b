"""The admin site behind the same two factors as the console.

Django's admin login is replaced by a redirect to the console's two-step login, and
`has_permission` also requires a django-otp verified session, so a session that somehow
skipped the second factor never reaches the admin.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse


class StaffAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        verified = getattr(request.user, "is_verified", None)
        return super().has_permission(request) and bool(verified and verified())

    def login(self, request: HttpRequest, extra_context: object = None) -> HttpResponse:
        # Imported here: this module is loaded with the app configs, before models may be
        # imported, and the views import the Agent model.
        from unlockdesk.staff.views import admin_login

        return admin_login(request, extra_context)


class StaffAdminConfig(AdminConfig):
    default_site = "unlockdesk.staff.admin_site.StaffAdminSite"

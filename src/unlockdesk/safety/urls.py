from django.urls import path

from unlockdesk.safety import console_views, views

app_name = "safety"

urlpatterns = [
    path("verify/", views.verify_page, name="verify"),
    path("freeze/<str:token>/", views.freeze_link, name="freeze_link"),
    path("portal/security/", views.security_page, name="portal_security"),
    path("portal/security/anti-phishing/", views.set_anti_phishing_code, name="anti_phishing"),
    path("portal/security/freeze/", views.portal_freeze, name="portal_freeze"),
    path("portal/security/report/", views.report_contact, name="report"),
    path("console/security/audit/", console_views.audit_log, name="console_audit"),
    path("console/security/reports/", console_views.reports, name="console_reports"),
    path("console/security/reports/<int:pk>/", console_views.decide_report, name="decide_report"),
]

"""Inbound email webhooks of the providers (mounted at /webhooks/email/)."""

from django.urls import path

from unlockdesk.intake.mail import webhooks

app_name = "email_webhooks"

urlpatterns = [
    path("mailgun/", webhooks.MailgunInbound.as_view(), name="mailgun"),
    path("postmark/", webhooks.PostmarkInbound.as_view(), name="postmark"),
]

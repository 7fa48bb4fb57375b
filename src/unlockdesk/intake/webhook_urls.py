from django.urls import path

from unlockdesk.intake import twilio_views, webhook_views

app_name = "webhooks"

urlpatterns = [
    path("telegram/", webhook_views.telegram_webhook, name="telegram"),
    path("facebook/", webhook_views.facebook_webhook, name="facebook"),
    path("x/", webhook_views.x_webhook, name="x"),
    path("voice/", webhook_views.voice_webhook, name="voice"),
    path("twilio/sms-status/", twilio_views.sms_status_callback, name="twilio_sms_status"),
]

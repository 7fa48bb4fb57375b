from django.urls import path

from unlockdesk.intake import twilio_views, twilio_voice_views, webhook_views

app_name = "webhooks"

urlpatterns = [
    path("telegram/", webhook_views.telegram_webhook, name="telegram"),
    path("facebook/", webhook_views.facebook_webhook, name="facebook"),
    path("x/", webhook_views.x_webhook, name="x"),
    path("voice/", webhook_views.voice_webhook, name="voice"),
    path("twilio/sms-status/", twilio_views.sms_status_callback, name="twilio_sms_status"),
    path("twilio/voice/", twilio_voice_views.incoming, name="twilio_voice"),
    path("twilio/voice/menu/", twilio_voice_views.menu_choice, name="twilio_voice_menu"),
    path("twilio/voice/freeze/", twilio_voice_views.freeze_code, name="twilio_voice_freeze"),
    path("twilio/voice/recorded/", twilio_voice_views.recorded, name="twilio_voice_recorded"),
    path("twilio/voice/status/", twilio_voice_views.call_status, name="twilio_voice_status"),
    path("twilio/voice/dialed/", twilio_voice_views.dialed, name="twilio_voice_dialed"),
]

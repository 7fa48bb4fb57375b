from django.urls import path

from unlockdesk.chat import views

app_name = "chat"

urlpatterns = [
    path("console/", views.console, name="console"),
    path("upload/", views.upload, name="upload"),
    path("transcript/<str:signed>/", views.transcript, name="transcript"),
    path("continue/<str:number>/", views.continue_chat, name="continue"),
]

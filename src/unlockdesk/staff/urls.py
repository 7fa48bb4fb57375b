from django.urls import path

from unlockdesk.staff import views

app_name = "staff"

urlpatterns = [
    path("two-factor/", views.verify, name="verify"),
    path("two-factor/setup/", views.enrol, name="enrol"),
]

"""URLs of the unlock application (namespace `unlock`): the portal wizard and the console review."""

from django.urls import path

from unlockdesk.unlock.views import console, portal

app_name = "unlock"

urlpatterns = [
    path("portal/unlock/", portal.start, name="start"),
    path("portal/unlock/step/<int:step>/", portal.step, name="step"),
    path("portal/unlock/upload/", portal.upload, name="upload"),
    path("portal/unlock/evidence/<int:pk>/remove/", portal.remove, name="remove"),
    path("portal/unlock/evidence/<int:pk>/preview/", portal.preview, name="preview"),
    path("portal/unlock/submit/", portal.submit, name="submit"),
    path("portal/unlock/redo/transactions/", portal.redo_transactions, name="redo_transactions"),
    path("portal/unlock/status/<str:number>/", portal.status, name="status"),
    path("console/unlock/", console.queue, name="queue"),
    path("console/unlock/<int:pk>/", console.review, name="review"),
    path("console/unlock/<int:pk>/decide/", console.decide, name="decide"),
    path("console/unlock/<int:pk>/reveal/", console.reveal, name="reveal"),
    path("console/unlock/<int:pk>/unlock/", console.retry_unlock, name="retry_unlock"),
    path("console/unlock/evidence/<int:pk>/", console.evidence_file, name="evidence_file"),
]

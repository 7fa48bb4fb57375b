from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from unlockdesk.web.views import console, portal, ticket_history

portal_patterns = [
    path("signin/", portal.signin, name="signin"),
    path("signin/code/", portal.enter_code, name="code"),
    path("signout/", portal.signout, name="signout"),
    path("", portal.dashboard, name="dashboard"),
    path("tickets/new/", portal.new_ticket, name="new_ticket"),
    path("tickets/<str:number>/", portal.ticket_page, name="ticket"),
    path("tickets/<str:number>/transcript/", portal.transcript, name="transcript"),
    path("export/", portal.export_records, name="export"),
    path("attachments/<int:pk>/", portal.attachment, name="attachment"),
]

console_patterns = [
    path("login/", console.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="console:login"), name="logout"),
    path("", console.inbox, name="inbox"),
    path("tickets/<str:number>/", console.ticket_page, name="ticket"),
    path("tickets/<str:number>/reply/", console.post_reply, name="reply"),
    path("tickets/<str:number>/status/", console.post_status, name="status"),
    path("tickets/<str:number>/assign-me/", console.post_assign_me, name="assign_me"),
    path("tickets/<str:number>/tags/", console.post_tags, name="tags"),
    path("tickets/<str:number>/merge-contact/", console.post_merge_contact, name="merge_contact"),
    path("attachments/<int:pk>/", console.attachment, name="attachment"),
    path("tickets/<str:number>/earlier/", ticket_history.earlier_messages, name="ticket_earlier"),
]

urlpatterns = [
    path("", portal.home, name="home"),
    path("portal/", include((portal_patterns, "portal"))),
    path("console/", include((console_patterns, "console"))),
    path("demo/outbox/", portal.outbox, name="outbox"),
    # Browsers ask for /favicon.ico whatever the page says; a 404 on every page load is noise.
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
]

from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from unlockdesk.web.views import (
    bulk,
    chat_files,
    console,
    csat,
    macros,
    notifications,
    phone,
    portal,
    records,
    reports,
    routing,
    saved_views,
    social,
    ticket_history,
    ticket_merge,
)

portal_patterns = [
    path("signin/", portal.signin, name="signin"),
    path("signin/code/", portal.enter_code, name="code"),
    path("signout/", portal.signout, name="signout"),
    path("", portal.dashboard, name="dashboard"),
    path("tickets/new/", portal.new_ticket, name="new_ticket"),
    path("tickets/<str:number>/", portal.ticket_page, name="ticket"),
    path("tickets/<str:number>/transcript/", portal.transcript, name="transcript"),
    path("export/", records.records_page, name="export"),
    path("export/<str:public_id>/status/", records.export_status, name="export_status"),
    path("export/<str:public_id>/<str:kind>/", records.export_file, name="export_file"),
    path("attachments/<int:pk>/", portal.attachment, name="attachment"),
    path("tickets/<str:number>/rating/", csat.portal_rating, name="rating"),
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
    path("reports/", reports.reports_page, name="reports"),
    path("reports/<slug:key>.csv", reports.report_export, name="report_csv"),
    path("callbacks/", phone.callback_queue, name="callbacks"),
    path("callbacks/<int:pk>/take/", phone.take_callback, name="callback_take"),
    path("callbacks/<int:pk>/assign/", phone.assign_callback_to, name="callback_assign"),
    path("callbacks/<int:pk>/log/", phone.log_callback_call, name="callback_log"),
    path("callbacks/<int:pk>/call/", phone.call_for_callback, name="callback_call"),
    path("tickets/<str:number>/calls/log/", phone.log_ticket_call, name="ticket_call_log"),
    path("tickets/<str:number>/calls/place/", phone.call_ticket_contact, name="ticket_call_place"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/feed/", notifications.notification_feed, name="notifications_feed"),
    path("notifications/read/", notifications.notification_read, name="notifications_read"),
    # Agent tools (issue 12): macros, bulk actions, saved views, merge and split.
    path("macros/", macros.macro_list, name="macros"),
    path("macros/<int:pk>/", macros.macro_edit, name="macro_edit"),
    path("macros/<int:pk>/delete/", macros.macro_delete, name="macro_delete"),
    path("tickets/<str:number>/macros/", macros.macros_for_ticket, name="ticket_macros"),
    path("bulk/", bulk.bulk_confirm, name="bulk_confirm"),
    path("bulk/run/", bulk.bulk_run, name="bulk_run"),
    path("bulk/<int:pk>/", bulk.bulk_job, name="bulk_job"),
    path("views/", saved_views.view_save, name="view_save"),
    path("views/<int:pk>/delete/", saved_views.view_delete, name="view_delete"),
    path("tickets/<str:number>/merge/", ticket_merge.post_merge, name="merge"),
    path("tickets/<str:number>/split/", ticket_merge.post_split, name="split"),
    path("attachments/<int:pk>/thumbnail/", social.attachment_thumbnail, name="attachment_thumbnail"),
    path("tickets/<str:number>/earlier/", ticket_history.earlier_messages, name="ticket_earlier"),
]

urlpatterns = [
    path("", portal.home, name="home"),
    path("portal/", include((portal_patterns, "portal"))),
    path("console/", include((console_patterns, "console"))),
    path("demo/outbox/", portal.outbox, name="outbox"),
    path("rate/<str:token>/", csat.survey_page, name="csat"),
    # A file an agent sent in a chat, for the visitor's own signed link (chat.files).
    path("chat/files/<str:signed>/", chat_files.chat_file, name="chat_file"),
    # Browsers ask for /favicon.ico whatever the page says; a 404 on every page load is noise.
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
]

# Routing: presence and supervisors' reassignment (issue #12).
console_patterns += [
    path("presence/", routing.post_presence, name="presence"),
    path("tickets/<str:number>/reassign/", routing.post_reassign, name="reassign"),
]

from django.urls import path

from unlockdesk.helpcenter import console_views, views

app_name = "helpcenter"

urlpatterns = [
    path("help/", views.home, name="home"),
    path("help/search/", views.search, name="search"),
    path("help/suggest/", views.suggest, name="suggest"),
    path("help/why-locked/", views.why_locked, name="why_locked"),
    path("help/c/<slug:slug>/", views.category, name="category"),
    path("help/<slug:slug>/", views.article, name="article"),
    path("help/<slug:slug>/feedback/", views.feedback, name="feedback"),
    path("console/help/", console_views.feedback_list, name="console_feedback"),
    path("console/help/articles/", console_views.articles, name="console_articles"),
    path("console/help/articles/new/", console_views.new_article, name="console_new"),
    path("console/help/articles/<slug:slug>/<str:language>/", console_views.edit, name="console_edit"),
]

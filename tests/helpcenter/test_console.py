"""Console pages: agents read readers' feedback; only admins edit, preview and publish."""

import pytest
from django.test import Client

from tests.factories import make_agent
from tests.helpers import console_login
from unlockdesk.helpcenter.models import Revision, Status, Translation
from unlockdesk.helpcenter.services import LoadReport, record_feedback
from unlockdesk.staff.models import Role

pytestmark = pytest.mark.django_db

EDIT = "/console/help/articles/live-chat/en/"


@pytest.fixture
def admin_client(client: Client) -> Client:
    return console_login(client, make_agent(role=Role.ADMIN))


@pytest.fixture
def agent_client(client: Client) -> Client:
    return console_login(client, make_agent(role=Role.AGENT))


def test_anonymous_is_sent_to_the_console_login(client: Client, help_content: LoadReport) -> None:
    for url in ("/console/help/", "/console/help/articles/", EDIT, "/console/help/articles/new/"):
        response = client.get(url)
        assert response.status_code == 302 and "/console/login/" in response["Location"], url


def test_agents_see_feedback_with_comments(agent_client: Client, help_content: LoadReport) -> None:
    translation = Translation.objects.get(article__slug="live-chat", language="en")
    record_feedback(translation=translation, helpful=False, comment="The opening hours are missing")
    body = agent_client.get("/console/help/").content.decode()
    assert "The opening hours are missing" in body and 'data-helpful="no"' in body
    assert "The opening hours" not in agent_client.get("/console/help/?helpful=yes").content.decode()
    assert "The opening hours" not in agent_client.get("/console/help/?language=zh-hans").content.decode()


def test_agents_may_list_articles_but_not_edit(agent_client: Client, help_content: LoadReport) -> None:
    assert agent_client.get("/console/help/articles/").status_code == 200
    assert agent_client.get(EDIT).status_code == 403
    response = agent_client.post(EDIT, {"title": "Hacked", "body": "x", "action": "publish"})
    assert response.status_code == 403
    assert agent_client.get("/console/help/articles/new/").status_code == 403
    assert Translation.objects.get(article__slug="live-chat", language="en").title != "Hacked"


def test_admin_previews_without_saving(admin_client: Client, help_content: LoadReport) -> None:
    revisions = Revision.objects.count()
    body = admin_client.post(EDIT, {"title": "Chat", "body": "**Bold** {{brand}}",
                                    "action": "preview"}).content.decode()
    preview = body.split('id="preview"', 1)[1].split("</section>", 1)[0]
    assert "<strong>Bold</strong>" in preview and "{{brand}}" not in preview
    assert Revision.objects.count() == revisions


def test_admin_saves_a_draft_then_publishes(admin_client: Client, client: Client,
                                            help_content: LoadReport) -> None:
    response = admin_client.post(EDIT, {"title": "Chat with us, day and night", "body": "Draft text",
                                        "note": "new hours", "action": "save"})
    assert response.status_code == 302
    page = admin_client.get(EDIT).content.decode()
    assert "Chat with us, day and night" in page and "new hours" in page
    assert "Unpublished changes" in page or "未发布的修改" in page
    reader = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "Chat with us, day and night" not in reader.get("/help/live-chat/").content.decode()

    admin_client.post(EDIT, {"title": "Chat with us, day and night", "body": "Live text",
                             "action": "publish"})
    translation = Translation.objects.get(article__slug="live-chat", language="en")
    assert translation.status == Status.PUBLISHED and translation.body == "Live text\n"
    assert "Chat with us, day and night" in reader.get("/help/live-chat/").content.decode()
    assert [r.status for r in translation.revisions.all()[:3]] == [Status.PUBLISHED, Status.DRAFT,
                                                                   Status.PUBLISHED]


def test_admin_unpublishes(admin_client: Client, help_content: LoadReport) -> None:
    admin_client.post(EDIT, {"title": "x", "body": "y", "action": "unpublish"})
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get("/help/live-chat/").status_code == 200  # zh remains
    assert Translation.objects.get(article__slug="live-chat", language="en").status == Status.DRAFT


def test_admin_creates_an_article_as_a_draft(admin_client: Client, help_content: LoadReport) -> None:
    from unlockdesk.helpcenter.models import Category

    response = admin_client.post("/console/help/articles/new/", {
        "slug": "new-hotline", "category": Category.objects.get(slug="contact").pk,
        "language": "en", "title": "New hotline", "body": "Call us."})
    assert response.status_code == 302 and response["Location"].endswith("/new-hotline/en/")
    assert Client().get("/help/new-hotline/").status_code == 404


def test_bad_edit_shows_the_form_again_and_changes_nothing(admin_client: Client,
                                                           help_content: LoadReport) -> None:
    revisions = Revision.objects.count()
    response = admin_client.post(EDIT, {"title": "", "body": "", "action": "publish"})
    assert response.status_code == 200
    assert Revision.objects.count() == revisions
    assert admin_client.get("/console/help/articles/live-chat/fr/").status_code == 404
    assert admin_client.get("/console/help/articles/no-such/en/").status_code == 404


def test_admin_reads_an_earlier_revision_and_publishes_it_again(admin_client: Client,
                                                                help_content: LoadReport) -> None:
    translation = Translation.objects.get(article__slug="live-chat", language="en")
    [first] = translation.revisions.all()
    admin_client.post(EDIT, {"title": "Chat (rewritten)", "body": "New text", "action": "publish"})
    page = admin_client.get(EDIT).content.decode()
    assert f'href="?revision={first.number}"' in page and 'id="loaded-revision"' not in page

    old = admin_client.get(f"{EDIT}?revision={first.number}").content.decode()
    assert 'id="loaded-revision"' in old and f"r{first.number}" in old
    assert f'value="{first.title}"' in old and "Chat (rewritten)" not in old.split('id="editor"')[1]

    admin_client.post(EDIT, {"title": first.title, "body": first.body, "note": "undo",
                             "action": "publish"})
    translation.refresh_from_db()
    assert translation.title == first.title and translation.revisions.count() == 3


@pytest.mark.parametrize("number", ["99", "x", "-1"])
def test_unknown_revision_is_not_found(admin_client: Client, help_content: LoadReport,
                                       number: str) -> None:
    assert admin_client.get(f"{EDIT}?revision={number}").status_code == 404


def test_article_list_links_each_language_to_its_editor(admin_client: Client,
                                                        help_content: LoadReport) -> None:
    """The page's language switcher must not take over the list's own language columns."""
    body = admin_client.get("/console/help/articles/").content.decode()
    for language in ("en", "zh-hans"):
        translation = Translation.objects.get(article__slug="live-chat", language=language)
        assert f'href="/console/help/articles/live-chat/{language}/"' in body
        assert translation.title in body

"""The ticket search index: a GIN-indexed tsvector column on PostgreSQL, an FTS5 table on
SQLite (see tickets/search/backends.py), filled from the tickets already stored."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from unlockdesk.tickets.search import backends, index

    backends.backend_for(schema_editor.connection).install(schema_editor.connection)
    index.rebuild_all()


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from unlockdesk.tickets.search import backends

    backends.backend_for(schema_editor.connection).uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0006_queue_agents_and_inbox_keyset_indexes"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]

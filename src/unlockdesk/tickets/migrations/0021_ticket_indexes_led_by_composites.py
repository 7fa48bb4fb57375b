"""Four single-column indexes of the ticket go; a composite index that begins with the same
column serves each one's lookups: updated_at (ticket_updated_keyset), created_at
(ticket_created), assignee (ticket_assignee_rank_keyset), queue (ticket_queue_created).

Every stored message writes the ticket row and changes updated_at, so on PostgreSQL the new
row version is never a HOT update and is inserted into every index of the table: 25 indexes
before, 21 after. Dropped by name, as 0020 does: AlterField would copy the whole table on
SQLite (and, for the foreign keys, drop nothing on PostgreSQL).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The names Django gave them in 0001, on every database.
INDEXES = {
    "tickets_ticket_updated_at_109364f6": "updated_at",
    "tickets_ticket_created_at_95bb8d8e": "created_at",
    "tickets_ticket_assignee_id_3a5aa407": "assignee_id",
    "tickets_ticket_queue_id_0d3cb9ef": "queue_id",
}


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0020_message_ticket_index_is_the_seq_one"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"',
                                  reverse_sql=f'CREATE INDEX "{name}" ON "tickets_ticket" ("{column}")')
                for name, column in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="ticket", name="updated_at",
                    field=models.DateTimeField(default=django.utils.timezone.now)),
                migrations.AlterField(
                    model_name="ticket", name="created_at",
                    field=models.DateTimeField(default=django.utils.timezone.now)),
                migrations.AlterField(
                    model_name="ticket", name="assignee",
                    field=models.ForeignKey(blank=True, db_index=False, null=True,
                                            on_delete=django.db.models.deletion.SET_NULL,
                                            related_name="assigned_tickets", to=settings.AUTH_USER_MODEL)),
                migrations.AlterField(
                    model_name="ticket", name="queue",
                    field=models.ForeignKey(blank=True, db_index=False, null=True,
                                            on_delete=django.db.models.deletion.SET_NULL,
                                            to="tickets.queue")),
            ],
        ),
    ]

"""Message.ticket's own index goes: the (ticket, seq) unique index begins with ticket_id and
serves every read by ticket, so the second index only cost each stored message a write.

Dropped by name rather than through AlterField, which on SQLite copies the whole message table
to drop one index (and on PostgreSQL dropped nothing).
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "tickets_message_ticket_id_a1134910"  # the name Django gave it in 0001, on every database


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0019_report_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(
                f'DROP INDEX IF EXISTS "{INDEX}"',
                reverse_sql=f'CREATE INDEX "{INDEX}" ON "tickets_message" ("ticket_id")',
            )],
            state_operations=[migrations.AlterField(
                model_name="message",
                name="ticket",
                field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                        related_name="messages", to="tickets.ticket"),
            )],
        ),
    ]

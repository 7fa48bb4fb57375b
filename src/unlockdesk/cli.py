"""`unlockdesk`: Django's management commands under one name."""

import os
import sys


def _not_migrated(error: str) -> bool:
    """SQLite's and PostgreSQL's words for a table or column the migrations have not made."""
    return ("no such table" in error or "no such column" in error
            or (("relation \"" in error or "column " in error) and "does not exist" in error))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(["unlockdesk", *sys.argv[1:]])
    except DatabaseError as exc:
        # A newcomer's first command on an empty data folder should say what to do, not
        # print a traceback; any other database error keeps its traceback.
        if not _not_migrated(str(exc)):
            raise
        sys.stderr.write(f"unlockdesk: the database is not set up or not up to date ({exc}).\n"
                         "Run `unlockdesk migrate` first (`make demo` does it and loads demo data).\n")
        sys.exit(2)


if __name__ == "__main__":
    main()

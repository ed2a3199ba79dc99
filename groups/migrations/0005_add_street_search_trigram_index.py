"""The finder searches street names by any part ("kerk" in "Kerkstraat").

A B-tree index cannot serve ``LIKE '%kerk%'``; on PostgreSQL a trigram index
(pg_trgm, a trusted extension the database owner may create) does, so a
look-up stays fast with the streets of a whole country. SQLite has no such
index and needs none at the size of a demo.
"""

from django.db import migrations

INDEX = "groups_street_search_name_trgm"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON groups_street "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("groups", "0004_add_meeting_invitations")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

"""The street search key now writes out more abbreviations ("St-" is "Sint-",
"Dr." is "Dokter", "O.L.V." is "Onze-Lieve-Vrouw", ...): derive the stored
keys again, so a street named with an abbreviation is found by its full name
and the other way round.

It uses the normalisation of the code it ships with: the key is derived data,
and a later change to the normalisation derives the keys again in a migration
of its own.
"""

from django.db import migrations

from groups.models.zones import normalize_street_name

BATCH = 2000


def derive_keys(apps, schema_editor) -> None:
    Street = apps.get_model("groups", "Street")
    changed = []
    streets = Street.objects.only("pk", "name", "search_name").order_by("pk")
    for street in streets.iterator(chunk_size=BATCH):
        key = normalize_street_name(street.name)
        if key != street.search_name:
            street.search_name = key
            changed.append(street)
    Street.objects.bulk_update(changed, ["search_name"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("groups", "0008_municipality_official_reference")]

    operations = [
        migrations.RunPython(derive_keys, migrations.RunPython.noop, elidable=True)
    ]

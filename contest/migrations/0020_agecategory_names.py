# An age category's names in the portal's other languages.

from django.db import migrations, models

# SQLite rebuilds the table to add a column with a default, which drops its
# triggers: the guard against overlapping bands (migration 0009) is created
# again, word for word. PostgreSQL adds the column in place and keeps it.
MESSAGE = "agecategory_no_overlap: age categories of a contest must not overlap"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER IF NOT EXISTS contest_agecategory_no_overlap_insert BEFORE INSERT ON contest_agecategory
    WHEN EXISTS (
        SELECT 1 FROM contest_agecategory c
        WHERE c.contest_id = NEW.contest_id AND c.min_age <= NEW.max_age AND c.max_age >= NEW.min_age
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS contest_agecategory_no_overlap_update
    BEFORE UPDATE OF contest_id, min_age, max_age ON contest_agecategory
    WHEN EXISTS (
        SELECT 1 FROM contest_agecategory c
        WHERE c.contest_id = NEW.contest_id AND c.id <> NEW.id
          AND c.min_age <= NEW.max_age AND c.max_age >= NEW.min_age
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]


def guard_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in SQLITE_FORWARD:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("contest", "0019_entry_render_attempts"),
    ]

    # Backwards, the column's removal rebuilds the table again: the guard is
    # created after it, by the first operation's reverse.
    operations = [
        migrations.RunPython(migrations.RunPython.noop, guard_again),
        migrations.AddField(
            model_name="agecategory",
            name="names",
            field=models.JSONField(blank=True, default=dict, verbose_name="names in other languages"),
        ),
        migrations.RunPython(guard_again, migrations.RunPython.noop),
    ]

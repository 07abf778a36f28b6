"""Database guards for scores that hold for any write, the ORM's included:

- check constraints: points in whole or half steps (points * 2 is whole);
- triggers (SQLite and PostgreSQL): a score's `max_points` must equal its
  criterion's and its points may not exceed it; half points only when the
  contest's judging settings allow them (no settings row: whole points);
  a criterion's `max_points` cannot change while it has scores (the copy
  in each score would silently disagree).

Calibration scores get the same guards.
"""

import django.db.models.expressions
import django.db.models.functions.math
from django.conf import settings
from django.db import migrations, models

GUARDED = ("judging_score", "judging_calibrationscore")

# SQLite: RAISE(ABORT) fails the statement with SQLITE_CONSTRAINT, which
# Django reports as IntegrityError.
SQLITE_SCORE = """
CREATE TRIGGER {table}_guard_{event} BEFORE {event} ON {table}
FOR EACH ROW WHEN
    NEW.max_points IS NOT (SELECT c.max_points FROM judging_criterion c WHERE c.id = NEW.criterion_id)
    OR NEW.points > NEW.max_points
BEGIN SELECT RAISE(ABORT, '{table}: points and maximum must match the criterion'); END;
"""
SQLITE_HALF = """
CREATE TRIGGER {table}_half_{event} BEFORE {event} ON {table}
FOR EACH ROW WHEN
    NEW.points <> ROUND(NEW.points)
    AND NOT COALESCE((SELECT s.half_points FROM judging_criterion c
                      JOIN judging_judgingsettings s ON s.contest_id = c.contest_id
                      WHERE c.id = NEW.criterion_id), 0)
BEGIN SELECT RAISE(ABORT, '{table}: the contest does not allow half points'); END;
"""
SQLITE_CRITERION = """
CREATE TRIGGER judging_criterion_max_locked BEFORE UPDATE OF max_points ON judging_criterion
FOR EACH ROW WHEN NEW.max_points <> OLD.max_points
    AND (EXISTS (SELECT 1 FROM judging_score WHERE criterion_id = OLD.id)
         OR EXISTS (SELECT 1 FROM judging_calibrationscore WHERE criterion_id = OLD.id))
BEGIN SELECT RAISE(ABORT, 'judging_criterion: maximum points cannot change under existing scores'); END;
"""

# PostgreSQL: check_violation (SQLSTATE 23514) is an IntegrityError. No '%'
# in the SQL: the driver would read it as a placeholder.
POSTGRES = """
CREATE FUNCTION judging_score_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    criterion_max integer;
    halves boolean;
BEGIN
    SELECT c.max_points, COALESCE(s.half_points, false) INTO criterion_max, halves
    FROM judging_criterion c LEFT JOIN judging_judgingsettings s ON s.contest_id = c.contest_id
    WHERE c.id = NEW.criterion_id;
    IF NEW.max_points IS DISTINCT FROM criterion_max OR NEW.points > criterion_max THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = TG_TABLE_NAME || ': points and maximum must match the criterion';
    END IF;
    IF NEW.points <> trunc(NEW.points) AND NOT halves THEN
        RAISE EXCEPTION USING ERRCODE = 'check_violation',
            MESSAGE = TG_TABLE_NAME || ': the contest does not allow half points';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER judging_score_guard BEFORE INSERT OR UPDATE ON judging_score
    FOR EACH ROW EXECUTE FUNCTION judging_score_guard();
CREATE TRIGGER judging_calibrationscore_guard BEFORE INSERT OR UPDATE ON judging_calibrationscore
    FOR EACH ROW EXECUTE FUNCTION judging_score_guard();

CREATE FUNCTION judging_criterion_max_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM judging_score WHERE criterion_id = OLD.id)
       OR EXISTS (SELECT 1 FROM judging_calibrationscore WHERE criterion_id = OLD.id) THEN
        RAISE EXCEPTION 'judging_criterion: maximum points cannot change under existing scores'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER judging_criterion_max_locked BEFORE UPDATE OF max_points ON judging_criterion
    FOR EACH ROW WHEN (NEW.max_points IS DISTINCT FROM OLD.max_points)
    EXECUTE FUNCTION judging_criterion_max_locked();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS judging_criterion_max_locked ON judging_criterion;
DROP FUNCTION IF EXISTS judging_criterion_max_locked();
DROP TRIGGER IF EXISTS judging_score_guard ON judging_score;
DROP TRIGGER IF EXISTS judging_calibrationscore_guard ON judging_calibrationscore;
DROP FUNCTION IF EXISTS judging_score_guard();
"""


def _sqlite_statements():
    for table in GUARDED:
        for event in ("INSERT", "UPDATE"):
            yield SQLITE_SCORE.format(table=table, event=event)
            yield SQLITE_HALF.format(table=table, event=event)
    yield SQLITE_CRITERION


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in _sqlite_statements():
            schema_editor.execute(statement)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    else:
        raise NotImplementedError(f"score guards are written for SQLite and PostgreSQL, not {vendor}")


def triggers_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in GUARDED:
            for event in ("INSERT", "UPDATE"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_guard_{event}")
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_half_{event}")
        schema_editor.execute("DROP TRIGGER IF EXISTS judging_criterion_max_locked")
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('contest', '0008_contest_upload_max_aspect'),
        ('judging', '0002_rounds_panels_conflicts_calibration_audit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('scores_saved', 'scores saved'), ('scores_changed', 'scores changed'), ('conflict_declared', 'conflict of interest declared'), ('awards_confirmed', 'suggested awards confirmed'), ('awards_overridden', 'suggested awards overridden'), ('results_published', 'results published'), ('round_closed', 'round closed'), ('round_opened', 'round opened'), ('round_advanced', 'entries advanced to a new round'), ('entries_assigned', 'entries assigned to judges'), ('settings_changed', 'judging settings changed'), ('calibration_set', 'reference drawings chosen'), ('rubric_changed', 'criteria changed')], max_length=20, verbose_name='action'),
        ),
        migrations.AddConstraint(
            model_name='calibrationscore',
            constraint=models.CheckConstraint(condition=models.Q(('points', django.db.models.expressions.CombinedExpression(django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('points'), '*', models.Value(2))), '/', models.Value(2)))), name='calibrationscore_half_point_steps'),
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.CheckConstraint(condition=models.Q(('points', django.db.models.expressions.CombinedExpression(django.db.models.functions.math.Round(django.db.models.expressions.CombinedExpression(models.F('points'), '*', models.Value(2))), '/', models.Value(2)))), name='score_half_point_steps'),
        ),
        migrations.RunPython(triggers_create, triggers_drop, elidable=False),
    ]

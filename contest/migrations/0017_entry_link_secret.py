"""Every entry gets its own guardian-link secret (only its SHA-256 is kept).

Entries that existed before get a fresh random secret that nobody knows:
every guardian link e-mailed before this migration stops working (the
guardian asks for new ones with the reference code and e-mail). An entry
with e-mails still unsent gets a secret whose plain form goes on those
outbox rows, so the e-mails still go out with working links.
"""

import hashlib
import secrets

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

import contest.links


def _secret_new():
    plain = secrets.token_urlsafe(32)
    return plain, hashlib.sha256(plain.encode()).hexdigest()


def secrets_give(apps, schema_editor):
    Entry = apps.get_model("contest", "Entry")
    GuardianMail = apps.get_model("contest", "GuardianMail")
    owed = set(GuardianMail.objects.filter(sent_at__isnull=True).values_list("entry_id", flat=True))
    for pk in Entry.objects.values_list("pk", flat=True).iterator():
        plain, digest = _secret_new()
        Entry.objects.filter(pk=pk).update(link_secret_hash=digest)
        if pk in owed:
            GuardianMail.objects.filter(entry_id=pk, sent_at__isnull=True).update(link_secret=plain)


class Migration(migrations.Migration):

    dependencies = [
        ("contest", "0016_entry_text_flags"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="link_secret_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="guardian link secret (SHA-256)"),
        ),
        migrations.AddField(
            model_name="guardianmail",
            name="link_secret",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="link secret until sent"),
        ),
        migrations.RunPython(secrets_give, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="entry",
            name="link_secret_hash",
            field=models.CharField(
                default=contest.links.secret_hash_unknown, editable=False, max_length=64,
                verbose_name="guardian link secret (SHA-256)",
            ),
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.Exact(django.db.models.functions.text.Length("link_secret_hash"), 64),
                name="entry_link_secret_hash_sha256",
            ),
        ),
        migrations.AddConstraint(
            model_name="guardianmail",
            constraint=models.CheckConstraint(
                condition=models.Q(("sent_at__isnull", True), ("link_secret", ""), _connector="OR"),
                name="guardianmail_sent_keeps_no_secret",
            ),
        ),
    ]

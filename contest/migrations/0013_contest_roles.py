"""Roles per contest (organizer, moderator). Until now every active staff
user organized every contest: each of them gets the organizer role on
every existing contest, so existing deployments keep working."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def staff_organize_every_contest(apps, schema_editor):
    Contest = apps.get_model("contest", "Contest")
    ContestRole = apps.get_model("contest", "ContestRole")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    staff = list(User.objects.filter(is_active=True, is_staff=True).values_list("pk", flat=True))
    ContestRole.objects.bulk_create(
        [
            ContestRole(contest_id=contest_id, user_id=user_id, role="organizer")
            for contest_id in Contest.objects.values_list("pk", flat=True)
            for user_id in staff
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('contest', '0012_guardian_mail_outbox'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditlog',
            name='action',
            field=models.CharField(choices=[('confirmed', 'guardian confirmed the entry'), ('approved', 'entry approved'), ('rejected', 'entry rejected'), ('flagged', 'entry flagged'), ('publication', 'publication answers changed'), ('withdrawn', 'entry withdrawn by the guardian'), ('exported', 'personal data exported'), ('purged', 'personal data purged'), ('deleted', 'entry deleted by an organizer'), ('awarded', 'award given'), ('role_granted', 'role granted'), ('role_revoked', 'role revoked')], max_length=12, verbose_name='action'),
        ),
        migrations.CreateModel(
            name='ContestRole',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('organizer', 'organizer'), ('moderator', 'moderator')], max_length=12, verbose_name='role')),
                ('granted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='granted at')),
                ('contest', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='contest.contest', verbose_name='contest')),
                ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='granted by')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contest_roles', to=settings.AUTH_USER_MODEL, verbose_name='person')),
            ],
            options={
                'verbose_name': 'role in a contest',
                'verbose_name_plural': 'roles in contests',
                'ordering': ['contest', 'role', 'granted_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('contest', 'user', 'role'), name='contest_role_unique'), models.CheckConstraint(condition=models.Q(('role__in', ['organizer', 'moderator'])), name='contest_role_known')],
            },
        ),
        migrations.RunPython(staff_organize_every_contest, migrations.RunPython.noop),
    ]

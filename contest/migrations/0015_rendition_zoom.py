from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("contest", "0014_awards"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rendition",
            name="kind",
            field=models.CharField(
                choices=[
                    ("card", "card (400 px wide)"),
                    ("card2x", "card for high-density screens (800 px wide)"),
                    ("display", "display (1200 px long side)"),
                    ("zoom", "zoom for judges (2048 px long side)"),
                ],
                max_length=10,
            ),
        ),
    ]

"""WorkImage.work becomes a ParentalKey, so that the admin edits a work's images inline.

A ParentalKey is a ForeignKey on the same column: only Django's state changes. Without
SeparateDatabaseAndState, SQLite would copy the whole image table to alter nothing.
"""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="workimage",
                    name="work",
                    field=modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="images",
                        to="catalogue.work",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_status_location")]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_status_location"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["status", "latitude", "longitude", "legal_due", "service_due"],
                name="case_status_location",
            ),
        ),
    ]

"""Response templates say what they are for; the resolve form offers only answers.

Left empty, the purpose follows the status as before: templates for resolved or closed cases
are answers (any outcome), every other one, an acknowledgement or a request among them, a
message. Staff mark the answers written for one outcome in the admin or the templates file.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_legal_bases_and_signatures")]

    operations = [
        migrations.AddField(
            model_name="responsetemplate",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("message", "a message or notice, not the answer"),
                    ("answer", "the answer, whatever its outcome"),
                    ("granted", "the answer: granted"),
                    ("partly_granted", "the answer: partly granted"),
                    ("refused", "the answer: refused"),
                ],
                blank=True,
                help_text=(
                    "An acknowledgement or a request for information is a message; only "
                    "answers are offered when a case is resolved, those for one outcome only "
                    "when it is chosen. Empty: an answer if its status is resolved or closed, a "
                    "message otherwise."
                ),
                max_length=16,
                verbose_name="for",
            ),
        ),
    ]

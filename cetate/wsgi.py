import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cetate.settings")
django_application = get_wsgi_application()

from cetate.ops.body_limits import bounded_bodies  # noqa: E402 (needs Django set up)

application = bounded_bodies(django_application)

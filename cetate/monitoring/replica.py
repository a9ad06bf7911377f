from django.conf import settings


def reporting_database() -> str:
    """The read replica for reports when one is configured (DATABASE_REPLICA_URL)."""
    return "reports" if "reports" in settings.DATABASES else "default"

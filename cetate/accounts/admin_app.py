from django.contrib.admin.apps import AdminConfig


class CetateAdminConfig(AdminConfig):
    """Django's admin app, serving the site of admin_site.py (password, then second factor)."""

    default_site = "cetate.accounts.admin_site.CetateAdminSite"

"""Every page of the administration renders for an administrator."""

import pytest
from django.contrib import admin
from django.urls import reverse

from cetate.cases import services

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def signed_in(client, city):
    case = city.report()
    services.add_note(case_id=case.pk, actor=city.dispatcher, text="notă")
    client.force_login(city.admin)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_list_add_and_change_pages(signed_in, model):
    opts = model._meta
    changelist = signed_in.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    model_admin = admin.site._registry[model]
    add = signed_in.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403)
    first = model._default_manager.first()
    if first is not None:
        change = signed_in.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
        )
        assert change.status_code == 200


def test_the_admin_speaks_romanian(signed_in):
    html = signed_in.get("/admin/").content.decode()
    assert 'lang="ro"' in html


def test_cases_cannot_be_edited_in_the_admin(signed_in, city):
    case = city.report()
    response = signed_in.post(
        reverse("admin:cases_case_change", args=[case.pk]), {"status": "closed"}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "new"

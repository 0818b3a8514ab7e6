"""An officer's save of an HTX profile keeps the unions and managers he may not see.

The form offers only the unions and manager accounts inside the officer's scope; a browser
posts only what it offers, so a relation outside that scope used to be dropped by any save
(found by the authorisation matrix: a Thái Nguyên officer of the 2025 tree saving an HTX of
old Bắc Kạn removed its manager, whose account is placed in the old tree).
"""

import pytest
from django.urls import reverse

from hoptac.registry.models import Cooperative
from hoptac.registry.tests.factories import CooperativeFactory, legacy_unit
from tests.authorisation_world import form_values

pytestmark = pytest.mark.django_db


def post_as_a_browser(client, cooperative, **changes):
    """GET the edit page, POST back what its form holds (with `changes`)."""
    path = reverse("registry:cooperative_edit", args=[cooperative.pk])
    page = client.get(path)
    assert page.status_code == 200
    data = form_values(page.content.decode(), page_path=path, action_path=path)
    data.update(changes)
    response = client.post(path, data)
    assert response.status_code == 302, response.context["form"].errors
    return Cooperative.objects.get(pk=cooperative.pk)


def test_an_officer_of_the_2025_tree_keeps_the_manager_of_the_old_tree(
    client, cooperative, htx_manager, current_officer
):
    """The manager's account lies in Xã Lương Bằng (old tree), outside what the Thái Nguyên
    officer's account pages reach; saving the HTX keeps him its manager."""
    client.force_login(current_officer)
    saved = post_as_a_browser(
        client, cooperative, place=cooperative.commune.pk, phone="0209 123 456"
    )
    assert saved.phone == "0209 123 456"
    assert list(saved.managers.all()) == [htx_manager]


def test_a_commune_officer_keeps_a_union_outside_his_commune(client, commune_officer):
    """The HTX of Lương Bằng is a member of a union of Nghĩa Tá: the commune officer of Lương
    Bằng does not see the union, and his save keeps the membership."""
    union = CooperativeFactory(
        name="Liên hiệp HTX Nghĩa Tá",
        kind="lien_hiep_hop_tac_xa",
        commune_legacy=legacy_unit("02071"),
    )
    member = CooperativeFactory(name="HTX Chè Lương Bằng", unions=[union])
    client.force_login(commune_officer)
    saved = post_as_a_browser(client, member, phone="0209 654 321")
    assert saved.phone == "0209 654 321"
    assert list(saved.unions.all()) == [union]


def test_what_the_officer_sees_he_may_still_remove(client, cooperative, htx_manager, admin):
    """Only what is hidden from the user is kept: the administrator sees the manager and may
    take him off."""
    client.force_login(admin)
    path = reverse("registry:cooperative_edit", args=[cooperative.pk])
    page = client.get(path)
    data = form_values(page.content.decode(), page_path=path, action_path=path)
    data.pop("managers")
    assert client.post(path, data).status_code == 302
    assert not Cooperative.objects.get(pk=cooperative.pk).managers.exists()

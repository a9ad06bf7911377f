from cetate.telephony.models import Call
from cetate.telephony.services import record_cti_event


def test_the_call_log_is_read_only_in_the_admin(client, city):
    call = record_cti_event(event="newCall", call_id="x1", from_number="0744123456")
    client.force_login(city.admin)

    assert "+40744123456" in client.get("/admin/telephony/call/?q=0744").content.decode()
    assert client.get(f"/admin/telephony/call/{call.pk}/change/").status_code == 200
    change = client.post(f"/admin/telephony/call/{call.pk}/change/", {"call_id": "changed"})
    assert change.status_code == 403
    assert client.get("/admin/telephony/call/add/").status_code == 403
    assert (
        client.post(f"/admin/telephony/call/{call.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Call.objects.get().call_id == "x1"

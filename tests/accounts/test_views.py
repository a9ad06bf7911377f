def test_every_staff_member_signs_in_on_the_staff_page(client, city):
    response = client.post("/login/", {"username": "inspector", "password": "parola-de-test-1"})
    assert response.status_code == 302
    assert response["Location"] == "/console/"
    html = client.get("/").content.decode()
    assert "inspector" in html
    assert "/register/" not in html  # an officer has no register


def test_wrong_password_is_explained(client, city):
    response = client.post("/login/", {"username": "inspector", "password": "nu"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_administrator_home_links_to_register_and_admin(client, city):
    client.force_login(city.admin)
    html = client.get("/").content.decode()
    assert "/register/" in html and "/admin/" in html


def test_home_lets_a_resident_look_up_a_case(client, city):
    case = city.report()
    response = client.get("/t/", {"code": f" {case.tracking_code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/t/{case.tracking_code}"


def test_password_guessing_is_rate_limited(client, city):
    statuses = [
        client.post("/login/", {"username": "inspector", "password": f"guess{i}"}).status_code
        for i in range(21)
    ]
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429

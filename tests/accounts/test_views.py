from cetate.accounts.signin import PASSWORD_FAILURE_WINDOW_SECONDS, PASSWORD_FAILURES


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
    # Guesses at many accounts from one address; one account's own limit is lower (below).
    statuses = [
        client.post("/login/", {"username": f"user{i}", "password": f"guess{i}"}).status_code
        for i in range(21)
    ]
    assert statuses[:20] == [200] * 20
    assert statuses[20] == 429


def test_the_admin_sign_in_is_limited_with_the_staff_sign_in(client, city):
    # The admin signs staff in on the staff page; guesses sent to either count together.
    credentials = {"username": "inspector", "password": "guess"}
    statuses = [client.post("/login/", credentials).status_code for _ in range(10)]
    statuses += [client.post("/admin/login/", credentials).status_code for _ in range(10)]
    assert statuses == [200] * 10 + [302] * 10
    refused = client.post("/admin/login/", credentials)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Prea multe accesări" in refused.content.decode()  # Romanian, the default
    assert client.post("/login/", credentials).status_code == 429
    # Another address is not held back.
    assert client.get("/admin/login/", REMOTE_ADDR="10.0.0.9").status_code == 302


def test_wrong_passwords_for_one_account_stop_its_sign_in_from_that_address(client, city):
    for i in range(PASSWORD_FAILURES):
        wrong = client.post("/login/", {"username": "inspector", "password": f"guess{i}"})
        assert wrong.status_code == 200
    right = {"username": "inspector", "password": "parola-de-test-1"}
    refused = client.post("/login/", right, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(PASSWORD_FAILURE_WINDOW_SECONDS)
    html = refused.content.decode()
    assert "Too many wrong passwords were given for this user from here" in html
    assert 'value="inspector"' in html
    assert "_auth_user_id" not in client.session
    # The same person elsewhere, and a colleague at the same desk, still sign in.
    assert client.post("/login/", right, REMOTE_ADDR="10.0.0.9").status_code == 302
    client.logout()
    colleague = {"username": "dispecer", "password": "parola-de-test-1"}
    assert client.post("/login/", colleague).status_code == 302

def test_health(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}


def test_login_page(client):
    assert client.get("/auth/login").status_code == 200

"""Bootstrap's tags are written once per app and application root, and stay Bootstrap-Flask's."""

from portal.core.extensions import bootstrap


def test_every_page_links_bootstrap_as_bootstrap_flask_writes_it(app, client):
    page = client.get("/auth/login").get_data(as_text=True)
    with app.test_request_context("/auth/login"):
        css, js = str(bootstrap.load_css()), str(bootstrap.load_js())
    assert css in page and js in page


def test_an_application_mounted_under_a_path_links_its_own_assets(app, client):
    client.get("/auth/login")  # the root's tags are written first
    mounted = "http://localhost/portal"
    page = client.get("/auth/login", base_url=mounted).get_data(as_text=True)
    with app.test_request_context("/auth/login", base_url=mounted):
        css = str(bootstrap.load_css())
    assert 'href="/portal/bootstrap/' in css and css in page

from portal.documents.models import Document
from tests.conftest import post
from tests.documents.conftest import upload_form


def test_upload_and_view(world, login_as, session):
    browser = login_as(world.member_cl)
    response = post(
        browser,
        f"/working-groups/{world.group.id}/documents/new",
        upload_form(),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    doc = session.query(Document).one()
    page = browser.get(f"/documents/{doc.id}")
    assert page.status_code == 200, page.get_data(as_text=True)
    dl = browser.get(f"/documents/{doc.id}/versions/1/download")
    assert dl.status_code == 200
    print(dl.headers)
    assert dl.data == b"Estrategia nacional de ciberseguridad"
    dl.close()
    r = browser.get("/documents/search?q=ESTRATEGIAS")
    assert r.status_code == 200, r.status_code
    assert "estrategia" in r.get_data(as_text=True).lower()
    print(r.get_data(as_text=True)[-1500:])
    lib = browser.get(f"/working-groups/{world.group.id}/documents")
    assert lib.status_code == 200, lib.get_data(as_text=True)
    lib = browser.get(f"/mous/{world.mou.id}/documents")
    assert lib.status_code == 200
    e = browser.get(f"/documents/{doc.id}/edit")
    assert e.status_code == 200, e.get_data(as_text=True)

"""The bulletin list offers to publish (and to import a STIX bundle) under each MoU the reader
reads, to a CSIRT member who writes, and to nobody else."""

import pytest

LIST = "/csirt/bulletins"


def _offers(page: str, mou) -> bool:
    new, stix = f"/mous/{mou.id}/csirt/bulletins/new", f"/mous/{mou.id}/csirt/bulletins/import"
    return f'href="{new}"' in page and f'href="{stix}"' in page


def test_a_csirt_member_is_offered_every_mou_of_their_party(csirts, login_as):
    page = login_as(csirts.member_cl).get(LIST).text
    assert _offers(page, csirts.mou) and _offers(page, csirts.mou_cl_co)
    page = login_as(csirts.member_gb).get(LIST).text
    assert _offers(page, csirts.mou) and not _offers(page, csirts.mou_cl_co)


@pytest.mark.parametrize("reader", ["coordinator_cl", "admin", "observer_gb"])
def test_anyone_outside_a_csirt_is_offered_nothing(csirts, login_as, reader):
    response = login_as(getattr(csirts, reader)).get(LIST)
    assert response.status_code == 200
    assert "/csirt/bulletins/new" not in response.text

"""Indicators by type: good values pass in their canonical form, bad ones are refused with a
sentence (Unicode look-alikes and oversized input included)."""

import pytest

from portal.csirt.indicators import (
    InvalidIndicator,
    clean_indicator,
    parse_indicator_lines,
)
from portal.csirt.models import IndicatorType as T

GOOD = [
    (T.CVE, "CVE-2024-3094", "CVE-2024-3094"),
    (T.CVE, "cve-2021-44228", "CVE-2021-44228"),
    (T.DOMAIN, "Malicious.Example.", "malicious.example"),
    (T.DOMAIN, "xn--bcher-kva.example", "xn--bcher-kva.example"),
    (T.URL, "https://malicious.example/path?q=1", "https://malicious.example/path?q=1"),
    (T.URL, "http://192.0.2.1:8080/x", "http://192.0.2.1:8080/x"),
    (T.IPV4, "192.0.2.10", "192.0.2.10"),
    (T.IPV4, "198.51.100.0/24", "198.51.100.0/24"),
    (T.IPV6, "2001:DB8::10", "2001:db8::10"),
    (T.IPV6, "2001:db8::/32", "2001:db8::/32"),
    (T.EMAIL, "Phishing@Malicious.example", "Phishing@malicious.example"),
    (T.MD5, "098F6BCD4621D373CADE4E832627B4F6", "098f6bcd4621d373cade4e832627b4f6"),
    (T.SHA1, "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"),  # noqa: E501
    (T.SHA256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
     "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
]  # fmt: skip

BAD = [
    (T.CVE, "CVE-24-1"),
    (T.CVE, "CVE-２０２４-3094"),  # full-width digits
    (T.CVE, "CVE-2024-" + "1" * 200),  # oversized
    (T.DOMAIN, "bücher.example"),  # Unicode: the xn-- form is asked for
    (T.DOMAIN, "-bad-.example"),
    (T.DOMAIN, "no_tld"),
    (T.DOMAIN, "a." * 200 + "example"),  # oversized
    (T.URL, "javascript:alert(1)"),
    (T.URL, "https://"),
    (T.URL, "https://exa mple.com/"),
    (T.URL, "https://malicious.example/ü"),  # Unicode
    (T.URL, "https://malicious.example/" + "a" * 3000),  # oversized
    (T.IPV4, "256.1.1.1"),
    (T.IPV4, "192.0.2.1/33"),
    (T.IPV4, "192.0.2.1/24"),  # host bits set
    (T.IPV4, "2001:db8::1"),  # an IPv6 address given as IPv4
    (T.IPV4, "１９２.０.２.１"),  # full-width digits
    (T.IPV6, "2001:db8::g"),
    (T.IPV6, "192.0.2.1"),
    (T.EMAIL, "no-at-sign.example"),
    (T.EMAIL, "usuario@dominio"),
    (T.EMAIL, "josé@malicious.example"),  # Unicode
    (T.MD5, "098f6bcd4621d373cade4e832627b4f"),  # 31
    (T.MD5, "zz8f6bcd4621d373cade4e832627b4f6"),
    (T.SHA1, "a94a8fe5ccb19ba61c4c0873d391e987982fbbd"),
    (T.SHA256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0"),
    (T.SHA256, "٩f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),  # Arabic digit
    (T.SHA256, "a" * 10_000),  # oversized
    (T.DOMAIN, "malicious\u202e.example"),  # a direction override
    (T.DOMAIN, ""),
]


@pytest.mark.parametrize(("kind", "raw", "clean"), GOOD, ids=lambda v: str(v)[:20])
def test_good_values_pass_in_canonical_form(kind, raw, clean, words_context):
    assert clean_indicator(kind, raw) == clean


@pytest.mark.parametrize(("kind", "raw"), BAD, ids=lambda v: str(v)[:20])
def test_bad_values_are_refused_with_a_sentence(kind, raw, words_context):
    with pytest.raises(InvalidIndicator) as refused:
        clean_indicator(kind, raw)
    assert len(str(refused.value.message)) > 10


def test_form_lines_name_the_line_that_is_wrong(words_context):
    text = "ipv4 192.0.2.10\n\ndomain malicious.example\nsha256 nothex"
    with pytest.raises(InvalidIndicator) as refused:
        parse_indicator_lines(text)
    assert "Line 4" in str(refused.value.message)
    with pytest.raises(InvalidIndicator) as refused:
        parse_indicator_lines("mac 00:11:22:33:44:55")
    assert "Line 1" in str(refused.value.message)
    assert parse_indicator_lines("ipv4 192.0.2.10\nIPV4 192.0.2.10\ncve cve-2024-3094") == [
        (T.IPV4, "192.0.2.10"),
        (T.CVE, "CVE-2024-3094"),
    ]

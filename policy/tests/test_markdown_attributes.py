"""An author of the protocol can set an anchor and a class, nothing else that runs or restyles the
public page: no `onclick`, no `style`, no other attribute (the text is read by everyone)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from policy.articles import render_markdown
from policy.tests.factories import ProtocolVersionFactory

pytestmark = pytest.mark.django_db

HOSTILE_TEXT = """## Uitgangspunten {#uitgangspunten}

1. Een alinea met een attributenlijst.
{: onclick="x" style="y" #eigen-anker .protocol-footnote data-x="1" hidden }
2. Een [link](/protocol/){onclick="x" style="y" .lead} en een [andere](https://skow.nl/ "Titel"){: onmouseover="x" }.
3. <span onclick="x" style="y">ruwe HTML</span> en ![plaatje](/x.png){onerror="x"}
"""


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ('Tekst\n{: onclick="x" style="y"}', "<p>Tekst</p>"),
        ('Tekst\n{onclick="x" style="y"}', "<p>Tekst</p>"),
        ("Tekst\n{: #voetnoot-1 .protocol-footnote }", '<p class="protocol-footnote" id="voetnoot-1">Tekst</p>'),
        ('[a](/x){onclick="x" style="y" .c}', '<p><a class="c" href="/x">a</a></p>'),
        ('#### Kop {onclick="x" #kop}', '<h4 id="kop">Kop</h4>'),
        ('[a](/x "titel")', '<p><a href="/x" title="titel">a</a></p>'),  # Markdown's own attributes stay
        ("3. drie\n4. vier", '<ol start="3">\n<li>drie</li>\n<li>vier</li>\n</ol>'),
        ('<b onclick="x">hoi</b>', '<p>&lt;b onclick="x"&gt;hoi&lt;/b&gt;</p>'),
    ],
)
def test_markdown_keeps_only_anchors_and_classes_from_the_author(text, html):
    assert render_markdown(text) == html


class _Attributes(HTMLParser):
    """Every attribute name of every element of a page."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.names.update(name for name, _value in attrs)


def test_the_public_page_carries_no_attribute_an_author_smuggled_in(client):
    version = ProtocolVersionFactory(adopted=True, body=HOSTILE_TEXT)
    page = client.get(f"/protocol/{version.number}/").content.decode()
    parser = _Attributes()
    parser.feed(page)
    assert not parser.names & {"onclick", "onmouseover", "onerror", "style", "data-x", "hidden"}
    assert 'id="eigen-anker"' in page and 'class="lead" href="/protocol/"' in page
    assert "&lt;span onclick=" in page  # raw HTML is shown as typed, not run

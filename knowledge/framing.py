"""Is a question asked from the platform a local rule governs? Its actors' and setting's words.

A question that names only a national law may still be set on the local platform:
"服务商退出时我们的数据怎么处置？数据安全法对受托方留存政务数据怎么说", "tenants encrypt their data on the
gov cloud — is commercial crypto ok under the crypto law?". The local rule answers it too, and
as the more specific rule it leads (knowledge/answer.py).

The setting's words are read off the documents, not listed by hand: statutory terms (the
thesaurus' right-hand side, and the abbreviations a local rule defines: 以下简称政务云平台) that
appear in at least SETTING_SHARE of the local rule's articles and in no national law. Those are
its actors and its setting (政务云平台 in 81 % of the articles, 政务云服务商 68 %, 云租户 51 %,
大数据主管部门 32 %), not its topics (报备 11 %, 值守 8 %, which a national-law question may
share by chance). Their shared beginning (政务云, the platform's everyday name) counts too, as
does the place the rule's title opens with (重庆).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from knowledge.thesaurus import Expansion, entries
from knowledge.types import Document, is_local, local_place

SETTING_SHARE = 0.25
_DEFINED = re.compile(r"以下简称“?([\u4e00-\u9fff]{2,12})")


class Framing:
    """The local documents whose setting a question uses."""

    def __init__(self, documents: Iterable[Document]) -> None:
        documents = list(documents)
        national = "\n".join(d.text for d in documents if not is_local(d.title))
        statutory = {t for e in entries() for t in e.zh}
        self._setting: dict[str, tuple[str, ...]] = {}
        for document in documents:
            if not is_local(document.title) or not document.articles:
                continue
            terms = statutory | set(_DEFINED.findall(document.text))
            articles = [a.text for a in document.articles]
            setting = {
                t
                for t in terms
                if t not in national
                and sum(t in text for text in articles) >= SETTING_SHARE * len(articles)
            }
            setting |= _stems(setting) | {local_place(document.title)}
            self._setting[document.doc_id] = tuple(sorted(setting - {""}))

    def local_documents(self, text: str, expansion: Expansion) -> frozenset[str]:
        """Local documents one of whose setting words the question (or its statutory
        expansion) uses."""
        said = [text, *expansion.zh]
        return frozenset(
            doc_id
            for doc_id, setting in self._setting.items()
            if any(term in phrase for term in setting for phrase in said)
        )

    def setting(self, doc_id: str) -> tuple[str, ...]:
        return self._setting.get(doc_id, ())


def _stems(terms: set[str]) -> set[str]:
    """The shared beginnings (three characters or more) of setting terms: 政务云平台 and
    政务云服务商 give 政务云, the platform's everyday name, which no single term is."""
    stems = set()
    for a, b in itertools.combinations(sorted(terms), 2):
        pairs = zip(a, b, strict=False)  # up to the shorter one's end
        common = "".join(x for x, _ in itertools.takewhile(lambda p: p[0] == p[1], pairs))
        if len(common) >= 3:
            stems.add(common)
    return stems

"""The answer text: the lead that answers the question, then each quote with its citation."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.cues import asks_for_fine
from knowledge.facts import asks_about_persons, asks_for_maximum, asks_for_quantity, key_clause
from knowledge.facts_en import english_fact
from knowledge.lexical import en_tokens, zh_bigrams, zh_query_bigrams
from knowledge.normalize import normalize_question
from knowledge.thesaurus import Expansion, expand
from knowledge.types import Citation, Lang, short_title
from knowledge.verdict import verdict, verdict_words

MAX_TITLES = 8  # the decline message lists at most this many indexed documents


def compose(lang: Lang, question: str, citations: Sequence[Citation]) -> str:
    """The lead (the first paragraph), then every citation with its verbatim quote."""
    lines = [lead(lang, question, citations[0])]
    for i, c in enumerate(citations):
        if lang == "zh":
            lines += [
                "",
                f"{'依据' if i == 0 else '另见'}《{c.doc_title}》{c.label}：",
                f"> {c.quote}",
            ]
            continue
        title = c.doc_title_en or short_title(c.doc_title)
        label = ("Paragraph " if c.label_en.startswith("Para") else "Article ") + str(c.article)
        intro = "" if i == 0 else "See also "
        if c.translation:
            lines += ["", f"{intro}{label}, {title} (unofficial English translation):"]
            lines.append(_quoted(c.translation))
        else:
            lines += ["", f"{intro}{label}, {title} (no English rendering; the Chinese original):"]
        lines.append(_quoted(f"原文 ({c.label}): {c.quote}"))
    return "\n".join(lines)


def lead(lang: Lang, question: str, first: Citation) -> str:
    """The sentence that answers: the clause with the fact asked for, else the quote itself,
    opened by a yes or a no where the question asks one and the quote settles it."""
    text = normalize_question(question)
    expansion = expand(text)
    wants_fact = asks_for_quantity(text, lang)
    answer = _lead(lang, text, expansion, wants_fact, first)
    if wants_fact:  # the fact is the answer: "2个小时内", not a yes
        return answer
    found = verdict(text, lang, first.quote, first.translation, expansion)
    opening = verdict_words(found, lang)
    return f"{opening}{' ' if lang == 'en' else ''}{answer}" if opening else answer


def _lead(lang: Lang, text: str, expansion: Expansion, wants_fact: bool, first: Citation) -> str:
    persons, maximum = asks_about_persons(text), asks_for_maximum(text)
    fine = asks_for_fine(text, lang)
    zh_subject = set(zh_query_bigrams(text)) | {b for t in expansion.zh for b in zh_bigrams(t)}
    if lang == "zh":
        clause = (
            key_clause(
                first.quote,
                "zh",
                zh_subject,
                zh_bigrams,
                persons=persons,
                maximum=maximum,
                fine=fine,
            )
            if wants_fact
            else ""
        )
        return _end_zh(clause or _flat(first.quote, ""))
    title = first.doc_title_en or short_title(first.doc_title)
    source = f"{title}, {first.label_en or f'Art. {first.article}'}"
    if first.translation:
        en_subject = set(en_tokens(text + " " + " ".join(expansion.en)))
        clause = (
            key_clause(
                first.translation,
                "en",
                en_subject,
                en_tokens,
                persons=persons,
                maximum=maximum,
                fine=fine,
            )
            if wants_fact
            else ""
        )
        return f"{_capitalize(clause)} — {source}." if clause else _flat(first.translation, " ")
    # No English rendering: state the quantity in English, the original follows, labelled.
    clause = (
        key_clause(
            first.quote, "zh", zh_subject, zh_bigrams, persons=persons, maximum=maximum, fine=fine
        )
        or first.quote
    )
    fact = english_fact(clause)
    if fact:
        return f"{fact} — {source} (quoted in the original Chinese below)."
    return f"{source} answers this; it has no English rendering, so the Chinese original is quoted below."


def decline_text(lang: Lang, titles: Sequence[tuple[str, str]]) -> str:
    """Says plainly that nothing indexed covers the question, and what is indexed.

    `titles` holds (Chinese title, English title or "") per indexed document.
    """
    names = [short_title(zh) if lang == "zh" or not en else _short_english(en) for zh, en in titles]
    shown = names[:MAX_TITLES]
    if lang == "zh":
        listed = "".join(f"《{n}》" for n in shown)
        more = f"等{len(names)}部文件" if len(names) > len(shown) else ""
        return (
            f"已收录的文件均未涉及这个问题，没有找到相关规定（已收录：{listed}{more}）。"
            "请换个说法，或咨询安全管理团队。"
        )
    listed = "; ".join(shown) + (
        f"; and {len(names) - len(shown)} more" if len(names) > len(shown) else ""
    )
    return (
        f"None of the indexed documents covers this (indexed: {listed}). "
        "Try rephrasing, or ask the security team."
    )


def _short_english(title: str) -> str:
    return title.removesuffix(" of the People's Republic of China")


def unsupported_text() -> str:
    return (
        "我只能用中文或英文回答问题，请用中文或英文提问。\n"
        "I answer in Chinese and English only; please ask in Chinese or English."
    )


def _quoted(text: str) -> str:
    """A block quote, every line of it (a list's items sit on lines of their own)."""
    return "\n".join(f"> {line.strip()}" for line in text.splitlines() if line.strip())


def _flat(text: str, joiner: str) -> str:
    """One paragraph: the lead must stay the answer's first paragraph."""
    return joiner.join(line.strip() for line in text.splitlines() if line.strip())


def _end_zh(text: str) -> str:
    """A lead ends with one full stop: no "；。" or "：。"."""
    return text.rstrip("。；，、：;,: ") + "。"


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:].rstrip(".;, ")

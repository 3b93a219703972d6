"""Which language a question is in: Chinese, English, or another one we do not answer in."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal

from knowledge.types import Lang

Detected = Literal["zh", "en", "other"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
# Scripts that are neither Chinese nor Latin: kana (Japanese), hangul, Cyrillic, Greek, Arabic,
# Hebrew, Devanagari, Thai. Kana decides even beside kanji: Japanese mixes both.
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_OTHER_SCRIPT = re.compile(
    r"[\uac00-\ud7af\u1100-\u11ff\u0400-\u04ff\u0370-\u03ff\u0600-\u06ff\u0590-\u05ff"
    r"\u0900-\u097f\u0e00-\u0e7f]"
)
# Latin-script languages staff might write in by mistake. py3langid ranks only these, so that
# chat English full of acronyms ("MLPS fine CSL?") is never mistaken for something exotic.
_LATIN_LANGUAGES = "en fr de es it pt nl vi id ms tr pl sv da no fi cs ro hu tl sw".split()
_OTHER_CONFIDENCE = 0.7  # a non-English Latin language must be this likely, English unlikely
_MIN_WORDS = 3  # "VPN", "hi": too short to call anything but English


def detect(text: str) -> Detected:
    """zh when CJK outweighs Latin letters (one character ~ one word ~ 4 letters), en, or other."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if _KANA.search(text) or len(_OTHER_SCRIPT.findall(text)) > max(cjk, latin / 4):
        return "other"
    if cjk and cjk * 4 >= latin:
        return "zh"
    if latin and len(text.split()) >= _MIN_WORDS and _is_other_latin(text):
        return "other"
    return "en"


def detect_language(text: str) -> Lang:
    """The reply language: Chinese or English (another language gets an English reply)."""
    found = detect(text)
    return "zh" if found == "zh" else "en"


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(_LATIN_LANGUAGES))
    return identifier


def _is_other_latin(text: str) -> bool:
    ranked = dict(_identifier().rank(text))
    best, probability = max(ranked.items(), key=lambda item: item[1])
    return best != "en" and probability >= _OTHER_CONFIDENCE and ranked.get("en", 0.0) < 0.1

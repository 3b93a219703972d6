"""Chinese numerals as used in legal headings (第三十七条, 第二章) to integers and back."""

from __future__ import annotations

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"亿": 100_000_000, "万": 10_000}  # checked largest first


def chinese_to_int(text: str) -> int:
    """Parse 一 … 九千九百九十九 (and Arabic digits); raises ValueError for anything else."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _DIGITS and ch not in _UNITS and ch not in _LARGE for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    # 五千万 = 5000 × 10000: a large unit multiplies everything before it.
    for large, value in _LARGE.items():
        if large in text:
            head, _, tail = text.partition(large)
            return chinese_to_int(head or "一") * value + (chinese_to_int(tail) if tail else 0)
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            continue
        # 十 alone at the start means 1×10 (十二 = 12); elsewhere a unit multiplies its digit.
        total += (1 if digit is None else digit) * _UNITS[ch]
        digit = None
    return total + (digit or 0)


def int_to_chinese(number: int) -> str:
    """Render 1 … 99 the way headings write them (十, 十二, 二十, 三十七)."""
    if not 0 < number < 100:
        raise ValueError(f"only 1..99 are rendered, got {number}")
    tens, ones = divmod(number, 10)
    names = "零一二三四五六七八九"
    head = "" if tens == 0 else ("十" if tens == 1 else names[tens] + "十")
    return head + (names[ones] if ones else "")

"""Read a document file into plain text: .txt, .md, .docx (python-docx) and text-layer .pdf."""

from __future__ import annotations

from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
TRANSLATION_SUFFIX = ".en.md"


class LoadError(ValueError):
    """A file that cannot be read as a regulation; the message names the file."""


def read_text(path: Path) -> str:
    """The document's text exactly as offsets will index it."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".txt", ".md"):
            return path.read_bytes().decode("utf-8-sig")
        if suffix == ".docx":
            return _docx_text(path)
        if suffix == ".pdf":
            return _pdf_text(path)
    except UnicodeDecodeError as exc:
        raise LoadError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except LoadError:
        raise
    except Exception as exc:  # a corrupt container surfaces as many library-specific errors
        raise LoadError(
            f"{path}: cannot be read as {suffix} ({exc.__class__.__name__}: {exc})"
        ) from exc
    raise LoadError(
        f"{path}: unsupported file type {suffix!r}; use one of {', '.join(SUPPORTED_SUFFIXES)}"
    )


def document_id(path: Path) -> str:
    """The id a file is known by: its name without the language and format suffixes."""
    name = path.name
    for suffix in (TRANSLATION_SUFFIX, *SUPPORTED_SUFFIXES):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name.removesuffix(".zh")


def is_translation(path: Path) -> bool:
    return path.name.lower().endswith(TRANSLATION_SUFFIX)


def _docx_text(path: Path) -> str:
    import docx  # python-docx, imported lazily: most runs never see a .docx

    return "\n".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    if not text.strip():
        raise LoadError(f"{path}: the PDF has no text layer (scanned?); OCR it first")
    return text

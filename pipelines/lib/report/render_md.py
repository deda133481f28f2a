"""The report as Markdown (GitHub-flavoured tables). Images are files in `report_files/` next to the
.md, referenced by relative path (data: URIs are not shown by most Markdown viewers)."""
from __future__ import annotations

from pipelines.lib.report import text as fmt
from pipelines.lib.report.model import U, as_sentence

FILES_DIR = "report_files"


def _inline(value) -> str:
    if hasattr(value, "markdown"):
        return value.markdown()
    return fmt.md(value) if isinstance(value, U) else fmt.md_trusted(str(value))


def _table(block) -> list[str]:
    lines = ["| " + " | ".join(fmt.md_trusted(h) for h in block.headers) + " |",
             "|" + "|".join("---:" if k in block.numeric else "---" for k in range(len(block.headers))) + "|"]
    for row in block.rows:
        lines.append("| " + " | ".join(_inline(c) or " " for c in row) + " |")
    out = lines + [""]
    if block.note is not None:
        out += [f"*{block.note.markdown()}*", ""]
    return out


def render(doc) -> str:
    out = [f"# {fmt.md_trusted(doc.title)}", "", doc.subtitle.markdown(), ""]
    if doc.notice is not None:
        out += [f"> **{doc.notice.markdown()}**", ""]
    for n, section in enumerate(doc.sections, start=1):
        out += [f"## {n}. {fmt.md_trusted(section.title)}", ""]
        for block in section.blocks:
            kind = block.kind
            if kind == "paragraph":
                body = block.text.markdown()
                if block.style == "lead":
                    body = f"**{body}**"
                elif block.style == "note":
                    body = f"*{body}*"
                elif block.style == "warning":
                    body = f"> **{body}**"
                out += [body, ""]
            elif kind == "bullets":
                out += [f"- {item.markdown()}" for item in block.items] + [""]
            elif kind == "table":
                out += _table(block)
            elif kind == "figure":
                out += [f"![{block.alt.markdown()}]({FILES_DIR}/{block.name}.png)", "",
                        f"*{block.caption.markdown()}*", ""]
            elif kind == "claim":
                out += [f"### {block.title.markdown()}", ""]
                out += [f"- **{_inline(label)}**: {_inline(value)}" for label, value in block.fields]
                out.append("")
                if block.figure is not None:
                    out += [f"![{block.figure.alt.markdown()}]({FILES_DIR}/{block.figure.name}.png)", ""]
                out += [f"*{as_sentence(block.image_note).markdown()}*", ""]
    return "\n".join(out).rstrip() + "\n"

"""A `Result` → a self-contained HTML report an editor can open and mail.

The summary, the clusters largest first (each with its original and copies: title, site, date
and where it came from, kind, score, URL), every copy side by side with its original (or with
the member it copies, `via`) with the shared words highlighted, a legend of the kinds and
scores, a filter by kind and a search box.

Everything in it that comes from a scraped page (text, title, URL, site, ids) goes through `_e`
(html.escape with quotes); links are made only of http(s) URLs; and a Content-Security-Policy
allows no script but the report's own (by hash), no network, and no external assets, so even a
mistake in escaping could not run or fetch anything. A ``generator`` meta tag marks the file as
dupdetect's, so a later run over the same folder does not read it back as an article.
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import IO

from . import __version__
from .features import WORD
from .records import Result
from .report import clustered_documents, legend, summary

GENERATOR = "dupdetect"  # the meta generator content: what `ingest` recognizes as our own

_SCRIPT = """
const kind = document.getElementById("kind"), query = document.getElementById("q");
function applyFilter() {
  const k = kind.value, q = query.value.trim().toLowerCase();
  let shown = 0;
  for (const c of document.querySelectorAll("section.cluster")) {
    const okKind = !k || c.dataset.kinds.split(" ").includes(k);
    const okText = !q || c.textContent.toLowerCase().includes(q);
    c.hidden = !(okKind && okText);
    if (!c.hidden) shown++;
  }
  document.getElementById("shown").textContent = shown;
}
kind.addEventListener("change", applyFilter);
query.addEventListener("input", applyFilter);
applyFilter();
document.body.dataset.ready = "1";
""".strip()

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f4}
header{background:#1f2a44;color:#fff;padding:16px 24px}
header h1{margin:0 0 4px;font-size:22px}
.controls{padding:10px 24px;background:#e9ebf0;position:sticky;top:0;display:flex;gap:12px}
.controls input{flex:1;max-width:420px;padding:6px 8px}
.controls select{padding:5px}
main{padding:8px 24px 40px;max-width:1400px}
section.cluster{background:#fff;border:1px solid #d8dbe2;border-radius:8px;margin:14px 0}
section.cluster{padding:12px 16px}
section.cluster h2{font-size:17px;margin:0 0 8px}
table{border-collapse:collapse;width:100%;font-size:13px}
td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
td.url{word-break:break-all;max-width:360px}
.role-original td{font-weight:600}
.kind{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;background:#e5e7eb}
.kind-exact{background:#fde2e1}
.kind-near-verbatim{background:#fde9cf}
.kind-partial{background:#fff4bf}
.kind-rewrite{background:#dcecff}
details{margin:8px 0}
summary{cursor:pointer;font-weight:600}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:10px;margin:6px 0}
.pair div{background:#fafafa;border:1px solid #eee;border-radius:4px;padding:6px 8px;font-size:13px}
.heads{font-size:12px;color:#555}
mark{background:#ffe58a;padding:0 1px}
.note{color:#555;font-size:13px}
""".strip()


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(url: str | None) -> str:
    if not url:
        return ""
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(url)}</a>'
    return _e(url)  # anything else (javascript:, data:, file:) is shown, never linked


def _highlight(text: str, shared: frozenset[str]) -> str:
    out, last = [], 0
    for m in WORD.finditer(text):
        out.append(_e(text[last : m.start()]))
        word = m.group()
        out.append(f"<mark>{_e(word)}</mark>" if word.casefold() in shared else _e(word))
        last = m.end()
    out.append(_e(text[last:]))
    # Marks of adjacent tokens are one mark (Chinese and Japanese characters have no space).
    return "".join(out).replace("</mark><mark>", "")


def write_html(result: Result, out: IO[str], title: str = "dupdetect report") -> None:
    """Write a self-contained HTML report: summary, clusters largest first, evidence, filters.

    `result.evidence` (from ``cluster(..., with_evidence=True)``) supplies the side-by-side
    passages; without it the report lists the clusters only.
    """
    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{script_hash}'; form-action 'none'; base-uri 'none'"
    )
    docs = clustered_documents(result)
    kinds = sorted({m.kind for c in result.clusters for m in c.members if m.kind})
    w = out.write
    w('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n')
    w(f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n')
    w('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    w(f'<meta name="generator" content="{GENERATOR} {_e(__version__)}">\n')
    w(f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head><body>\n")
    w(f"<header><h1>{_e(title)}</h1><div>{_e(summary(result))}</div></header>\n")
    w('<div class="controls"><label>Kind <select id="kind"><option value="">all</option>')
    for k in kinds:
        w(f'<option value="{_e(k)}">{_e(k)}</option>')
    w('</select></label><input id="q" type="search" placeholder="Search titles, sites, ids, text">')
    w(f'<span class="note"><span id="shown">{len(result.clusters)}</span> clusters shown</span>')
    w("</div>\n<main>\n")
    if not result.clusters:
        w('<p class="note">No copies found.</p>\n')
    for n, c in enumerate(result.clusters, 1):
        original = docs[c.original]
        member_kinds = " ".join(sorted({m.kind for m in c.members if m.kind}))
        head = original.title or c.original
        w(f'<section class="cluster" data-kinds="{_e(member_kinds)}">\n')
        w(f'<h2>{n}. {_e(head)} <span class="note">({len(c.members)} documents)</span></h2>\n')
        w(f'<p class="note">Original: {_e(c.original)} — {_e(c.members[0].reason)}</p>\n')
        w(
            "<table><tr><th>role</th><th>id</th><th>title</th><th>site</th><th>date</th><th>kind</th>"
        )
        w("<th>score</th><th>URL</th></tr>\n")
        for m in c.members:
            d = docs[m.id]
            kind = f'<span class="kind kind-{_e(m.kind)}">{_e(m.kind)}</span>' if m.kind else ""
            score = f"{m.score:.2f}" if m.score is not None else ""
            w(f'<tr class="role-{_e(m.role)}"><td>{_e(m.role)}</td><td>{_e(m.id)}</td>')
            w(f"<td>{_e(d.title)}</td>")
            dated = _e(d.date) + (
                f' <span class="note">({_e(d.date_source)})</span>' if d.date else ""
            )
            via = f' <span class="note">via {_e(m.via)}</span>' if m.via else ""
            w(f"<td>{_e(d.site)}</td><td>{dated}</td><td>{kind}{via}</td><td>{score}</td>")
            w(f'<td class="url">{_link(d.url)}</td></tr>\n')
        w("</table>\n")
        for m in c.members:
            passages = result.evidence.get(m.id)
            if m.role != "copy" or passages is None:
                continue
            opened = " open" if n == 1 else ""  # the largest cluster's evidence shows at once
            against = f"{_e(m.via)} (via)" if m.via else "the original"
            w(f"<details{opened}><summary>{_e(m.id)} against {against}: {_e(m.kind)}, ")
            w(f"{len(passages)} corresponding passage(s)</summary>\n")
            source = f"via: {_e(m.via)}" if m.via else f"original: {_e(c.original)}"
            w(f'<div class="pair heads"><div>{source}</div>')
            w(f"<div>copy: {_e(m.id)}</div></div>\n")
            for p in passages:
                w(f'<div class="pair"><div>{_highlight(p.a, p.shared)}</div>')
                w(f"<div>{_highlight(p.b, p.shared)}</div></div>\n")
            if not passages:
                w('<p class="note">No passage corresponds closely enough to show.</p>\n')
            w("</details>\n")
        w("</section>\n")
    lines = "".join(f"<li>{_e(line.strip())}</li>" for line in legend(result.thresholds)[1:])
    w(f'<footer><h2>Kinds and scores</h2><ul class="note">{lines}</ul></footer>\n')
    w(f"</main>\n<script>{_SCRIPT}</script>\n</body></html>\n")

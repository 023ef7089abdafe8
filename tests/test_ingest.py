import json

import pytest

from pipeline.errors import InputNotFound, UnsupportedFormat
from pipeline.ingest import (
    article_from_text,
    decode_bytes,
    expand_paths,
    iter_articles,
    parse_html,
    parse_markdown,
    sniff_format,
)


def test_markdown_links_keep_offsets_and_headings_are_blocks():
    md = "# Sleep Aids\n\nValerian [may help](https://example.org/v) some people.\n- item one\n"
    text, links, blocks = parse_markdown(md)
    assert "[" not in text and "](" not in text
    assert [text[ln.start:ln.end] for ln in links] == ["may help"]
    assert links[0].url == "https://example.org/v"
    kinds = {text[b.start:b.end]: b.kind for b in blocks}
    assert kinds["Sleep Aids"] == "heading"
    assert kinds["- item one"] == "list_item"


def test_markdown_reference_links_resolve():
    md = "See [the trial][1] for details.\n\n[1]: https://doi.org/10.1000/x\n"
    text, links, _ = parse_markdown(md)
    assert text.strip() == "See the trial for details."
    assert links[0].url == "https://doi.org/10.1000/x"


def test_html_drops_scripts_styles_and_keeps_links_and_headings():
    html = ("<html><head><title>T</title><style>p{color:red}</style></head><body><h1>CBD Oil</h1>"
            "<p>CBD <a href='https://x.org/a'>may ease</a> anxiety.</p><script>var dose='Take 50 mg';</script>"
            "<ul><li>First item</li></ul></body></html>")
    text, links, blocks, title = parse_html(html)
    assert "Take 50 mg" not in text and "color" not in text
    assert title == "T"
    assert [text[ln.start:ln.end] for ln in links] == ["may ease"]
    assert ("CBD Oil", "heading") in [(text[b.start:b.end], b.kind) for b in blocks]
    assert "First item" in [text[b.start:b.end] for b in blocks if b.kind == "list_item"]


def test_html_javascript_links_are_not_citations():
    text, links, _, _ = parse_html("<p>Click <a href='javascript:alert(1)'>here</a> now.</p>")
    assert links == []
    assert "here" in text


def test_decode_utf16_bom_and_latin1():
    text, notes = decode_bytes("Kava may help.".encode("utf-16"))
    assert text == "Kava may help."
    assert notes["encoding"] == "utf-16"
    text, notes = decode_bytes("Café au lait — naïve".encode("cp1252"))
    assert "Caf" in text and "decode_note" in notes


def test_sniff_format():
    assert sniff_format("<p>Hello</p><div>x</div>") == "html"
    assert sniff_format("# Title\n\nText") == "markdown"
    assert sniff_format("Plain text only.") == "text"


def test_jsonl_bad_line_becomes_error_row_and_rest_is_read(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"id": "1", "text": "Take 500 mg daily."}) + "\n{broken\n"
                 + json.dumps({"id": "3", "body": "Another article."}) + "\n" + json.dumps({"id": "4"}) + "\n")
    arts = list(iter_articles([p]))
    assert [a.id for a in arts] == ["1", "a:2", "3", "4"]
    assert arts[0].error is None and arts[2].error is None
    assert arts[1].error["code"] == "bad_record" and "line 2" in arts[1].error["message"]
    assert arts[3].error["code"] == "bad_record" and "no text field" in arts[3].error["message"]


def test_csv_and_parquet_inputs(tmp_path):
    import pandas as pd

    df = pd.DataFrame({"id": ["x", "y"], "text": ["Take two capsules daily.", "Zinc may shorten colds."]})
    df.to_csv(tmp_path / "a.csv", index=False)
    df.to_parquet(tmp_path / "b.parquet")
    arts = list(iter_articles([tmp_path]))
    assert sorted(a.id for a in arts) == ["x", "x", "y", "y"]
    assert all(a.error is None for a in arts)


def test_missing_path_and_unsupported_type(tmp_path):
    with pytest.raises(InputNotFound):
        expand_paths([tmp_path / "nope.txt"])
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"PK")
    with pytest.raises(UnsupportedFormat):
        expand_paths([bad])


def test_binary_text_file_is_an_error_row(tmp_path):
    p = tmp_path / "bin.txt"
    p.write_bytes(bytes(range(256)) * 40)
    (art,) = list(iter_articles([p]))
    assert art.error is not None and art.error["code"] == "decode_error"


def test_article_from_text_markdown_meta():
    art = article_from_text("# T\n\nBody.", id="a", fmt="markdown")
    assert art.meta["format"] == "markdown" and art.text.startswith("T")


def test_hf_dataset_saved_to_disk_is_an_input(tmp_path):
    import datasets

    datasets.Dataset.from_dict({"id": ["h1"], "text": ["Take 2 g daily."]}).save_to_disk(str(tmp_path / "ds"))
    (art,) = list(iter_articles([tmp_path / "ds"]))
    assert art.id == "h1" and art.error is None


def test_format_field_aliases_and_unknown_values():
    from pipeline.ingest import article_from_text

    md = "# Title\n\nSee [the trial](https://example.org/t).\n"
    assert article_from_text(md, id="a", fmt="md").meta["format"] == "markdown"
    assert article_from_text(md, id="a", fmt="MD").links
    assert article_from_text("<p>Hi <a href='https://x.org'>there</a></p>", id="b", fmt="htm").meta["format"] == "html"
    assert article_from_text(md, id="c", fmt="blog-post").meta["format"] == "markdown"  # unknown: guessed
    assert article_from_text(md, id="d", fmt="txt").meta["format"] == "text"


def test_iter_records_reads_an_hf_dataset_lazily_and_marks_bad_rows(tmp_path):
    import datasets

    from pipeline.ingest import iter_records

    src = tmp_path / "pages.jsonl"
    src.write_text('{"url": "u1", "body": "Take 2 g daily."}\n{"url": "u2", "body": null}\n', encoding="utf-8")
    ds = datasets.load_dataset("json", data_files=str(src), split="train")
    arts = list(iter_records(ds, source="pages", text_col="body", id_col="url"))
    assert [a.id for a in arts] == ["u1", "u2"]
    assert arts[0].error is None and arts[0].text.startswith("Take 2 g")
    assert arts[1].error["code"] == "bad_record"
    odd = list(iter_records([{"text": "ok"}, "not a dict"]))
    assert odd[0].error is None and odd[1].error["code"] == "bad_record"

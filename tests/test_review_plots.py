"""Charts: files written through the exporters, deterministic, Arabic labels shaped right."""
from __future__ import annotations

import json

import pytest

matplotlib = pytest.importorskip("matplotlib")

from lxml import etree  # noqa: E402

from pipeline.document import Bitext, Side, Span  # noqa: E402
from pipeline.export import json_bytes, write_outputs  # noqa: E402
from pipeline.export import plots  # noqa: E402
from pipeline.export.review import ensure_views  # noqa: E402

FORMATS = [f"plot-{name}-{fmt}" for name in ("types", "top", "confidence") for fmt in ("png", "svg")]
PNG = b"\x89PNG\r\n\x1a\n"


def fresh(bitext: Bitext) -> Bitext:
    return ensure_views(Bitext.from_json(json.loads(json_bytes(bitext))))


@pytest.fixture(scope="module")
def written(tmp_path_factory, sample_bitext):
    out = tmp_path_factory.mktemp("plots")
    return out, write_outputs(sample_bitext, out, FORMATS)


def test_every_plot_written_as_png_and_svg(written):
    out, paths = written
    names = sorted(p.name for p in paths)
    assert names == sorted(f"bayan-2021-taliban-iskp.plot-{n}.{x}" for n in ("types", "top", "confidence")
                           for x in ("png", "svg"))
    for path in paths:
        data = path.read_bytes()
        assert len(data) > 5000
        if path.suffix == ".png":
            assert data.startswith(PNG)
            from PIL import Image
            with Image.open(path) as image:
                assert image.width > 500 and image.height > 200
        else:
            root = etree.fromstring(data)
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            assert b"<dc:date>" not in data
    assert not list(out.glob(".*.part"))


def test_output_is_deterministic(sample_bitext):
    first = {(n, f): plots.plot_bytes(fresh(sample_bitext), n, f) for n in plots.PLOTS for f in ("png", "svg")}
    second = {(n, f): plots.plot_bytes(fresh(sample_bitext), n, f) for n in plots.PLOTS for f in ("png", "svg")}
    assert first == second


def test_arabic_labels_are_shaped():
    text = "الدولة الإسلامية في خراسان"
    shaped = plots.shape_arabic(text)
    import arabic_reshaper
    assert arabic_reshaper.reshape(text) != text
    assert shaped != text and any("\ufe70" <= c <= "\ufefc" for c in shaped)
    assert shaped.replace(" ", "")[-1] in "ﺍﺎ"  # visual order: the first letter (alef) is drawn last, at the right
    if plots.matplotlib_shapes_text():
        assert plots.label(text) == text  # matplotlib >= 3.11 shapes and reorders itself (libraqm)
    else:
        assert plots.label(text) == shaped
    assert plots.label("GROUP") == "GROUP"


def _render(text: str):
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    figure = Figure(figsize=(4, 0.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.axis("off")
    axes.text(0.02, 0.5, text, fontproperties=plots._font(14), va="center")
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba()).copy()


def test_drawn_arabic_is_joined_and_right_to_left():
    """What matplotlib draws for a label is the shaped text in right-to-left order."""
    if not plots.matplotlib_shapes_text():
        pytest.skip("this matplotlib has no libraqm: labels are pre-shaped, nothing to compare against")
    import arabic_reshaper
    from bidi.algorithm import get_display
    text = "الدولة الإسلامية في خراسان"
    drawn = _render(plots.label(text))
    assert (drawn == _render(arabic_reshaper.reshape(text))).all()  # joined letter forms, RTL
    assert not (drawn == _render(get_display(arabic_reshaper.reshape(text)))).all()  # not reversed twice


def test_arabic_font_found():
    families = plots.font_families()
    assert families[-1] == "DejaVu Sans"
    if any(__import__("pathlib").Path(p).is_file() for p in plots.ARABIC_FONT_FILES):
        assert families[0] in ("Noto Sans Arabic", "Noto Naskh Arabic")


def test_top_entities_have_arabic_names(sample_bitext):
    groups = plots.top_entities(sample_bitext, "GROUP")
    assert groups[0][0] == "grp-taliban" and groups[0][1] == "طالبان" and groups[0][2] > 20
    assert all(count >= 1 for _, _, count in plots.top_entities(sample_bitext, "PERSON"))
    assert plots.top_entities(sample_bitext, "NO_SUCH_TYPE") == []


def test_empty_document_still_plots():
    side = Side("ar", "نص قصير.")
    side.set_layer("sentences", [Span.at(0, 8, "s", "ar.s1")])
    bitext = ensure_views(Bitext(ar=side))
    for name in plots.PLOTS:
        assert plots.plot_bytes(bitext, name, "png").startswith(PNG)

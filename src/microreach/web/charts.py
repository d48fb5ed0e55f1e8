"""Charts rendered on the server as SVG: one module for every page and PDF (no JavaScript needed).

Every text that goes into a chart is escaped here, so the SVG returned is safe to embed as is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

from microreach.web import formatting


def _whole_percent(value: float) -> str:
    """A share on a chart, in whole percent in the reader's language."""
    return formatting.percent(value, 0)


@dataclass(frozen=True)
class Marker:
    day: date
    label: str
    kind: str = "spike"  # spike | drop


def line_chart(
    *,
    points: Sequence[tuple[date, float]],
    markers: Sequence[Marker] = (),
    title: str,
    width: int = 720,
    height: int = 220,
    value_format: Callable[[float], str] = formatting.number,
    end_label: bool = False,
    from_zero: bool = False,
    text_size: int = 10,
) -> SafeString:
    """A dated line chart with optional event markers; missing days stay gaps in the x axis. With
    ``end_label`` the last value is written at the end of the line (a cumulative curve's total); with
    ``from_zero`` the value axis starts at 0 (a cumulative count). ``text_size`` is the labels' size in
    the chart's own units: a narrow chart meant for a phone needs larger ones to stay readable."""
    if not points:
        return SafeString("")
    grow = text_size / 10
    pad_l, pad_r, pad_t, pad_b = round(64 * grow), 12, round(24 * grow), round(28 * grow)
    small, big = text_size, text_size + 2
    days = [d for d, _ in points]
    values = [v for _, v in points]
    d0, d1 = min(days), max(days)
    span = max((d1 - d0).days, 1)
    lo, hi = (min(0.0, *values) if from_zero else min(values)), max(values)
    if hi == lo:
        hi = lo + 1

    def x(d: date) -> float:
        return pad_l + (width - pad_l - pad_r) * (d - d0).days / span

    def y(v: float) -> float:
        return pad_t + (height - pad_t - pad_b) * (1 - (v - lo) / (hi - lo))

    path = " ".join(f"{'M' if i == 0 else 'L'}{x(d):.1f},{y(v):.1f}" for i, (d, v) in enumerate(points))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="{pad_l}" y="{big + 2}" font-size="{big}" fill="#334155">{escape(title)}</text>',
        f'<line x1="{pad_l}" y1="{height - pad_b}" x2="{width - pad_r}" y2="{height - pad_b}" stroke="#cbd5e1"/>',
    ]
    for v in (lo, (lo + hi) / 2, hi):
        parts.append(
            f'<text x="{pad_l - 6}" y="{y(v) + 4:.1f}" font-size="{small}" text-anchor="end" fill="#64748b">'
            f"{escape(value_format(v))}</text>"
        )
    # the reader's dates: short (``3 Nov`` / ``3 nov.``) within one year, with their years across two
    said = formatting.short_day if d0.year == d1.year else formatting.day
    parts.append(
        f'<text x="{pad_l}" y="{height - 8}" font-size="{small}" fill="#64748b">{escape(said(d0))}</text>'
    )
    parts.append(
        f'<text x="{width - pad_r}" y="{height - 8}" font-size="{small}" text-anchor="end" fill="#64748b">'
        f"{escape(said(d1))}</text>"
    )
    parts.append(f'<path d="{path}" fill="none" stroke="#2563eb" stroke-width="1.8"/>')
    if end_label:
        last_day, last = points[-1]
        parts.append(
            f'<text x="{x(last_day) - 4:.1f}" y="{y(last) - 6:.1f}" font-size="{small + 1}" text-anchor="end" '
            f'fill="#1e3a8a" class="chart-total">{escape(value_format(last))}</text>'
        )
    for m in markers:
        if d0 <= m.day <= d1:
            colour = "#dc2626" if m.kind == "spike" else "#d97706"
            parts.append(
                f'<line x1="{x(m.day):.1f}" y1="{pad_t}" x2="{x(m.day):.1f}" y2="{height - pad_b}" '
                f'stroke="{colour}" stroke-dasharray="3,3"><title>{escape(m.label)}</title></line>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above went through escape)


def bar_chart(
    *,
    bars: Sequence[tuple[str, float]],
    title: str,
    width: int = 360,
    value_format: Callable[[float], str] = _whole_percent,
    text_size: int = 11,
) -> str:
    """Horizontal bars (shares, scores); values are drawn relative to the largest. ``text_size`` is the
    labels' size in the chart's own units (larger for a chart that must stay readable on a phone)."""
    if not bars:
        return SafeString("")
    grow = text_size / 11
    row, label_w, value_w = round(22 * grow), round(120 * grow), round(60 * grow)
    head = row + 2
    height = head + 2 + row * len(bars)
    top = max(max(v for _, v in bars), 1e-9)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>',
        f'<text x="0" y="{text_size + 3}" font-size="{text_size + 1}" fill="#334155">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(bars):
        y0 = head + i * row
        base = y0 + round(row * 0.64)
        w = (width - label_w - value_w) * max(value, 0) / top
        parts.append(f'<text x="0" y="{base}" font-size="{text_size}" fill="#334155">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y0 + 3}" width="{w:.1f}" height="{row - 8}" fill="#60a5fa"/>')
        parts.append(
            f'<text x="{label_w + w + 4:.1f}" y="{base}" font-size="{text_size}" fill="#334155">'
            f"{escape(value_format(value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above went through escape)


PALETTE = ("#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#64748b")


def stacked_bar(
    *,
    parts: Sequence[tuple[str, float]],
    title: str,
    width: int = 560,
    value_format: Callable[[float], str] = formatting.number,
) -> SafeString:
    """One bar split into shares (a mix: tiers, networks), with a legend giving each part and its share."""
    total = sum(max(v, 0) for _, v in parts)
    if not parts or total <= 0:
        return SafeString("")
    bar_y, bar_h, row = 24, 22, 18
    height = bar_y + bar_h + 12 + row * len(parts)
    parts_svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>',
        f'<text x="0" y="14" font-size="12" fill="#334155">{escape(title)}</text>',
    ]
    x = 0.0
    for i, (label, value) in enumerate(parts):
        share = max(value, 0) / total
        w = width * share
        colour = PALETTE[i % len(PALETTE)]
        parts_svg.append(
            f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
            f"<title>{escape(label)}</title></rect>"
        )
        y0 = bar_y + bar_h + 12 + i * row
        parts_svg.append(f'<rect x="0" y="{y0}" width="10" height="10" fill="{colour}"/>')
        parts_svg.append(
            f'<text x="16" y="{y0 + 9}" font-size="11" fill="#334155">'
            f"{escape(label)} — {escape(value_format(value))} ({escape(_whole_percent(share))})</text>"
        )
        x += w
    parts_svg.append("</svg>")
    return mark_safe("".join(parts_svg))  # noqa: S308  (every text above went through escape)


def _wrapped(text: str, max_chars: int) -> list[str]:
    """``text`` cut between words into lines of at most ``max_chars`` characters (a longer word stays whole):
    SVG text does not wrap by itself."""
    lines: list[str] = []
    for word in text.split(" "):  # never at a no-break space ("4,85\xa0%")
        if not word:
            continue
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def peer_band_chart(
    *,
    value: float,
    quantiles: Sequence[float],
    title: str,
    value_label: str,
    band_label: str,
    median_label: str,
    narrow_label: str = "",
    width: int = 360,
    value_format: Callable[[float], str] = lambda v: formatting.percent(v, 2),
) -> SafeString:
    """One account's value against its peer band: the band's p10–p90 as a light bar, p25–p75 darker, the
    median as a line, the account as a dot, and a legend under it naming each with its figures (the light
    bar's ends, the darker bar's ends, the median, the account). ``quantiles`` are the stored p0…p100 (101
    values, as ``core.population.QUANTILE_LEVELS``): read, never computed here.

    Drawn 360 units wide with 13-unit text, so that on a phone (about 330 px for the chart) no label is
    smaller than 11 px; a page keeps it from growing too large on a wide screen (``.chart-peers``)."""
    if len(quantiles) != 101:
        return SafeString("")
    p10, p25, p50, p75, p90 = (quantiles[i] for i in (10, 25, 50, 75, 90))
    low = min(p10, value)
    high = max(p90, value)
    span = (high - low) or max(abs(high), 1e-6)
    left, right = 12, width - 12
    size, line = 13, 18
    heading = _wrapped(title, width // 7)
    bar_y = line * len(heading) + 26
    bar_h = 18

    def x(v: float) -> float:
        return left + (right - left) * (v - low + span * 0.05) / (span * 1.1)

    dot = x(value)
    legend = [
        ('<rect x="0" y="{y}" width="14" height="12" fill="#dbeafe" stroke="#93c5fd"/>', band_label),
        ('<rect x="0" y="{y}" width="14" height="12" fill="#93c5fd"/>', narrow_label),
        (
            '<line x1="7" y1="{y}" x2="7" y2="{y_end}" stroke="#1e3a8a" stroke-width="2"/>',
            f"{median_label} {value_format(p50)}",
        ),
        (
            '<circle cx="7" cy="{y_mid}" r="6" fill="#d97706"/>',
            f"{value_label} {value_format(value)}",
        ),
    ]
    # each legend entry on as many lines as it needs beside its swatch
    legend_lines = [(swatch, _wrapped(text, (width - 22) // 7)) for swatch, text in legend if text.strip()]
    legend_y = bar_y + bar_h + 16
    height = legend_y + line * sum(len(lines) for _s, lines in legend_lines) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart chart-peers"><title>{escape(title)}</title>',
    ]
    for i, text in enumerate(heading):
        parts.append(
            f'<text x="0" y="{size + i * line}" font-size="{size}" fill="#334155">{escape(text)}</text>'
        )
    parts += [
        f'<rect x="{x(p10):.1f}" y="{bar_y}" width="{x(p90) - x(p10):.1f}" height="{bar_h}" fill="#dbeafe">'
        f"<title>{escape(band_label)}</title></rect>",
        f'<rect x="{x(p25):.1f}" y="{bar_y}" width="{x(p75) - x(p25):.1f}" height="{bar_h}" fill="#93c5fd">'
        f"<title>{escape(narrow_label)}</title></rect>",
        f'<line x1="{x(p50):.1f}" y1="{bar_y - 4}" x2="{x(p50):.1f}" y2="{bar_y + bar_h + 4}" '
        f'stroke="#1e3a8a" stroke-width="2"/>',
        f'<circle cx="{dot:.1f}" cy="{bar_y + bar_h / 2}" r="7" fill="#d97706" stroke="#fff" stroke-width="2"/>',
    ]
    y = legend_y
    for swatch, lines in legend_lines:
        parts.append(swatch.format(y=y, y_end=y + 13, y_mid=y + 6))
        parts.append(f'<text font-size="{size}" fill="#334155" class="chart-legend">')
        for k, text in enumerate(lines):
            parts.append(f'<tspan x="22" y="{y + 11 + k * line}">{escape(text)}</tspan>')
        parts.append("</text>")
        y += line * len(lines)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above went through escape)

"""Headless Chromium for the rendering tests: a page to a screenshot, and its pixels.

scripts/test.sh installs Chromium (Debian package `chromium`) when it is missing; these helpers
install nothing and fail, rather than skip, without it.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB or RGBA PNG (non-interlaced): width, height and the pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "geen PNG"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(line)
        prev = line
    pixels = [bytes(row[x : x + 3]) for row in rows[::4] for x in range(0, stride, channels * 4)]
    return width, height, pixels


def chromium() -> str:
    """The Chromium binary; fails the test (never skips it) when there is none."""
    found = CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")
    assert found, "Chromium ontbreekt: voer scripts/test.sh uit (installeert het Debian-pakket chromium als root)"
    return str(found)


def screenshot(page: Path, workdir: Path, width: int, height: int) -> tuple[int, int, list[bytes]]:
    """Open ``page`` offline in headless Chromium at ``width`` x ``height``; its PNG's pixels."""
    png = workdir / f"{page.stem}.png"
    result = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={workdir / 'profiel'}",
            f"--screenshot={png}",
            f"--window-size={width},{height}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert png.is_file(), result.stdout + result.stderr
    return png_pixels(png.read_bytes())

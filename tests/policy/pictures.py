"""Reading a PNG's size without a picture library."""

import struct
from pathlib import Path


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from the PNG header; fails when the file is not a PNG."""
    data = Path(path).read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height

"""Small real files for upload tests, made on the fly."""

import io
import struct
import zlib

from PIL import Image


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (46.0, 4.0, 12.0)
    gps[3] = "E"
    gps[4] = (23.0, 34.0, 5.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    assert b"Exif" in data
    return data


def png(size: tuple[int, int] = (10, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("P", size, 3).save(buffer, format="PNG")
    return buffer.getvalue()


def minimal_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def flat_png(width: int, height: int, *, palette: bool = True, rows: bool = True) -> bytes:
    """A PNG of one colour written row by row, never held whole: a few kilobytes on disk however
    many pixels it claims (1-bit palette, or 8-bit RGB). Without `rows` only its header is true,
    which is all a decoder reads before refusing it."""
    colour_type, depth, row_bytes = (3, 1, (width + 7) // 8) if palette else (2, 8, width * 3)
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + row_bytes)
    data = b"".join(compressor.compress(row) for _ in range(height if rows else 1))
    data += compressor.flush()
    plte = _chunk(b"PLTE", b"\x00\x00\x00\xff\xff\xff") if palette else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + plte
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )

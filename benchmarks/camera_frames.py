"""Webcam frames of a phone showing a Paddock ticket, made from the ticket's QR image.

What a front-desk webcam sees when a guest holds up their phone: the phone (dark bezel,
bright screen with the QR and a few lines of text) somewhere in a 640×480 frame, tilted
in perspective, at 20–60 cm. On top, one condition per frame set:

- clean       mild tilt, sharp, good light
- tilt        strong perspective (the phone held at up to ~40°) and in-plane rotation
- blur        out of focus (Gaussian) or moving (motion blur along a random direction)
- glare       a ceiling light reflected on the screen: a saturated highlight over part of the QR
- moire       the screen's pixel grid beating with the camera's (a fine interference pattern)
- low_light   a dim room: dark frame, low contrast, strong sensor noise
- far         the phone held far away: the QR about 55–75 px wide

Every frame also gets sensor noise and JPEG compression (webcams send MJPEG), and is
returned as an RGB numpy array. Deterministic for a given seed.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from desktop_app.services.tickets import qr_image

CONDITIONS = ("clean", "tilt", "blur", "glare", "moire", "low_light", "far")
FRAME = (640, 480)


@dataclass(frozen=True)
class Frame:
    condition: str
    code: str
    rgb: np.ndarray  # H×W×3 uint8


def phone_screen(code: str, rnd: random.Random) -> Image.Image:
    """The phone as a flat image: bezel, a white screen, the QR, a title bar and text lines."""
    w, h = 540, 1000
    phone = Image.new("RGB", (w, h), (18, 18, 20))
    draw = ImageDraw.Draw(phone)
    draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=70, fill=(22, 22, 26))
    sx0, sy0, sx1, sy1 = 24, 60, w - 24, h - 60
    shade = rnd.randint(236, 252)
    draw.rectangle((sx0, sy0, sx1, sy1), fill=(shade, shade, shade))
    draw.rectangle((sx0, sy0, sx1, sy0 + 90), fill=(7, 193, 96))  # an app's green title bar
    for i in range(4):  # lines of text above and below the code
        y = sy0 + 130 + i * 34
        draw.rectangle((sx0 + 40, y, sx0 + 40 + rnd.randint(220, 420), y + 16), fill=(90, 90, 90))
    qr = qr_image(code, 440).convert("RGB")
    phone.paste(qr, ((w - 440) // 2, sy0 + 300))
    for i in range(3):
        y = sy0 + 770 + i * 34
        draw.rectangle(
            (sx0 + 40, y, sx0 + 40 + rnd.randint(160, 400), y + 16), fill=(120, 120, 120)
        )
    return phone


def _background(rnd: random.Random) -> Image.Image:
    """A desk and a room behind it: a gradient with some blobs, not a flat colour."""
    w, h = FRAME
    y = np.linspace(0, 1, h)[:, None]
    x = np.linspace(0, 1, w)[None, :]
    base = rnd.uniform(90, 170)
    img = base + 40 * (y - 0.5) + 25 * np.sin(6 * x + rnd.uniform(0, 6))
    rgb = np.stack([img * rnd.uniform(0.9, 1.1) for _ in range(3)], axis=-1)
    bg = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(bg)
    for _ in range(6):
        cx, cy, r = rnd.randint(0, w), rnd.randint(0, h), rnd.randint(20, 120)
        tone = tuple(rnd.randint(40, 220) for _ in range(3))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tone)
    return bg.filter(ImageFilter.GaussianBlur(6))


def _quad(
    rnd: random.Random, width_px: float, tilt_deg: float, roll_deg: float
) -> list[tuple[float, float]]:
    """Where the phone's four corners land: a rectangle turned in 3-D and projected."""
    w, h = FRAME
    pw, ph = width_px, width_px * 1000 / 540
    ax = math.radians(rnd.uniform(-tilt_deg, tilt_deg))  # pitch
    ay = math.radians(rnd.uniform(-tilt_deg, tilt_deg))  # yaw
    az = math.radians(rnd.uniform(-roll_deg, roll_deg))
    focal = 700.0
    cx = rnd.uniform(w * 0.35, w * 0.65)
    cy = rnd.uniform(h * 0.4, h * 0.6)
    out = []
    for x, y in ((-pw / 2, -ph / 2), (pw / 2, -ph / 2), (pw / 2, ph / 2), (-pw / 2, ph / 2)):
        x, y = x * math.cos(az) - y * math.sin(az), x * math.sin(az) + y * math.cos(az)
        y, z = y * math.cos(ax), y * math.sin(ax)
        x, z = x * math.cos(ay) + z * math.sin(ay), -x * math.sin(ay) + z * math.cos(ay)
        s = focal / (focal + z)
        out.append((cx + x * s, cy + y * s))
    return out


def _perspective_coeffs(
    src: list[tuple[float, float]], dst: list[tuple[float, float]]
) -> list[float]:
    """PIL's PERSPECTIVE coefficients mapping output (dst) points back to input (src)."""
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(rows, dtype=float)
    b = np.array([c for p in src for c in p], dtype=float)
    return list(np.linalg.solve(a, b))


def _motion_blur(img: np.ndarray, length: int, angle: float) -> np.ndarray:
    acc = np.zeros_like(img, dtype=np.float32)
    dx, dy = math.cos(angle), math.sin(angle)
    for i in range(length):
        t = i - (length - 1) / 2
        acc += np.roll(np.roll(img, round(t * dy), axis=0), round(t * dx), axis=1)
    return acc / length


def make_frame(code: str, condition: str, rnd: random.Random) -> Frame:
    phone = phone_screen(code, rnd)
    width = {"far": rnd.uniform(105, 140)}.get(condition, rnd.uniform(190, 300))
    tilt, roll = {"tilt": (38, 25), "clean": (10, 8)}.get(condition, (20, 15))
    quad = _quad(rnd, width, tilt, roll)
    coeffs = _perspective_coeffs(
        [(0, 0), (phone.width, 0), (phone.width, phone.height), (0, phone.height)], quad
    )
    warped = phone.transform(FRAME, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    mask = Image.new("L", phone.size, 255).transform(
        FRAME, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR
    )
    frame = _background(rnd)
    frame.paste(warped, (0, 0), mask)
    img = np.asarray(frame).astype(np.float32)
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if condition == "blur":
        if rnd.random() < 0.5:
            img = np.asarray(
                Image.fromarray(img.astype(np.uint8)).filter(
                    ImageFilter.GaussianBlur(rnd.uniform(1.6, 2.8))
                )
            ).astype(np.float32)
        else:
            img = _motion_blur(img, rnd.randint(5, 10), rnd.uniform(0, math.pi))
    elif condition == "glare":
        gx, gy = np.mean([p[0] for p in quad]), np.mean([p[1] for p in quad])
        gx += rnd.uniform(-0.25, 0.25) * width
        gy += rnd.uniform(-0.3, 0.3) * width
        sx, sy = rnd.uniform(0.15, 0.28) * width, rnd.uniform(0.1, 0.2) * width
        blob = np.exp(-(((xx - gx) / sx) ** 2 + ((yy - gy) / sy) ** 2))
        img = img + rnd.uniform(170, 230) * blob[..., None]
    elif condition == "moire":
        fx, fy = rnd.uniform(0.25, 0.42), rnd.uniform(0.05, 0.2)
        beat = 0.5 + 0.5 * np.sin(2 * math.pi * (fx * xx + fy * yy) + rnd.uniform(0, 6))
        inside = np.asarray(mask, dtype=np.float32)[..., None] / 255
        img = img * (1 - inside * rnd.uniform(0.25, 0.4) * beat[..., None])
    elif condition == "low_light":
        dim = rnd.uniform(0.14, 0.28)
        img = 255 * (img / 255) ** 1.3 * dim + rnd.uniform(4, 10)
        img = (
            img
            + rnd.gauss(0, 1)
            + np.random.default_rng(rnd.randint(0, 2**31)).normal(0, rnd.uniform(6, 10), img.shape)
        )
    noise = np.random.default_rng(rnd.randint(0, 2**31)).normal(0, rnd.uniform(2, 5), img.shape)
    img = np.clip(img + noise, 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=rnd.randint(55, 85))
    rgb = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB")).copy()
    return Frame(condition, code, rgb)


def frames(codes: list[str], per_condition: int, seed: int = 19) -> Iterator[Frame]:
    """`per_condition` frames of each condition, cycling through `codes`."""
    rnd = random.Random(seed)
    n = 0
    for condition in CONDITIONS:
        for _ in range(per_condition):
            yield make_frame(codes[n % len(codes)], condition, rnd)
            n += 1


def empty_frames(count: int, seed: int = 23) -> Iterator[np.ndarray]:
    """Frames with no phone in them (what the camera sees most of the time)."""
    rnd = random.Random(seed)
    for _ in range(count):
        img = np.asarray(_background(rnd)).astype(np.float32)
        img += np.random.default_rng(rnd.randint(0, 2**31)).normal(0, 3, img.shape)
        yield np.clip(img, 0, 255).astype(np.uint8)


def video_frame(rgb: np.ndarray) -> object:
    """A QVideoFrame in NV12, the YUV layout webcams deliver (QtMultimedia converts it back
    in QVideoFrame.toImage(), as for a real camera). Needs PySide6's QtMultimedia."""
    from PySide6.QtCore import QSize
    from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

    h, w = rgb.shape[:2]
    r, g, b = (rgb[..., i].astype(np.float32) for i in range(3))
    y = 0.257 * r + 0.504 * g + 0.098 * b + 16
    u = -0.148 * r - 0.291 * g + 0.439 * b + 128
    v = 0.439 * r - 0.368 * g - 0.071 * b + 128
    fmt = QVideoFrameFormat(QSize(w, h), QVideoFrameFormat.PixelFormat.Format_NV12)
    fmt.setColorSpace(QVideoFrameFormat.ColorSpace.ColorSpace_BT601)
    fmt.setColorRange(QVideoFrameFormat.ColorRange.ColorRange_Video)
    frame = QVideoFrame(fmt)
    frame.map(QVideoFrame.MapMode.WriteOnly)
    try:
        luma = np.frombuffer(frame.bits(0), dtype=np.uint8).reshape(h, frame.bytesPerLine(0))
        luma[:, :w] = np.clip(y, 0, 255).astype(np.uint8)
        chroma = np.frombuffer(frame.bits(1), dtype=np.uint8).reshape(h // 2, frame.bytesPerLine(1))
        uv = np.stack([u[::2, ::2], v[::2, ::2]], axis=-1).reshape(h // 2, w)
        chroma[:, :w] = np.clip(uv, 0, 255).astype(np.uint8)
    finally:
        frame.unmap()
    return frame

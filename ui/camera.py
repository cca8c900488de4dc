"""Optional webcam QR reading: QtMultimedia frames, zxing-cpp decoding off the UI thread.

Only QR codes are searched (formats=QRCode: 2–3 ms per 640×480 frame instead of 19–56 ms
with all formats). One frame is decoded at a time; frames arriving meanwhile are dropped,
and the same code is reported at most once per `debounce` seconds (a ticket held in front
of the camera is one scan, not thirty).

A phone held up to a webcam is blurred, tilted, glared and dim (benchmarks/camera_frames.py
makes such frames; benchmarks/bench_camera.py measures them through this path). When
zxing-cpp sees a QR code but cannot read it (return_errors), the frame is read once more,
sharpened: that rescues part of the blurred and glared frames, and costs nothing on the
frames without a code — most frames, at a desk.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QImage

from ui.workers import submit

DEBOUNCE_S = 2.0


def camera_available() -> bool:
    """True when QtMultimedia imports and lists at least one camera."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return False
    try:
        return bool(QMediaDevices.videoInputs())
    except RuntimeError:
        return False


def decode_qr(image: QImage | Any) -> list[str]:
    """QR payloads found in a QImage or a grayscale numpy array (a camera frame)."""
    import zxingcpp

    gray = qimage_to_array(image) if isinstance(image, QImage) else image
    qr = zxingcpp.BarcodeFormat.QRCode
    found = zxingcpp.read_barcodes(gray, formats=qr, return_errors=True)
    texts = [r.text for r in found if r.valid and r.text]
    if texts or not found:
        return texts
    # a QR code is there but unreadable (blur, glare): once more, sharpened
    again = zxingcpp.read_barcodes(sharpened(gray), formats=qr)
    return [r.text for r in again if r.valid and r.text]


def frame_pixels(frame: Any) -> Any:
    """What the decoder reads from a QVideoFrame, copied (the camera reuses its buffers):
    the luma plane of the YUV layouts webcams send — the grayscale image, no conversion —
    else the frame converted to grayscale. None for an empty frame."""
    import numpy as np
    from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

    pf = QVideoFrameFormat.PixelFormat
    planar = (pf.Format_NV12, pf.Format_NV21, pf.Format_YUV420P, pf.Format_YUV422P,
              pf.Format_YV12, pf.Format_Y8, pf.Format_IMC1, pf.Format_IMC2, pf.Format_IMC3,
              pf.Format_IMC4)  # fmt: skip
    packed = {pf.Format_YUYV: 0, pf.Format_UYVY: 1}  # where Y sits in Y0 U Y1 V / U Y0 V Y1
    fmt = frame.pixelFormat()
    if (fmt in planar or fmt in packed) and frame.map(QVideoFrame.MapMode.ReadOnly):
        try:
            w, h, line = frame.width(), frame.height(), frame.bytesPerLine(0)
            rows = np.frombuffer(frame.bits(0), dtype=np.uint8)[: h * line].reshape(h, line)
            if fmt in packed:
                return rows[:, packed[fmt] : packed[fmt] + 2 * w : 2].copy()
            return rows[:, :w].copy()
        finally:
            frame.unmap()
    image = frame.toImage()
    return None if image.isNull() else qimage_to_array(image)


def sharpened(gray: Any) -> Any:
    """An unsharp mask (radius 3, 200 %): measured on blurred and glared phone frames."""
    import numpy as np
    from PIL import Image, ImageFilter

    return np.asarray(Image.fromarray(gray).filter(ImageFilter.UnsharpMask(3, 200, 3)))


def qimage_to_array(image: QImage) -> Any:
    """A grayscale numpy copy of a QImage (safe to hand to another thread)."""
    import numpy as np

    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    w, h, bpl = gray.width(), gray.height(), gray.bytesPerLine()
    buf = np.frombuffer(gray.constBits(), dtype=np.uint8, count=bpl * h).reshape(h, bpl)
    return buf[:, :w].copy()


class Debouncer:
    """Reports a code again only after `seconds` without seeing it."""

    def __init__(
        self, seconds: float = DEBOUNCE_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        self._seen: dict[str, float] = {}

    def fresh(self, code: str) -> bool:
        now = self.clock()
        last = self._seen.get(code)
        self._seen[code] = now
        return last is None or now - last >= self.seconds


@dataclass(frozen=True)
class FrameRead:
    """One frame's answer: the codes in it (often none), and the CPU time it cost — taking
    its pixels on the UI thread plus decoding them on the decoder thread."""

    codes: list[str]
    cpu_ms: float


class CameraScanner(QObject):
    """Camera on/off; emits `decoded(str)` for each new QR code seen."""

    decoded = Signal(str)
    failed = Signal(str)
    frame_read = Signal(object)  # a FrameRead for every frame decoded: benchmarks, tests

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool
        self.debouncer = Debouncer()
        self._busy = False
        self._camera: Any = None
        self._session: Any = None
        self._sink: Any = None

    @property
    def running(self) -> bool:
        return self._camera is not None

    def start(self) -> bool:
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QMediaDevices, QVideoSink

        devices = QMediaDevices.videoInputs()
        if not devices:
            return False
        self._camera = QCamera(devices[0], self)
        self._session = QMediaCaptureSession(self)
        self._sink = QVideoSink(self)
        self._session.setCamera(self._camera)
        self._session.setVideoSink(self._sink)
        self.watch(self._sink)
        self._camera.errorOccurred.connect(lambda _e, text: self.failed.emit(text))
        self._camera.start()
        return True

    def watch(self, sink: Any) -> None:
        """Decode the frames `sink` (a QVideoSink) delivers: the camera's, or a test's."""
        sink.videoFrameChanged.connect(self._on_frame)

    def stop(self) -> None:
        if self._camera is not None:
            self._camera.stop()
            self._camera.deleteLater()
        self._camera = self._session = self._sink = None

    def _on_frame(self, frame: Any) -> None:
        if self._busy:
            return  # still decoding the previous frame: skip this one
        start = time.thread_time()
        pixels = frame_pixels(frame)  # a copy now: the frame buffer is reused
        if pixels is None:
            return
        self._busy = True
        taking = time.thread_time() - start

        def decode() -> FrameRead:
            begin = time.thread_time()
            codes = decode_qr(pixels)
            return FrameRead(codes, (taking + time.thread_time() - begin) * 1000)

        submit(self.pool, decode, self._on_decoded, self._on_error)

    def _on_decoded(self, read: FrameRead) -> None:
        self._busy = False
        self.frame_read.emit(read)
        for code in read.codes:
            if self.debouncer.fresh(code):
                self.decoded.emit(code)

    def _on_error(self, exc: BaseException) -> None:
        self._busy = False
        self.failed.emit(str(exc))

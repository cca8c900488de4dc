# Shared by scripts/run-app and scripts/run-tests (sourced, not run): install what a fresh
# Debian 12 machine lacks, create .venv, install the project when pyproject.toml changed.
# Re-runs are fast: apt is asked only about missing packages, pip only after a change.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
say() { echo "[paddock] $*" >&2; }

# Qt's runtime libraries: offscreen/EGL, the X11 (xcb) platform plugin, QtMultimedia sounds.
QT_PKGS=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libpulse0)
# Without a CJK font Chinese names render as boxes; python3-venv provides ensurepip.
BASE_PKGS=(python3 python3-venv fonts-noto-cjk)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else say "need root for: $* (install sudo or run as root)"; return 1; fi
}

APT_UPDATED=""
ensure_apt() {
  local missing=() p
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing system packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

ensure_venv() {
  local py="${PYTHON:-python3}"
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$py" -m venv "$VENV"
  fi
  local want stamp
  want="$(sha256sum pyproject.toml | cut -c1-16)"
  stamp="$VENV/.paddock-installed"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -x "$VENV/bin/paddock" ]; then
    say "installing Python packages (pip install -e '.[dev]'; a few minutes the first time)"
    "$VENV/bin/python" -m pip install -q --upgrade pip >&2
    "$VENV/bin/python" -m pip install -q -e '.[dev]' >&2
    echo "$want" > "$stamp"
  fi
}

has_display() {
  [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${QT_QPA_PLATFORM:-}" ]
}

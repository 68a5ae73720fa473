#!/usr/bin/env python3
"""Draw every photo of the sample exhibition in content/ (Pillow only, deterministic).

Run it from anywhere with the project's Python:

    .venv/bin/python tools/make_sample_photos.py

Nothing here is a real photograph: doormats, batik, furniture, bags, gloves, food
packages, booth logos and booth scenes are all drawn procedurally, then given a soft
lighting gradient and a little noise so that they behave like photos in the image
pipeline (JPEG, large, noisy). Every picture takes its random numbers from a
generator seeded by its own file name, so a rerun writes the same bytes and one
picture can be changed without shifting all the others.

A few product photos are written the way a phone writes them: the pixels stored on
their side with EXIF Orientation 6, and the camera's Make/Model and time. They exist
to exercise the build's orientation handling (PHONE_PHOTOS). They carry no GPS
position and no serial number: the sample is a model to copy, and `showcase check`
rightly warns about a photo that says where it was taken. Tests plant those tags in
photos of their own.
"""
from __future__ import annotations

import io
import math
import random
import sys
import zlib
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

JPEG_QUALITY = 82
MAX_BYTES = 300_000  # one photo
MAX_TOTAL = 8 * 1024 * 1024  # all of them together

LANDSCAPE = (1600, 1200)
PORTRAIT = (1200, 1600)
WIDE = (1600, 900)

BICUBIC = Image.Resampling.BICUBIC
BILINEAR = Image.Resampling.BILINEAR
LANCZOS = Image.Resampling.LANCZOS


# ---------------------------------------------------------------------------
# small helpers


def clamp(v, lo=0, hi=255):
    return lo if v < lo else hi if v > hi else v


def mix(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


def shade(c, f):
    return tuple(clamp(int(round(v * f))) for v in c)


def jitter(c, r, amount):
    return tuple(clamp(v + r.randint(-amount, amount)) for v in c)


_FONTS: dict[int, ImageFont.FreeTypeFont] = {}


def font(size):
    """Pillow's bundled font, so the pictures do not depend on the fonts installed."""
    size = max(8, int(size))
    if size not in _FONTS:
        _FONTS[size] = ImageFont.load_default(size)
    return _FONTS[size]


def fit_font(text, max_width, start):
    size = int(start)
    while size > 10 and font(size).getlength(text) > max_width:
        size -= 2
    return font(size)


def text_center(d, xy, text, size, fill, bold=0, max_width=None):
    f = fit_font(text, max_width, size) if max_width else font(size)
    d.text(xy, text, font=f, fill=fill, anchor="mm", stroke_width=bold, stroke_fill=fill)


def vgradient(size, top, bottom):
    mask = Image.linear_gradient("L").resize(size, BILINEAR)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def hgradient(size, left, right):
    mask = Image.linear_gradient("L").transpose(Image.Transpose.TRANSPOSE).resize(size, BILINEAR)
    return Image.composite(Image.new("RGB", size, right), Image.new("RGB", size, left), mask)


def noise(size, r, scale=1):
    w, h = size
    sw, sh = max(2, w // scale), max(2, h // scale)
    n = Image.frombytes("L", (sw, sh), r.randbytes(sw * sh))
    return n if (sw, sh) == (w, h) else n.resize((w, h), BICUBIC)


def add_noise(img, r, amp, scale=1):
    """Add zero-mean grey noise of +-amp levels; scale > 1 makes blotches instead of grain."""
    lut = [clamp(int(round(128 + (v - 127.5) * amp / 127.5))) for v in range(256)]
    n = noise(img.size, r, scale).point(lut)
    mode = img.mode
    rgb = img.convert("RGB")
    out = ImageChops.add(rgb, Image.merge("RGB", (n, n, n)), 1.0, -128)
    if mode == "RGBA":
        out = out.convert("RGBA")
        out.putalpha(img.getchannel("A"))
    return out


def brightness(img, f):
    if f == 1:
        return img
    return ImageEnhance.Brightness(img).enhance(f)


def lighting(img, cx, cy, strength):
    """Darken away from a light at (cx, cy) (fractions of the frame): falloff and vignette."""
    w, h = img.size
    big = 2 * max(w, h)
    g = Image.radial_gradient("L").resize((big, big), BILINEAR)
    left, top = int(big / 2 - cx * w), int(big / 2 - cy * h)
    g = g.crop((left, top, left + w, top + h))
    lut = [clamp(int(255 * (1 - strength * (v / 255) ** 1.6))) for v in range(256)]
    g = g.point(lut)
    return ImageChops.multiply(img, Image.merge("RGB", (g, g, g)))


def finish(img, r, light=(0.38, 0.3), strength=0.42, grain=2, blotch=4, blur=1.3, tint=(255, 250, 242)):
    """Turn a clean drawing into something photo-like: lens softness, light, colour, noise."""
    img = img.convert("RGB").filter(ImageFilter.GaussianBlur(blur))
    img = lighting(img, light[0], light[1], strength)
    img = ImageChops.multiply(img, Image.new("RGB", img.size, tint))
    img = add_noise(img, r, blotch, scale=48)
    img = add_noise(img, r, grain, scale=2)
    return img


def smooth(points, steps=10, closed=True):
    """Catmull-Rom spline through points, for organic outlines."""
    pts = list(points)
    n = len(pts)
    out = []
    rng = range(n) if closed else range(n - 1)
    for i in rng:
        p0 = pts[(i - 1) % n] if closed else pts[max(i - 1, 0)]
        p1 = pts[i]
        p2 = pts[(i + 1) % n] if closed else pts[i + 1]
        p3 = pts[(i + 2) % n] if closed else pts[min(i + 2, n - 1)]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            out.append(tuple(
                0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t2 + (-a + 3 * b - 3 * c + d) * t3)
                for a, b, c, d in zip(p0, p1, p2, p3)
            ))
    if not closed:
        out.append(pts[-1])
    return out


def scaled(points, w, h, ox=0, oy=0):
    return [(ox + x * w, oy + y * h) for x, y in points]


def capsule(d, p0, p1, width, fill=255):
    d.line([p0, p1], fill=fill, width=int(width))
    rr = width / 2
    for x, y in (p0, p1):
        d.ellipse([x - rr, y - rr, x + rr, y + rr], fill=fill)


def cyl_shade(size, dark=0.62, highlight=0.35):
    """Horizontal shading of a rounded object: dark at both sides, bright a little left of centre."""
    w, h = size
    row = Image.new("L", (256, 1))
    for x in range(256):
        t = x / 255
        d = abs(t - highlight) / (highlight if t < highlight else 1 - highlight)
        row.putpixel((x, 0), clamp(int(255 * (1 - (1 - dark) * d ** 2))))
    row = row.resize((w, h), BILINEAR)
    return Image.merge("RGB", (row, row, row))


def rim_darken(tex, mask, width=9, f=0.62):
    inner = mask.filter(ImageFilter.MinFilter(width | 1))
    rim = ImageChops.subtract(mask, inner).filter(ImageFilter.GaussianBlur(width / 3))
    return Image.composite(brightness(tex, f), tex, rim)


def as_object(tex, mask):
    out = tex.convert("RGBA")
    out.putalpha(mask)
    return out


def paste_shadowed(bg, obj, xy, offset=(22, 26), blur=26, opacity=0.42, contact=True):
    """Paste an RGBA object on bg with a soft drop shadow and a darker contact line."""
    x, y = int(xy[0]), int(xy[1])
    a = obj.getchannel("A")
    sh = Image.new("L", bg.size, 0)
    sh.paste(a.point(lambda v: int(v * opacity)), (x + offset[0], y + offset[1]))
    sh = sh.filter(ImageFilter.GaussianBlur(blur))
    if contact:
        bbox = a.getbbox()
        if bbox:
            cx0, _, cx1, cy1 = bbox
            c = Image.new("L", bg.size, 0)
            ImageDraw.Draw(c).ellipse(
                [x + cx0 + 10, y + cy1 - 14, x + cx1 - 10, y + cy1 + 10], fill=int(255 * opacity * 1.3)
            )
            sh = ImageChops.lighter(sh, c.filter(ImageFilter.GaussianBlur(10)))
    bg = Image.composite(Image.new("RGB", bg.size, (34, 28, 24)), bg, sh)
    bg.paste(obj, (x, y), obj)
    return bg


def rotated(obj, angle):
    return obj.rotate(angle, resample=BICUBIC, expand=True)


# ---------------------------------------------------------------------------
# perspective


def solve(a, b):
    n = len(b)
    m = [list(row) + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        piv = max(range(col, n), key=lambda k: abs(m[k][col]))
        if abs(m[piv][col]) < 1e-12:
            raise ValueError("singular")
        m[col], m[piv] = m[piv], m[col]
        p = m[col][col]
        m[col] = [v / p for v in m[col]]
        for i in range(n):
            if i != col and m[i][col]:
                f = m[i][col]
                m[i] = [vi - f * vc for vi, vc in zip(m[i], m[col])]
    return [m[i][n] for i in range(n)]


def perspective_coeffs(dst, src):
    """Coefficients for Image.transform(PERSPECTIVE): output quad dst -> input quad src."""
    a, b = [], []
    for (x, y), (X, Y) in zip(dst, src):
        a.append([x, y, 1, 0, 0, 0, -X * x, -X * y])
        b.append(X)
        a.append([0, 0, 0, x, y, 1, -Y * x, -Y * y])
        b.append(Y)
    return solve(a, b)


def draw_quad(canvas, quad, tex, bright=1.0):
    """Map the whole of tex onto the 2-D quad (tl, tr, br, bl) of canvas."""
    W, H = canvas.size
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    bx0, by0 = max(int(math.floor(min(xs))), 0), max(int(math.floor(min(ys))), 0)
    bx1, by1 = min(int(math.ceil(max(xs))), W), min(int(math.ceil(max(ys))), H)
    if bx1 - bx0 < 1 or by1 - by0 < 1:
        return
    dst = [(x - bx0, y - by0) for x, y in quad]
    tw, th = tex.size
    try:
        coeffs = perspective_coeffs(dst, [(0, 0), (tw, 0), (tw, th), (0, th)])
    except ValueError:
        return
    patch = tex.convert("RGB").transform((bx1 - bx0, by1 - by0), Image.Transform.PERSPECTIVE, coeffs, BILINEAR)
    patch = brightness(patch, bright)
    mask = Image.new("L", patch.size, 0)
    ImageDraw.Draw(mask).polygon(dst, fill=255)
    canvas.paste(patch, (bx0, by0), mask)


# ---------------------------------------------------------------------------
# a tiny box renderer for furniture and booth scenes (world units: cm, y up)


def v_sub(a, b):
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def v_add(a, b):
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def v_mul(a, k):
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def norm(a):
    n = math.sqrt(dot(a, a))
    return (a[0] / n, a[1] / n, a[2] / n)


LIGHT = norm((0.5, -1.0, -0.6))  # direction the light travels: from upper left front


class Cam:
    def __init__(self, eye, target, fov, size):
        self.eye = eye
        self.cx, self.cy = size[0] / 2, size[1] / 2
        self.f = (size[0] / 2) / math.tan(math.radians(fov) / 2)
        self.fwd = norm(v_sub(target, eye))
        self.right = norm(cross(self.fwd, (0, 1, 0)))
        self.up = cross(self.right, self.fwd)

    def p(self, pt):
        d = v_sub(pt, self.eye)
        z = max(dot(d, self.fwd), 1.0)
        return (self.cx + self.f * dot(d, self.right) / z, self.cy - self.f * dot(d, self.up) / z)

    def dist(self, pt):
        d = v_sub(pt, self.eye)
        return math.sqrt(dot(d, d))

    def order(self, box):
        """Painter's order: the nearest point of the box first, its centre to break ties."""
        near = tuple(clamp(self.eye[i], box.lo[i], box.hi[i]) for i in range(3))
        return (box.layer, -round(self.dist(near), 1), -self.dist(box.centre()))


class Wood:
    """A pair of big wood textures (grain across and along), cropped per face."""

    def __init__(self, r, light, dark, ppcm=7, size=1400):
        self.h = wood_texture((size, size), r, light, dark)
        self.v = self.h.rotate(90)
        self.ppcm = ppcm
        self.r = r


FACES = {
    "front": ((0, 1, 1), (1, 1, 1), (1, 0, 1), (0, 0, 1), (0, 0, 1)),
    "back": ((1, 1, 0), (0, 1, 0), (0, 0, 0), (1, 0, 0), (0, 0, -1)),
    "right": ((1, 1, 1), (1, 1, 0), (1, 0, 0), (1, 0, 1), (1, 0, 0)),
    "left": ((0, 1, 0), (0, 1, 1), (0, 0, 1), (0, 0, 0), (-1, 0, 0)),
    "top": ((0, 1, 0), (1, 1, 0), (1, 1, 1), (0, 1, 1), (0, 1, 0)),
    "bottom": ((0, 0, 1), (1, 0, 1), (1, 0, 0), (0, 0, 0), (0, -1, 0)),
}


class Box:
    def __init__(self, x0, y0, z0, x1, y1, z1, mat, faces=None, shadow=True, layer=2):
        self.lo = (min(x0, x1), min(y0, y1), min(z0, z1))
        self.hi = (max(x0, x1), max(y0, y1), max(z0, z1))
        self.mat = mat  # a Wood, an (r, g, b) colour, or an Image for every face
        self.faces = faces or {}  # face name -> Image, overriding mat
        self.shadow = shadow
        self.layer = layer  # walls (0) and what hangs on them (1) are drawn before everything else

    def corner(self, sel):
        return tuple(self.hi[i] if s else self.lo[i] for i, s in enumerate(sel))

    def centre(self):
        return v_mul(v_add(self.lo, self.hi), 0.5)

    def texture(self, name, p0, p1, p3):
        lu = math.dist(p0, p1)
        lv = math.dist(p0, p3)
        tex = self.faces.get(name)
        if tex is not None:
            return tex
        mat = self.mat
        if isinstance(mat, Image.Image):
            return mat
        if isinstance(mat, Wood):
            dims = [self.hi[i] - self.lo[i] for i in range(3)]
            axis = dims.index(max(dims))
            u_axis = max(range(3), key=lambda i: abs(p1[i] - p0[i]))
            v_axis = max(range(3), key=lambda i: abs(p3[i] - p0[i]))
            s = mat.ppcm
            tw, th = max(2, int(lu * s)), max(2, int(lv * s))
            if v_axis == axis:
                src, end_grain = mat.v, False
            else:
                src, end_grain = mat.h, u_axis != axis
            tw, th = min(tw, src.width), min(th, src.height)
            x = mat.r.randint(0, src.width - tw)
            y = mat.r.randint(0, src.height - th)
            crop = src.crop((x, y, x + tw, y + th))
            return brightness(crop, 0.78) if end_grain else crop
        return Image.new("RGB", (4, 4), mat)


def render_boxes(canvas, cam, boxes, floor_y=0.0, shadow_opacity=0.5, shadow_blur=14):
    """Floor shadows, then the boxes far to near with their visible faces lit."""
    sh = Image.new("L", canvas.size, 0)
    sd = ImageDraw.Draw(sh)
    for b in boxes:
        if not b.shadow:
            continue
        pts = []
        for sel in [(i, j, k) for i in (0, 1) for j in (0, 1) for k in (0, 1)]:
            p = b.corner(sel)
            t = (p[1] - floor_y) / -LIGHT[1]
            q = v_add(p, v_mul(LIGHT, t))
            pts.append(cam.p((q[0], floor_y, q[2])))
        hull = convex_hull(pts)
        if len(hull) >= 3:
            sd.polygon(hull, fill=255)
        if b.lo[1] <= floor_y + 0.5:  # contact darkening right under the box
            foot = [cam.p((b.lo[0] - 1.5, floor_y, b.lo[2] - 1.5)), cam.p((b.hi[0] + 1.5, floor_y, b.lo[2] - 1.5)),
                    cam.p((b.hi[0] + 1.5, floor_y, b.hi[2] + 1.5)), cam.p((b.lo[0] - 1.5, floor_y, b.hi[2] + 1.5))]
            sd.polygon(foot, fill=255)
    sh = sh.filter(ImageFilter.GaussianBlur(shadow_blur)).point(lambda v: int(v * shadow_opacity))
    canvas.paste(Image.new("RGB", canvas.size, (30, 26, 24)), (0, 0), sh)
    for b in sorted(boxes, key=cam.order):
        for name, (s0, s1, s2, s3, n) in FACES.items():
            p0, p1, p2, p3 = (b.corner(s) for s in (s0, s1, s2, s3))
            c = v_mul(v_add(p0, p2), 0.5)
            if dot(n, v_sub(cam.eye, c)) <= 0:
                continue
            lit = 0.5 + 0.62 * max(0.0, -dot(n, LIGHT))
            tex = b.texture(name, p0, p1, p3)
            draw_quad(canvas, [cam.p(p) for p in (p0, p1, p2, p3)], tex, lit)


def convex_hull(pts):
    pts = sorted(set((round(x, 2), round(y, 2)) for x, y in pts))
    if len(pts) <= 2:
        return pts

    def turn(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def room(size, cam, wall_tex, floor_tex, wall_z=-160, extent=700, near_z=220):
    """Back wall and floor as two big textured planes."""
    img = Image.new("RGB", size, (200, 200, 200))
    draw_quad(img, [cam.p(p) for p in ((-extent, 400, wall_z), (extent, 400, wall_z), (extent, 0, wall_z),
                                       (-extent, 0, wall_z))], wall_tex)
    draw_quad(img, [cam.p(p) for p in ((-extent, 0, wall_z), (extent, 0, wall_z), (extent, 0, near_z),
                                       (-extent, 0, near_z))], floor_tex)
    # a skirting board where they meet
    a, b = cam.p((-extent, 0, wall_z)), cam.p((extent, 0, wall_z))
    ImageDraw.Draw(img).line([a, b], fill=(150, 140, 130), width=3)
    return img


# ---------------------------------------------------------------------------
# textures


def wood_texture(size, r, light=(196, 142, 88), dark=(122, 74, 40), ring=13):
    w, h = size
    img = Image.new("RGB", size, light)
    d = ImageDraw.Draw(img)
    phase = r.random() * 6.28
    freq = r.uniform(0.002, 0.005)
    amp = r.uniform(8, 24)
    knots = [(r.uniform(0, w), r.uniform(0, h), r.uniform(14, 34)) for _ in range(r.randint(1, 3))]
    y = -ring * 2.0
    while y < h + ring * 2:
        t = r.random()
        col = mix(light, dark, 0.2 + 0.65 * t * t)
        width = r.choice([1, 2, 2, 3, 4, 5])
        pts = []
        for x in range(-40, w + 60, 24):
            yy = y + amp * math.sin(x * freq + phase + y * 0.004)
            for kx, ky, kr in knots:
                dx, dy = x - kx, yy - ky
                dist = math.hypot(dx * 0.5, dy)
                if dist < kr * 3:
                    yy += (kr * 3 - dist) * 0.55 * (1 if dy >= 0 else -1)
            pts.append((x, yy))
        d.line(pts, fill=col, width=width)
        y += r.uniform(ring * 0.3, ring)
    for kx, ky, kr in knots:
        for i in range(5, 0, -1):
            c = mix(light, dark, 0.4 + 0.1 * i)
            d.ellipse([kx - kr * i / 4, ky - kr * i / 8, kx + kr * i / 4, ky + kr * i / 8], outline=c, width=2)
    img = add_noise(img, r, 14, scale=60)
    return img.filter(ImageFilter.GaussianBlur(1.1))


def planks(size, r, light, dark, plank=180):
    img = wood_texture(size, r, light, dark, ring=16)
    d = ImageDraw.Draw(img)
    for y in range(0, size[1], plank):
        d.line([(0, y), (size[0], y)], fill=shade(dark, 0.7), width=3)
        x = r.randint(0, size[0])
        d.line([(x, y), (x, y + plank)], fill=shade(dark, 0.7), width=3)
        band = img.crop((0, y + 3, size[0], min(y + plank, size[1])))
        img.paste(brightness(band, r.uniform(0.9, 1.08)), (0, y + 3))
    return img


def tiles(size, r, color=(214, 204, 188), grout=(170, 160, 146), tile=160):
    w, h = size
    img = Image.new("RGB", size, grout)
    d = ImageDraw.Draw(img)
    for y in range(0, h, tile):
        for x in range(0, w, tile):
            d.rectangle([x + 3, y + 3, x + tile - 3, y + tile - 3], fill=jitter(color, r, 6))
    return add_noise(img, r, 10, scale=20)


def plain_texture(size, r, color, amp=10, scale=30):
    return add_noise(Image.new("RGB", size, color), r, amp, scale)


def carpet(size, r, color=(96, 100, 110)):
    img = add_noise(Image.new("RGB", size, color), r, 26, scale=2)
    return add_noise(img, r, 10, scale=40).filter(ImageFilter.GaussianBlur(1.2))


def coir_texture(size, r, base=(170, 112, 58), density=90):
    w, h = size
    img = Image.new("RGB", size, shade(base, 0.72))
    d = ImageDraw.Draw(img)
    pal = [(186, 126, 66), (150, 96, 48), (204, 150, 90), (128, 80, 40), (176, 120, 70), (214, 168, 110)]
    pal = [mix(p, base, 0.3) for p in pal]
    for _ in range(w * h // density):
        x, y = r.uniform(0, w), r.uniform(0, h)
        a = r.uniform(0, math.pi)
        length = r.uniform(6, 24)
        d.line([(x, y), (x + length * math.cos(a), y + length * math.sin(a))],
               fill=jitter(r.choice(pal), r, 10), width=r.choice([1, 2, 2, 3]))
    img = add_noise(img, r, 16, scale=26)
    return img.filter(ImageFilter.GaussianBlur(0.6))


def knit_texture(size, r, color, stitch=14):
    w, h = size
    img = Image.new("RGB", size, shade(color, 0.74))
    d = ImageDraw.Draw(img)
    sw, sh = stitch, int(stitch * 1.15)
    hi, lo = shade(color, 1.06), shade(color, 0.9)
    lw = max(2, int(sw / 2.6))
    for y in range(-sh, h + sh, sh):
        for x in range(0, w + sw, sw):
            d.line([(x, y), (x + sw / 2, y + sh)], fill=jitter(hi, r, 5), width=lw)
            d.line([(x + sw, y), (x + sw / 2, y + sh)], fill=jitter(lo, r, 5), width=lw)
    return img.filter(ImageFilter.GaussianBlur(0.7))


def leather_texture(size, r, color, pebble=12):
    img = Image.new("RGB", size, color)
    img = add_noise(img, r, 10, scale=60)
    img = add_noise(img, r, pebble, scale=3)
    return img.filter(ImageFilter.GaussianBlur(0.9))


def weave_texture(size, r, light, dark, cell=34, band_rows=(), band_color=None, twill=False):
    w, h = size
    img = Image.new("RGB", size, shade(dark, 0.8))
    d = ImageDraw.Draw(img)
    for j, y in enumerate(range(0, h + cell, cell)):
        for i, x in enumerate(range(0, w + cell, cell)):
            horiz = ((i + j // 2) if twill else (i + j)) % 2 == 0
            col = band_color if (band_color and j % 12 in band_rows) else light
            col = jitter(col, r, 9)
            if horiz:
                d.rectangle([x, y + 2, x + cell, y + cell - 2], fill=shade(col, 0.8))
                d.rectangle([x + 3, y + 5, x + cell - 3, y + cell - 5], fill=col)
                d.line([(x + 5, y + cell * 0.38), (x + cell - 5, y + cell * 0.38)], fill=shade(col, 1.1), width=2)
            else:
                d.rectangle([x + 2, y, x + cell - 2, y + cell], fill=shade(col, 0.76))
                d.rectangle([x + 5, y + 3, x + cell - 5, y + cell - 3], fill=shade(col, 0.94))
                d.line([(x + cell * 0.38, y + 5), (x + cell * 0.38, y + cell - 5)], fill=shade(col, 1.04), width=2)
    return img.filter(ImageFilter.GaussianBlur(0.6))


def kraft_texture(size, r, color=(186, 146, 100)):
    img = add_noise(Image.new("RGB", size, color), r, 14, scale=30)
    d = ImageDraw.Draw(img)
    w, h = size
    for _ in range(w * h // 900):
        x, y = r.uniform(0, w), r.uniform(0, h)
        a = r.uniform(0, math.pi)
        d.line([(x, y), (x + 9 * math.cos(a), y + 9 * math.sin(a))], fill=jitter(shade(color, 0.85), r, 8), width=1)
    return img.filter(ImageFilter.GaussianBlur(0.5))


def kawung(size, r, bg=(88, 54, 30), petal=(236, 218, 180), line=(58, 34, 18), dot=(160, 104, 52), cell=130):
    w, h = size
    img = Image.new("RGB", size, bg)
    d = ImageDraw.Draw(img)
    c = cell
    lw = max(2, c // 40)
    for gy in range(-1, h // c + 2):
        for gx in range(-1, w // c + 2):
            x, y = gx * c, gy * c
            for ex, ey, ax, ay in ((x, y - c / 4, 0.15, 0.24), (x, y + c / 4, 0.15, 0.24),
                                   (x - c / 4, y, 0.24, 0.15), (x + c / 4, y, 0.24, 0.15)):
                box = [ex - ax * c, ey - ay * c, ex + ax * c, ey + ay * c]
                d.ellipse(box, fill=jitter(petal, r, 4), outline=line, width=lw)
                ib = [ex - ax * c * 0.55, ey - ay * c * 0.55, ex + ax * c * 0.55, ey + ay * c * 0.55]
                d.ellipse(ib, outline=dot, width=lw)
                d.ellipse([ex - c * 0.025, ey - c * 0.025, ex + c * 0.025, ey + c * 0.025], fill=line)
            d.ellipse([x - c * 0.05, y - c * 0.05, x + c * 0.05, y + c * 0.05], fill=dot)
            mx, my = x + c / 2, y + c / 2
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                d.line([(mx, my), (mx + dx * c * 0.09, my + dy * c * 0.09)], fill=petal, width=lw)
    # wax crackle, the mark of hand-drawn batik
    for _ in range(w * h // 30000):
        x, y = r.uniform(0, w), r.uniform(0, h)
        pts = [(x, y)]
        for _ in range(r.randint(3, 7)):
            x += r.uniform(-25, 25)
            y += r.uniform(-25, 25)
            pts.append((x, y))
        d.line(pts, fill=shade(bg, 0.8), width=1)
    return img


def parang(size, r, bg=(238, 226, 200), fg=(100, 58, 30), accent=(44, 34, 64), band=120):
    w, h = size
    diag = int(math.hypot(w, h)) + band * 2
    big = Image.new("RGB", (diag, diag), bg)
    d = ImageDraw.Draw(big)
    lw = max(2, band // 30)
    for by in range(0, diag, band):
        d.rectangle([0, by + band * 0.14, diag, by + band * 0.86], fill=fg)
        for bx in range(0, diag + band, band):
            cx, cy = bx + band / 2, by + band / 2
            d.ellipse([cx - band * 0.3, cy - band * 0.3, cx + band * 0.3, cy + band * 0.3], fill=bg)
            d.ellipse([cx - band * 0.18, cy - band * 0.18, cx + band * 0.18, cy + band * 0.18], fill=fg)
            d.ellipse([cx - band * 0.07, cy - band * 0.07, cx + band * 0.07, cy + band * 0.07], fill=accent)
            d.arc([bx + band * 0.7, by + band * 0.2, bx + band * 1.3, by + band * 0.8], 200, 340, fill=bg, width=lw * 2)
            d.arc([bx + band * 0.7, by + band * 0.2, bx + band * 1.3, by + band * 0.8], 20, 160, fill=bg, width=lw * 2)
        d.line([(0, by + band * 0.1), (diag, by + band * 0.1)], fill=accent, width=lw)
        d.line([(0, by + band * 0.9), (diag, by + band * 0.9)], fill=accent, width=lw)
        for bx in range(0, diag, band // 4):
            d.ellipse([bx - lw, by - lw, bx + lw, by + lw], fill=accent)
    big = big.rotate(45, resample=BICUBIC)
    left, top = (diag - w) // 2, (diag - h) // 2
    return big.crop((left, top, left + w, top + h))


def folds(img, r, count=5, depth=0.28, vertical=True):
    """Soft cloth folds: bands of light and shadow across the fabric."""
    w, h = img.size
    n = w if vertical else h
    row = Image.new("L", (n, 1))
    phases = [(r.uniform(0.5, 1.5) * count * 2 * math.pi / n, r.uniform(0, 6.28)) for _ in range(2)]
    for i in range(n):
        v = sum(math.sin(i * f + p) for f, p in phases) / 2
        row.putpixel((i, 0), clamp(int(255 * (1 - depth * (0.5 - 0.5 * v) ** 1.5))))
    m = row.resize((w, h), BILINEAR) if vertical else row.resize((h, w), BILINEAR).rotate(90, expand=True)
    return ImageChops.multiply(img, Image.merge("RGB", (m, m, m)))


def flower(d, cx, cy, rad, petal, centre, leaf=(96, 140, 80)):
    for k in range(2):
        a = math.radians(200 + k * 140)
        lx, ly = cx + rad * 1.5 * math.cos(a), cy + rad * 1.5 * math.sin(a)
        d.ellipse([lx - rad * 0.6, ly - rad * 0.3, lx + rad * 0.6, ly + rad * 0.3], fill=leaf)
    for k in range(5):
        a = math.radians(k * 72 - 90)
        px, py = cx + rad * 0.62 * math.cos(a), cy + rad * 0.62 * math.sin(a)
        d.ellipse([px - rad * 0.45, py - rad * 0.45, px + rad * 0.45, py + rad * 0.45], fill=petal)
    d.ellipse([cx - rad * 0.28, cy - rad * 0.28, cx + rad * 0.28, cy + rad * 0.28], fill=centre)


# ---------------------------------------------------------------------------
# backgrounds


def studio(size, r, wall=(232, 228, 220), floor=(210, 200, 186), horizon=0.6):
    w, h = size
    hz = int(h * horizon)
    img = vgradient(size, shade(wall, 1.02), shade(wall, 0.86))
    img.paste(vgradient((w, h - hz), shade(floor, 0.86), shade(floor, 1.04)), (0, hz))
    band = int(h * 0.07)
    sweep = img.crop((0, hz - band, w, hz + band)).filter(ImageFilter.GaussianBlur(band / 2))
    img.paste(sweep, (0, hz - band))
    return img


def tabletop(size, r, wall=(226, 222, 214), light=(190, 140, 92), dark=(120, 76, 44), horizon=0.42):
    """A wall and a wooden table seen from a little above."""
    w, h = size
    hz = int(h * horizon)
    img = vgradient(size, shade(wall, 1.0), shade(wall, 0.84))
    tex = planks((1400, 1400), r, light, dark, plank=260).rotate(90)
    draw_quad(img, [(w / 2 - w * 0.75, hz), (w / 2 + w * 0.75, hz), (w / 2 + w * 1.8, h), (w / 2 - w * 1.8, h)], tex)
    d = ImageDraw.Draw(img)
    d.line([(0, hz), (w, hz)], fill=shade(dark, 0.6), width=4)
    return img


# ---------------------------------------------------------------------------
# products: keset (doormats)


def mat_texture(size, r, text, base=(170, 112, 58), dye=(70, 40, 22), lines=None):
    w, h = size
    tex = coir_texture(size, r, base)
    design = Image.new("L", size, 0)
    d = ImageDraw.Draw(design)
    inset, band = int(h * 0.07), int(h * 0.07)
    d.rectangle([inset, inset, w - inset, h - inset], outline=255, width=band)
    inner = inset + band + int(h * 0.05)
    d.rectangle([inner, inner, w - inner, h - inner], outline=255, width=max(6, band // 4))
    lines = lines or [text]
    area_h = h - 2 * inner - 2 * band
    fs = int(min(area_h / len(lines) * 0.72, h * 0.3))
    for i, line in enumerate(lines):
        y = h / 2 + (i - (len(lines) - 1) / 2) * fs * 1.15
        f = fit_font(line, w - 2 * inner - 2 * band, fs)
        d.text((w / 2, y), line, font=f, fill=255, anchor="mm", stroke_width=max(3, fs // 14), stroke_fill=255)
    # dyed fibres have ragged edges
    design = design.filter(ImageFilter.GaussianBlur(4))
    rough = ImageChops.add(design, noise(size, r, 2).point(lambda v: v // 3), 1.0, -42)
    design = rough.point(lambda v: 255 if v > 110 else 0).filter(ImageFilter.GaussianBlur(1))
    dyed = ImageChops.multiply(tex, Image.new("RGB", size, shade(dye, 2.0)))
    return Image.composite(brightness(dyed, 0.7), tex, design)


def scene_doormat(size, r, text="WELCOME", lines=None, base=(170, 112, 58)):
    w, h = size
    img = Image.new("RGB", size)
    hz = int(h * 0.3)
    # a wall with a wooden door above the floor
    img.paste(vgradient((w, hz), (222, 214, 200), (200, 192, 178)), (0, 0))
    door = planks((int(w * 0.46), hz), r, (150, 96, 56), (96, 58, 32), plank=10000).rotate(0)
    img.paste(door, (int(w * 0.27), 0))
    d = ImageDraw.Draw(img)
    d.rectangle([int(w * 0.27) - 14, 0, int(w * 0.73) + 14, hz], outline=(236, 230, 220), width=14)
    floor = tiles((1800, 1800), r)
    draw_quad(img, [(-w * 0.4, hz), (w * 1.4, hz), (w * 2.6, h * 1.3), (-w * 1.6, h * 1.3)], floor)
    d.line([(0, hz), (w, hz)], fill=(120, 110, 100), width=5)
    mw, mh = 1500, 900
    mat = mat_texture((mw, mh), r, text, base=base, lines=lines).convert("RGBA")
    quad = [(w * 0.2, h * 0.42), (w * 0.8, h * 0.42), (w * 0.95, h * 0.9), (w * 0.05, h * 0.9)]
    coeffs = perspective_coeffs(quad, [(0, 0), (mw, 0), (mw, mh), (0, mh)])
    flat = mat.transform(size, Image.Transform.PERSPECTIVE, coeffs, BILINEAR)
    # the mat's thickness along its front edge
    edge = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(edge).polygon([quad[3], quad[2], (quad[2][0], quad[2][1] + 22), (quad[3][0], quad[3][1] + 22)],
                                 fill=(92, 58, 30, 255))
    edge.alpha_composite(flat)
    return finish(paste_shadowed(img, edge, (0, 0), offset=(10, 14), blur=14, opacity=0.5, contact=False),
                  r, light=(0.45, 0.2), strength=0.45)


def scene_doormat_detail(size, r, text="WELCOME"):
    w, h = size
    mat = mat_texture((int(w * 1.5), int(h * 1.5)), r, text, lines=[text])
    crop = mat.crop((0, 0, int(w * 0.9), int(h * 0.9))).resize(size, BICUBIC).rotate(-6, resample=BICUBIC,
                                                                                       fillcolor=(120, 80, 44))
    crop = crop.crop((40, 40, w - 40, h - 40)).resize(size, BICUBIC)
    return finish(crop, r, light=(0.1, 0.1), strength=0.5)


def scene_rag_rug(size, r):
    w, h = size
    img = Image.new("RGB", size)
    floor = planks((1600, 1600), r, (200, 160, 116), (140, 100, 64), plank=200)
    draw_quad(img, [(-w * 0.3, -h * 0.1), (w * 1.3, -h * 0.1), (w * 1.7, h * 1.1), (-w * 0.7, h * 1.1)], floor)
    rug = Image.new("RGBA", (1300, 860), (0, 0, 0, 0))
    d = ImageDraw.Draw(rug)
    palette = [(190, 48, 52), (40, 90, 160), (230, 180, 40), (60, 140, 90), (220, 110, 40), (120, 60, 130),
               (236, 230, 220), (30, 120, 140)]
    cx, cy = 650, 430
    ring = 24
    k = 0
    for rx in range(630, 40, -ring):
        ry = rx * 0.64
        col = palette[(k * 3) % len(palette)] if k % 3 else jitter(r.choice(palette), r, 10)
        k += 1
        step = 7
        for a in range(0, 360, step):
            c = col if (a // step) % 2 else shade(col, 0.78)
            d.arc([cx - rx, cy - ry, cx + rx, cy + ry], a, a + step + 1, fill=jitter(c, r, 6), width=ring - 2)
    rug = rotated(rug, r.uniform(-8, 8))
    img = paste_shadowed(img, rug, ((w - rug.width) // 2, (h - rug.height) // 2), offset=(8, 10), blur=10)
    return finish(img, r, light=(0.3, 0.25))


# ---------------------------------------------------------------------------
# products: batik, clothes


def batik_pattern(size, r, motif, colours):
    if motif == "kawung":
        return kawung(size, r, *colours)
    return parang(size, r, *colours)


def scene_batik_hanging(size, r, motif="kawung", colours=(), cell=110):
    w, h = size
    img = studio(size, r, wall=(230, 226, 218), horizon=0.93)
    cw, ch = int(w * 0.78), int(h * 0.82)
    cloth = batik_pattern((cw, ch), r, motif, colours)
    d = ImageDraw.Draw(cloth)
    # pinggiran: the plain border with thin stripes
    edge = colours[2] if len(colours) > 2 else (60, 36, 20)
    for inset, width in ((0, 26), (34, 6)):
        d.rectangle([inset, inset, cw - inset, ch - inset], outline=edge, width=width)
    cloth = folds(cloth, r, count=4, depth=0.35)
    mask = Image.new("L", (cw, ch), 0)
    md = ImageDraw.Draw(mask)
    hem = [(x, ch - 12 + 10 * math.sin(x / 70)) for x in range(0, cw + 1, 20)]
    md.polygon([(0, 0), (cw, 0)] + hem[::-1], fill=255)
    obj = as_object(cloth, mask)
    x0, y0 = (w - cw) // 2, int(h * 0.08)
    img = paste_shadowed(img, obj, (x0, y0), offset=(16, 18), blur=18, contact=False)
    d = ImageDraw.Draw(img)
    # bamboo rod with two cords
    d.rounded_rectangle([x0 - 60, y0 - 26, x0 + cw + 60, y0 + 8], radius=16, fill=(196, 170, 110))
    for x in range(x0 - 40, x0 + cw + 60, 180):
        d.line([(x, y0 - 26), (x, y0 + 8)], fill=(150, 126, 76), width=5)
    for x in (x0 + cw * 0.2, x0 + cw * 0.8):
        d.line([(x, y0 - 20), (w / 2, 0)], fill=(90, 80, 70), width=4)
    return finish(img, r, light=(0.4, 0.2), strength=0.4)


def scene_batik_detail(size, r, motif="kawung", colours=()):
    w, h = size
    big = kawung((int(w * 1.3), int(h * 1.3)), r, *colours, cell=260) if motif == "kawung" else \
        parang((int(w * 1.3), int(h * 1.3)), r, *colours, band=220)
    big = folds(big, r, count=2, depth=0.3).rotate(r.uniform(-10, 10), resample=BICUBIC)
    x, y = (big.width - w) // 2, (big.height - h) // 2
    return finish(big.crop((x, y, x + w, y + h)), r, light=(0.3, 0.2), strength=0.35)


def scene_batik_folded(size, r, stack):
    """Folded cloths stacked on a table; stack: list of (motif, colours)."""
    w, h = size
    img = tabletop(size, r, horizon=0.35)
    y = h * 0.86
    for i, (motif, colours) in enumerate(stack):
        fw, fh = int(w * 0.62) - i * 16, int(h * 0.13)
        face = batik_pattern((fw, fh), r, motif, colours)
        top = batik_pattern((fw, int(fh * 1.6)), r, motif, colours)
        piece = Image.new("RGBA", (fw + 60, fh + 90), (0, 0, 0, 0))
        t = brightness(top, 1.05).convert("RGBA")
        tq = [(30, 0), (fw + 30, 0), (fw, 90), (0, 90)]
        coeffs = perspective_coeffs(tq, [(0, 0), (t.width, 0), (t.width, t.height), (0, t.height)])
        piece.alpha_composite(t.transform(piece.size, Image.Transform.PERSPECTIVE, coeffs, BILINEAR))
        f = ImageChops.multiply(face, vgradient(face.size, (250, 250, 250), (170, 170, 170))).convert("RGBA")
        m = Image.new("L", f.size, 0)
        ImageDraw.Draw(m).rounded_rectangle([0, 0, fw, fh], radius=fh // 2, fill=255)
        f.putalpha(m)
        piece.alpha_composite(f, (0, 80))
        x = (w - fw) / 2 + r.uniform(-14, 14)
        img = paste_shadowed(img, piece, (x, y - fh - 80), offset=(10, 8), blur=10, opacity=0.35, contact=False)
        y -= fh - 4
    return finish(img, r, light=(0.35, 0.1))


SHIRT = [(0.38, 0.03), (0.62, 0.03), (0.80, 0.08), (1.0, 0.32), (0.87, 0.42), (0.79, 0.32), (0.79, 1.0),
         (0.21, 1.0), (0.21, 0.32), (0.13, 0.42), (0.0, 0.32), (0.20, 0.08)]


def shirt_object(W, H, r, tex, collar=True, neck_colour=None):
    mask = Image.new("L", (W, H), 0)
    md = ImageDraw.Draw(mask)
    md.polygon(scaled(SHIRT, W, H), fill=255)
    tex = folds(tex, r, count=3, depth=0.22)
    tex = rim_darken(tex, mask, 11, 0.7)
    d = ImageDraw.Draw(tex)
    if collar:
        dark = shade(neck_colour or (70, 44, 26), 1.0)
        d.polygon(scaled([(0.38, 0.03), (0.5, 0.16), (0.44, 0.18), (0.33, 0.07)], W, H), fill=dark)
        d.polygon(scaled([(0.62, 0.03), (0.5, 0.16), (0.56, 0.18), (0.67, 0.07)], W, H), fill=shade(dark, 0.9))
        d.line(scaled([(0.5, 0.16), (0.5, 1.0)], W, H), fill=shade(dark, 0.8), width=5)
        for k in range(6):
            y = H * (0.22 + k * 0.13)
            d.ellipse([W * 0.5 - 9, y - 9, W * 0.5 + 9, y + 9], fill=(232, 222, 200), outline=(120, 100, 80))
    else:
        md.ellipse([W * 0.4, -H * 0.04, W * 0.6, H * 0.1], fill=0)
        d.arc([W * 0.4, -H * 0.04, W * 0.6, H * 0.1], 0, 180, fill=shade(neck_colour or (90, 90, 90), 1.0), width=14)
    return as_object(tex, mask)


def hanger(d, cx, top, width):
    d.arc([cx - 26, top - 60, cx + 26, top - 8], 180, 90, fill=(160, 160, 166), width=7)
    d.line([(cx, top - 10), (cx, top + 8)], fill=(160, 160, 166), width=7)
    d.line([(cx - width / 2, top + 60), (cx, top + 8), (cx + width / 2, top + 60)], fill=(150, 104, 60), width=18)


def scene_shirt_batik(size, r, motif="parang", colours=()):
    w, h = size
    img = studio(size, r, wall=(228, 226, 220), horizon=0.97)
    W, H = int(w * 0.9), int(h * 0.64)
    tex = batik_pattern((W, H), r, motif, colours)
    obj = shirt_object(W, H, r, tex, collar=True, neck_colour=colours[1] if colours else None)
    x0, y0 = (w - W) // 2, int(h * 0.14)
    img = paste_shadowed(img, obj, (x0, y0), offset=(18, 22), blur=22, contact=False)
    hanger(ImageDraw.Draw(img), w / 2, y0 - 10, W * 0.62)
    return finish(img, r, light=(0.4, 0.2))


def scene_tshirt(size, r, colour=(30, 30, 34), ink=(240, 200, 60), ink2=(240, 240, 236)):
    w, h = size
    img = tabletop(size, r, wall=(220, 218, 212), light=(206, 200, 190), dark=(170, 160, 150), horizon=0.0)
    W, H = int(w * 0.8), int(h * 0.74)
    tex = plain_texture((W, H), r, colour, amp=6, scale=20)
    d = ImageDraw.Draw(tex)
    cx, cy = W / 2, H * 0.42
    rad = W * 0.11
    d.ellipse([cx - rad, cy - rad * 1.9, cx + rad, cy - rad * 0.1], outline=ink, width=10)
    for k in range(12):
        a = math.radians(k * 30)
        d.line([(cx + rad * 1.15 * math.cos(a), cy - rad + rad * 1.15 * math.sin(a)),
                (cx + rad * 1.45 * math.cos(a), cy - rad + rad * 1.45 * math.sin(a))], fill=ink, width=8)
    text_center(d, (cx, cy + rad * 0.6), "BANGKIT", W * 0.075, ink2, bold=3, max_width=W * 0.5)
    text_center(d, (cx, cy + rad * 1.5), "BERKARYA", W * 0.075, ink2, bold=3, max_width=W * 0.5)
    text_center(d, (cx, cy + rad * 2.2), "LPKA TANGERANG", W * 0.03, ink, bold=1)
    obj = shirt_object(W, H, r, tex, collar=False, neck_colour=shade(colour, 0.8))
    img = paste_shadowed(img, rotated(obj, r.uniform(-4, 4)), ((w - W) // 2 - 20, int(h * 0.12)), offset=(12, 14),
                         blur=14, contact=False)
    return finish(img, r, light=(0.35, 0.15))


def mukena_texture(size, r, colour=(246, 244, 238), thread=(176, 140, 190), gold=(214, 176, 96)):
    W, H = size
    tex = plain_texture(size, r, colour, amp=6, scale=40)
    d = ImageDraw.Draw(tex)
    for y in (H * 0.84, H * 0.9):
        d.line([(0, y), (W, y)], fill=gold, width=5)
    for x in range(40, W, 110):
        flower(d, x, H * 0.87, 24, thread, gold, leaf=(140, 170, 120))
    for x in range(0, W, 44):
        d.arc([x, H * 0.93, x + 44, H * 0.97], 0, 180, fill=thread, width=4)
    return folds(tex, r, count=5, depth=0.25)


def scene_mukena(size, r):
    w, h = size
    img = studio(size, r, wall=(214, 222, 228), floor=(200, 204, 206), horizon=0.92)
    W, H = int(w * 0.78), int(h * 0.86)
    outline = smooth(scaled([(0.5, 0.0), (0.72, 0.04), (0.84, 0.24), (0.93, 0.6), (1.0, 0.99), (0.5, 1.0),
                             (0.0, 0.99), (0.07, 0.6), (0.16, 0.24), (0.28, 0.04)], W, H), 8)
    mask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(mask).polygon(outline, fill=255)
    tex = mukena_texture((W, H), r)
    d = ImageDraw.Draw(tex)
    face = [W * 0.36, H * 0.09, W * 0.64, H * 0.33]
    d.ellipse(face, fill=(222, 220, 214))
    d.ellipse(face, outline=(214, 176, 96), width=6)
    for k in range(16):
        a = math.radians(k * 22.5)
        fx = W * 0.5 + W * 0.155 * math.cos(a)
        fy = H * 0.21 + H * 0.135 * math.sin(a)
        flower(d, fx, fy, 10, (176, 140, 190), (214, 176, 96), leaf=(140, 170, 120))
    tex = ImageChops.multiply(tex, cyl_shade((W, H), dark=0.8, highlight=0.4))
    obj = as_object(rim_darken(tex, mask, 9, 0.82), mask)
    img = paste_shadowed(img, obj, ((w - W) // 2, int(h * 0.07)), offset=(18, 20), blur=22, opacity=0.3)
    return finish(img, r, light=(0.4, 0.25), strength=0.35, tint=(252, 252, 255))


def scene_embroidery_detail(size, r):
    """A close look at the bordir along the hem: satin-stitched flowers, a gold chain, a scalloped edge."""
    w, h = size
    img = plain_texture(size, r, (246, 244, 238), amp=5, scale=40)
    d = ImageDraw.Draw(img)
    thread, gold, leaf = (168, 128, 186), (212, 172, 92), (130, 166, 112)
    for y in (h * 0.3, h * 0.7):
        for x in range(0, w, 28):  # chain stitch
            d.ellipse([x, y - 8, x + 24, y + 8], outline=gold, width=4)
    for x in range(-60, w + 120, 300):
        flower(d, x + 150, h * 0.5, 95, thread, gold, leaf)
        for k in range(5):  # satin stitch: fine threads across each petal
            a = math.radians(k * 72 - 90)
            px, py = x + 150 + 95 * 0.62 * math.cos(a), h * 0.5 + 95 * 0.62 * math.sin(a)
            for t in range(-36, 37, 6):
                dx, dy = -math.sin(a) * t, math.cos(a) * t
                half = math.sqrt(max(0, 42 ** 2 - t * t))
                d.line([(px + dx - math.cos(a) * half, py + dy - math.sin(a) * half),
                        (px + dx + math.cos(a) * half, py + dy + math.sin(a) * half)],
                       fill=shade(thread, 1.12), width=2)
    for x in range(0, w, 80):  # the scalloped edge and the lace holes in it
        d.pieslice([x, h * 0.8, x + 80, h * 0.94], 0, 180, fill=(246, 244, 238), outline=thread, width=6)
        d.ellipse([x + 32, h * 0.84, x + 48, h * 0.88], fill=(120, 110, 120))
    d.rectangle([0, h * 0.93, w, h], fill=(120, 110, 120))
    img = folds(img, r, count=2, depth=0.22)
    img = img.rotate(6, resample=BICUBIC, fillcolor=(120, 110, 120)).crop((60, 60, w - 60, h - 60)).resize(size, BICUBIC)
    return finish(img, r, light=(0.2, 0.3), strength=0.45, tint=(252, 252, 255))


def scene_scarf(size, r, motif="parang", colours=()):
    w, h = size
    img = studio(size, r, wall=(236, 232, 226), horizon=0.95)
    d = ImageDraw.Draw(img)
    rod_y = int(h * 0.12)
    d.rounded_rectangle([int(w * 0.12), rod_y - 14, int(w * 0.88), rod_y + 14], radius=14, fill=(150, 104, 62))
    for i, x in enumerate((0.26, 0.52)):
        sw, sh = int(w * 0.22), int(h * 0.74) - i * 60
        tex = folds(batik_pattern((sw, sh), r, motif, colours), r, count=2, depth=0.3)
        td = ImageDraw.Draw(tex)
        for fx in range(4, sw, 9):  # fringe
            td.line([(fx, sh - 40), (fx + r.randint(-3, 3), sh)], fill=shade(colours[1], 0.9), width=3)
        mask = Image.new("L", (sw, sh), 0)
        md = ImageDraw.Draw(mask)
        md.rectangle([0, 0, sw, sh - 40], fill=255)
        for fx in range(4, sw, 9):
            md.line([(fx, sh - 40), (fx, sh - r.randint(0, 10))], fill=255, width=3)
        obj = as_object(tex, mask)
        img = paste_shadowed(img, rotated(obj, (-1) ** i * 1.5), (int(w * x), rod_y), offset=(14, 14), blur=16,
                             contact=False)
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([int(w * 0.12), rod_y - 14, int(w * 0.88), rod_y + 14], radius=14, fill=(150, 104, 62))
    return finish(img, r, light=(0.35, 0.2))


def scene_beanie(size, r, colour=(40, 60, 96), cuff=(220, 170, 60)):
    w, h = size
    img = tabletop(size, r, horizon=0.45)
    W, H = int(w * 0.6), int(h * 0.58)
    tex = knit_texture((W, H), r, colour, stitch=16)
    td = ImageDraw.Draw(tex)
    ctex = knit_texture((W, int(H * 0.3)), r, cuff, stitch=16)
    cd = ImageDraw.Draw(ctex)
    for x in range(0, W, 24):
        cd.line([(x, 0), (x, ctex.height)], fill=shade(cuff, 0.72), width=6)
    tex.paste(ctex, (0, int(H * 0.66)))
    tex = ImageChops.multiply(tex, cyl_shade((W, H), dark=0.6))
    mask = Image.new("L", (W, H), 0)
    md = ImageDraw.Draw(mask)
    md.ellipse([W * 0.06, H * 0.14, W * 0.94, H * 1.2], fill=255)
    md.rectangle([0, H * 0.66, W, H], fill=0)
    md.rounded_rectangle([W * 0.02, H * 0.64, W * 0.98, H * 0.97], radius=30, fill=255)
    # pompom
    pc = (W / 2, H * 0.14)
    for _ in range(1400):
        a = r.uniform(0, 6.28)
        length = r.uniform(20, 95)
        end = (pc[0] + length * math.cos(a), pc[1] + length * math.sin(a) * 0.9)
        md.line([pc, end], fill=255, width=3)
        td.line([pc, end], fill=jitter(cuff, r, 24), width=3)
    obj = as_object(rim_darken(tex, mask, 9, 0.7), mask)
    img = paste_shadowed(img, obj, ((w - W) // 2, int(h * 0.3)), offset=(20, 12), blur=16)
    return finish(img, r, light=(0.3, 0.1))


def scene_tablecloth(size, r):
    w, h = size
    img = studio(size, r, wall=(226, 220, 206), floor=(170, 130, 92), horizon=0.8)
    d = ImageDraw.Draw(img)
    for x in (0.2, 0.78):  # wooden legs under the cloth
        d.rectangle([w * x, h * 0.78, w * x + 34, h * 0.95], fill=(110, 70, 40))
    W, H = int(w * 0.8), int(h * 0.52)
    cloth = plain_texture((W, H), r, (244, 238, 222), amp=6)
    cd = ImageDraw.Draw(cloth)
    top_h = int(H * 0.18)
    for x in range(50, W, 120):
        flower(cd, x, H * 0.84, 26, (200, 80, 96), (236, 196, 70))
    for x in range(0, W, 40):
        cd.arc([x, H * 0.93, x + 40, H * 0.99], 0, 180, fill=(200, 80, 96), width=4)
    cloth = folds(cloth, r, count=6, depth=0.18)
    cloth.paste(brightness(cloth.crop((0, 0, W, top_h)), 1.08), (0, 0))
    mask = Image.new("L", (W, H), 0)
    md = ImageDraw.Draw(mask)
    md.polygon([(W * 0.08, 0), (W * 0.92, 0), (W, top_h), (W, H * 0.96)] +
               [(x, H * 0.96 + 10 * math.sin(x / 20)) for x in range(W, -1, -20)] + [(0, top_h)], fill=255)
    img = paste_shadowed(img, as_object(cloth, mask), ((w - W) // 2, int(h * 0.36)), offset=(10, 16), blur=18,
                         contact=False)
    d = ImageDraw.Draw(img)
    # a small vase of flowers on the table
    vx, vy = w * 0.62, h * 0.42
    for k in range(5):
        a = math.radians(-130 + k * 20)
        tip = (vx + 140 * math.cos(a) + 30, vy - 40 + 140 * math.sin(a) - 60)
        d.line([(vx + 30, vy - 20), tip], fill=(70, 110, 60), width=5)
        flower(d, tip[0], tip[1], 22, jitter((230, 120, 140), r, 30), (246, 210, 90))
    d.rounded_rectangle([vx, vy - 40, vx + 60, vy + 30], radius=22, fill=(70, 110, 150))
    return finish(img, r, light=(0.4, 0.25))


# ---------------------------------------------------------------------------
# products: furniture (rendered as boxes)


def scene_chair(size, r, view=0, wood=None):
    wood = wood or Wood(r, (190, 136, 84), (118, 72, 38))
    boxes = chair_boxes(wood)
    eyes = [(95, 105, 140), (-125, 95, 85)]
    cam = Cam(eyes[view % 2], (0, 44, -3), 44, size)
    img = room(size, cam, vgradient((800, 800), (236, 232, 224), (214, 208, 198)),
               tiles((2000, 2000), r, (206, 200, 192), (186, 178, 168), tile=200))
    render_boxes(img, cam, boxes)
    return finish(img, r, light=(0.3, 0.2))


def chair_boxes(wood, ox=0.0, oz=0.0, s=1.0):
    def b(x0, y0, z0, x1, y1, z1):
        return Box(ox + x0 * s, y0 * s, oz + z0 * s, ox + x1 * s, y1 * s, oz + z1 * s, wood)

    boxes = [b(-22.5, 43, -22.5, 22.5, 47, 22.5)]
    for x in (-22, 18):
        boxes.append(b(x, 0, 17.5, x + 4, 43, 21.5))  # front legs
        boxes.append(b(x, 0, -21.5, x + 4, 90, -17.5))  # back legs, up into the backrest
    boxes.append(b(-18, 36, 18, 18, 43, 21))  # apron
    boxes.append(b(-18, 80, -21, 18, 88, -18))  # top rail
    for x in (-12, -2, 8):
        boxes.append(b(x, 47, -20.5, x + 4, 80, -18.5))  # slats
    return boxes


def table_boxes(wood, ox=0.0, oz=0.0, w=110, d=60, hgt=45, top=5, shelf=True):
    boxes = [Box(ox - w / 2, hgt - top, oz - d / 2, ox + w / 2, hgt, oz + d / 2, wood)]
    for x in (-w / 2 + 4, w / 2 - 10):
        for z in (-d / 2 + 4, d / 2 - 10):
            boxes.append(Box(ox + x, 0, oz + z, ox + x + 6, hgt - top, oz + z + 6, wood))
    if shelf:
        boxes.append(Box(ox - w / 2 + 6, 10, oz - d / 2 + 6, ox + w / 2 - 6, 12.5, oz + d / 2 - 6, wood))
    return boxes


def scene_table(size, r, view=0):
    wood = Wood(r, (170, 98, 62), (104, 52, 30))  # trembesi: reddish brown
    eyes = [(120, 130, 200), (-60, 170, 150)]
    cam = Cam(eyes[view % 2], (0, 30, 0), 44, size)
    img = room(size, cam, vgradient((800, 800), (228, 228, 224), (206, 204, 198)),
               carpet((1600, 1600), r, (170, 156, 132)))
    boxes = table_boxes(wood)
    boxes.append(Box(20, 45, -8, 34, 47, 6, (236, 234, 226)))  # a folded cloth on top
    render_boxes(img, cam, boxes)
    return finish(img, r, light=(0.35, 0.15))


def scene_bench(size, r):
    wood = Wood(r, (176, 124, 78), (106, 66, 36))
    cam = Cam((110, 120, 230), (0, 40, 0), 50, size)
    img = room(size, cam, plain_texture((600, 600), r, (212, 214, 206)),
               plain_texture((1200, 1200), r, (160, 158, 150), amp=20, scale=6))
    boxes = [Box(-75, 42, -18, 75, 46, 18, wood)]
    for x in (-70, 62):
        for z in (-16, 10):
            boxes.append(Box(x, 0, z, x + 6, 42, z + 6, wood))
        boxes.append(Box(x, 0, -16, x + 6, 85, -10, wood))
    boxes.append(Box(-64, 10, -4, 62, 15, 0, wood))  # stretcher
    for y in (58, 72):
        boxes.append(Box(-70, y, -16, 68, y + 8, -13, wood))  # back rails
    render_boxes(img, cam, boxes)
    return finish(img, r, light=(0.3, 0.2))


def scene_shelf(size, r):
    wood = Wood(r, (200, 150, 96), (130, 84, 46))
    cam = Cam((70, 110, 260), (0, 75, 0), 44, size)
    img = room(size, cam, vgradient((800, 800), (232, 228, 220), (210, 206, 198)),
               planks((1600, 1600), r, (168, 128, 90), (110, 78, 50), plank=120))
    boxes = [Box(-42, 0, -15, -40, 150, 15, wood), Box(40, 0, -15, 42, 150, 15, wood),
             Box(-40, 0, -15, 40, 1, -14, wood)]
    colours = [(160, 40, 40), (40, 70, 120), (220, 190, 120), (60, 110, 80), (230, 230, 220), (90, 60, 100)]
    for y in (4, 40, 76, 112, 148):
        boxes.append(Box(-40, y - 2, -15, 40, y, 15, wood))
        if y in (40, 112):
            x = -38.0
            while x < 20:
                bw = r.uniform(2, 4.5)
                bh = r.uniform(20, 29)
                boxes.append(Box(x, y, -10, x + bw, y + bh, 8, jitter(r.choice(colours), r, 14), shadow=False))
                x += bw + 0.3
        if y == 76:
            boxes.append(Box(-30, y, -8, -5, y + 12, 10, (200, 170, 120), shadow=False))
            boxes.append(Box(10, y, -6, 24, y + 22, 8, (90, 130, 90), shadow=False))
    render_boxes(img, cam, boxes)
    return finish(img, r, light=(0.3, 0.2))


def scene_cutting_board(size, r):
    w, h = size
    img = tabletop(size, r, light=(226, 220, 210), dark=(190, 182, 170), horizon=0.12)
    W, H = int(w * 0.72), int(h * 0.52)
    tex = wood_texture((W, H), r, (200, 146, 92), (126, 80, 44), ring=10)
    mask = Image.new("L", (W, H), 0)
    md = ImageDraw.Draw(mask)
    md.rounded_rectangle([0, 0, W * 0.82, H], radius=48, fill=255)
    md.rounded_rectangle([W * 0.7, H * 0.32, W, H * 0.68], radius=int(H * 0.18), fill=255)
    md.ellipse([W * 0.9 - 24, H * 0.5 - 24, W * 0.9 + 24, H * 0.5 + 24], fill=0)
    obj = as_object(rim_darken(tex, mask, 13, 0.75), mask)
    img = paste_shadowed(img, rotated(obj, -8), (int(w * 0.1), int(h * 0.25)), offset=(16, 20), blur=16)
    d = ImageDraw.Draw(img)
    for k in range(3):  # a few red chillies
        x, y = w * (0.2 + k * 0.07), h * (0.84 + 0.02 * k)
        pts = [(x + i * 14, y - 30 * math.sin(i / 6)) for i in range(12)]
        for i, p in enumerate(pts):
            rr = 14 - i
            d.ellipse([p[0] - rr, p[1] - rr, p[0] + rr, p[1] + rr], fill=(196, 30, 26))
        d.line([(pts[0][0] - 16, pts[0][1] + 4), pts[0]], fill=(70, 110, 50), width=7)
    return finish(img, r, light=(0.35, 0.2))


# ---------------------------------------------------------------------------
# products: leather


def stitches(d, pts, colour, dash=14, gap=9, width=3):
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        length = math.hypot(x1 - x0, y1 - y0)
        n = int(length // (dash + gap))
        for k in range(n):
            t0, t1 = k * (dash + gap) / length, (k * (dash + gap) + dash) / length
            d.line([(x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0), (x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1)],
                   fill=colour, width=width)


def rect_path(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


def scene_wallet(size, r, open_=False, colour=(122, 70, 38)):
    w, h = size
    img = tabletop(size, r, light=(96, 70, 50), dark=(60, 42, 30), wall=(200, 196, 190), horizon=0.0)
    if not open_:
        W, H = int(w * 0.5), int(h * 0.5)
        tex = leather_texture((W, H), r, colour)
        mask = Image.new("L", (W, H), 0)
        ImageDraw.Draw(mask).rounded_rectangle([0, 0, W, H], radius=40, fill=255)
        d = ImageDraw.Draw(tex)
        stitches(d, rect_path(22, 22, W - 22, H - 22), (222, 196, 150))
        d.text((W * 0.5, H * 0.78), "SMK", font=font(H * 0.09), fill=shade(colour, 0.7), anchor="mm")
        tex = ImageChops.multiply(tex, cyl_shade((W, H), dark=0.75, highlight=0.3))
        obj = rotated(as_object(rim_darken(tex, mask, 11, 0.65), mask), 12)
        img = paste_shadowed(img, obj, ((w - obj.width) // 2, (h - obj.height) // 2), offset=(18, 20), blur=16)
    else:
        W, H = int(w * 0.8), int(h * 0.52)
        tex = leather_texture((W, H), r, colour)
        d = ImageDraw.Draw(tex)
        for side in (0, 1):
            x0 = side * W / 2
            for k in range(4):  # card slots
                y = H * 0.16 + k * H * 0.16
                d.rounded_rectangle([x0 + 30, y, x0 + W / 2 - 30, y + H * 0.4], radius=10,
                                    fill=shade(colour, 0.86 + 0.05 * k), outline=shade(colour, 0.6), width=2)
                stitches(d, [(x0 + 40, y + 10), (x0 + W / 2 - 40, y + 10)], (222, 196, 150), 10, 7, 2)
            stitches(d, rect_path(x0 + 18, 18, x0 + W / 2 - 18, H - 18), (222, 196, 150))
        d.line([(W / 2, 0), (W / 2, H)], fill=shade(colour, 0.55), width=6)
        tex = ImageChops.multiply(tex, hgradient((W, H), (220, 220, 220), (255, 255, 255)))
        mask = Image.new("L", (W, H), 0)
        ImageDraw.Draw(mask).rounded_rectangle([0, 0, W, H], radius=36, fill=255)
        obj = rotated(as_object(rim_darken(tex, mask, 9, 0.7), mask), -4)
        img = paste_shadowed(img, obj, ((w - obj.width) // 2, (h - obj.height) // 2), offset=(14, 16), blur=14)
    return finish(img, r, light=(0.35, 0.25), strength=0.4)


def scene_sling_bag(size, r, colour=(140, 84, 46)):
    w, h = size
    img = studio(size, r, wall=(226, 222, 214), floor=(190, 180, 166), horizon=0.78)
    d = ImageDraw.Draw(img)
    W, H = int(w * 0.62), int(h * 0.42)
    x0, y0 = (w - W) // 2, int(h * 0.43)
    d.arc([x0 + W * 0.05, h * 0.06, x0 + W * 0.95, y0 + H * 0.6], 180, 360, fill=shade(colour, 0.7), width=30)
    tex = leather_texture((W, H), r, colour)
    td = ImageDraw.Draw(tex)
    flap = shade(colour, 0.84)
    td.rounded_rectangle([0, 0, W, H * 0.55], radius=60, fill=flap)
    tex.paste(leather_texture((W, int(H * 0.55)), r, flap).crop((0, 0, W, int(H * 0.5))), (0, 0))
    td.line([(0, H * 0.5), (W, H * 0.5)], fill=shade(colour, 0.5), width=6)
    stitches(td, [(24, H * 0.46), (W - 24, H * 0.46)], (226, 200, 150))
    stitches(td, rect_path(20, 20, W - 20, H - 20), (226, 200, 150))
    td.rounded_rectangle([W / 2 - 40, H * 0.38, W / 2 + 40, H * 0.62], radius=8, outline=(200, 200, 206), width=9)
    td.line([(W / 2, H * 0.4), (W / 2, H * 0.6)], fill=(200, 200, 206), width=7)
    tex = ImageChops.multiply(tex, cyl_shade((W, H), dark=0.7))
    mask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, W, H], radius=56, fill=255)
    img = paste_shadowed(img, as_object(rim_darken(tex, mask, 11, 0.65), mask), (x0, y0), offset=(20, 10))
    return finish(img, r, light=(0.35, 0.2))


def belt_object(W, H, r, colour):
    tex = leather_texture((W, H), r, colour)
    d = ImageDraw.Draw(tex)
    stitches(d, [(H * 1.6, 10), (W - 80, 10)], (214, 190, 150), 10, 7, 2)
    stitches(d, [(H * 1.6, H - 12), (W - 80, H - 12)], (214, 190, 150), 10, 7, 2)
    for k in range(5):
        x = W - 230 + k * 34
        d.ellipse([x - 7, H / 2 - 7, x + 7, H / 2 + 7], fill=(40, 28, 20))
    mask = Image.new("L", (W, H), 0)
    md = ImageDraw.Draw(mask)
    md.polygon([(H * 1.2, 0), (W - 60, 0), (W, H / 2), (W - 60, H), (H * 1.2, H)], fill=255)
    d.rounded_rectangle([4, 0, H * 1.4, H], radius=14, outline=(196, 196, 200), width=14)
    md.rounded_rectangle([4, 0, H * 1.4, H], radius=14, outline=255, width=14)
    d.line([(H * 0.7, H / 2), (H * 1.6, H / 2)], fill=(180, 180, 186), width=9)
    md.line([(H * 0.7, H / 2), (H * 1.6, H / 2)], fill=255, width=9)
    tex = ImageChops.multiply(tex, vgradient((W, H), (255, 255, 255), (190, 190, 190)))
    return as_object(tex, mask)


def scene_belt(size, r):
    w, h = size
    img = tabletop(size, r, light=(214, 206, 194), dark=(176, 166, 152), horizon=0.0)
    for i, colour in enumerate(((40, 30, 26), (128, 74, 38))):
        obj = rotated(belt_object(int(w * 0.86), 96, r, colour), 14 - i * 10)
        img = paste_shadowed(img, obj, ((w - obj.width) // 2, int(h * (0.18 + 0.34 * i))), offset=(10, 12), blur=10)
    return finish(img, r, light=(0.3, 0.2))


SHOE = [(0.02, 0.78), (0.03, 0.42), (0.16, 0.3), (0.33, 0.38), (0.5, 0.33), (0.7, 0.44), (0.87, 0.58),
        (0.99, 0.74), (0.96, 0.86), (0.5, 0.88), (0.04, 0.86)]


def shoe_object(W, H, r, colour):
    mask = Image.new("L", (W, H), 0)
    md = ImageDraw.Draw(mask)
    md.polygon(smooth(scaled(SHOE, W, H), 8), fill=255)
    md.rectangle([W * 0.03, H * 0.84, W * 0.24, H], fill=255)
    md.rounded_rectangle([W * 0.0, H * 0.82, W * 0.99, H * 0.92], radius=12, fill=255)
    tex = leather_texture((W, H), r, colour, pebble=5)
    d = ImageDraw.Draw(tex)
    d.ellipse([W * 0.06, H * 0.33, W * 0.48, H * 0.42], fill=(54, 40, 34))  # the opening
    d.rectangle([0, H * 0.83, W, H], fill=(30, 26, 24))
    d.line([(W * 0.24, H * 0.92), (W * 0.96, H * 0.88)], fill=(70, 60, 52), width=3)
    stitches(d, [(W * 0.05, H * 0.8), (W * 0.94, H * 0.8)], shade(colour, 1.5), 9, 6, 2)
    d.arc([W * 0.44, H * 0.36, W * 0.9, H * 0.9], 200, 300, fill=shade(colour, 0.6), width=3)
    gl = Image.new("L", (W, H), 0)
    ImageDraw.Draw(gl).ellipse([W * 0.62, H * 0.5, W * 0.86, H * 0.58], fill=150)
    ImageDraw.Draw(gl).ellipse([W * 0.06, H * 0.5, W * 0.14, H * 0.7], fill=90)
    tex = Image.composite(Image.new("RGB", (W, H), (255, 255, 255)), tex, gl.filter(ImageFilter.GaussianBlur(18)))
    return as_object(tex, mask)


def scene_shoes(size, r, colour=(36, 28, 26)):
    w, h = size
    img = studio(size, r, wall=(214, 210, 204), floor=(196, 190, 182), horizon=0.55)
    back = shoe_object(int(w * 0.6), int(h * 0.4), r, shade(colour, 0.9))
    img = paste_shadowed(img, back, (int(w * 0.28), int(h * 0.36)), offset=(24, 6), blur=14)
    front = shoe_object(int(w * 0.66), int(h * 0.44), r, colour)
    img = paste_shadowed(img, front, (int(w * 0.1), int(h * 0.5)), offset=(24, 6), blur=14)
    return finish(img, r, light=(0.3, 0.25))


# ---------------------------------------------------------------------------
# products: bags and crafts


def scene_pandan_bag(size, r):
    w, h = size
    img = studio(size, r, wall=(218, 226, 222), floor=(204, 196, 178), horizon=0.8)
    W, H = int(w * 0.64), int(h * 0.62)
    d = ImageDraw.Draw(img)
    x0, y0 = (w - W) // 2, int(h * 0.3)
    for k, f in ((1, 0.75), (0, 1.0)):
        d.arc([x0 + W * 0.22 + k * 20, y0 - H * 0.42, x0 + W * 0.78 + k * 20, y0 + H * 0.38], 180, 360,
              fill=shade((110, 64, 36), f), width=26)
    tex = weave_texture((W, H), r, (222, 196, 140), (170, 140, 90), cell=30, band_rows=(4, 5), twill=True,
                        band_color=(150, 40, 48))
    tex = ImageChops.multiply(tex, cyl_shade((W, H), dark=0.68))
    mask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(mask).polygon([(0, 0), (W, 0), (W * 0.9, H), (W * 0.1, H)], fill=255)
    td = ImageDraw.Draw(tex)
    td.rectangle([0, 0, W, 30], fill=(110, 64, 36))
    img = paste_shadowed(img, as_object(rim_darken(tex, mask, 9, 0.7), mask), (x0, y0), offset=(22, 8))
    return finish(img, r, light=(0.35, 0.25))


def scene_knit_bag(size, r):
    w, h = size
    img = studio(size, r, wall=(238, 226, 214), floor=(210, 192, 172), horizon=0.85)
    W, H = int(w * 0.7), int(h * 0.56)
    stripes = [(214, 90, 80), (240, 226, 200), (70, 130, 140), (240, 190, 80)]
    tex = Image.new("RGB", (W, H))
    band = H // 8
    for k in range(9):
        tex.paste(knit_texture((W, band), r, stripes[k % 4], stitch=16), (0, k * band))
    tex = ImageChops.multiply(tex, cyl_shade((W, H), dark=0.62))
    mask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, W, H], radius=int(W * 0.22), fill=255)
    ImageDraw.Draw(mask).rectangle([0, 0, W, H * 0.3], fill=255)
    x0, y0 = (w - W) // 2, int(h * 0.34)
    d = ImageDraw.Draw(img)
    for cx in (x0 + W * 0.3, x0 + W * 0.7):  # wooden ring handles
        d.ellipse([cx - 120, y0 - 200, cx + 120, y0 + 40], outline=(150, 100, 56), width=28)
        d.arc([cx - 112, y0 - 192, cx + 112, y0 + 32], 200, 260, fill=(200, 150, 96), width=8)
    img = paste_shadowed(img, as_object(rim_darken(tex, mask, 9, 0.7), mask), (x0, y0), offset=(20, 8))
    return finish(img, r, light=(0.4, 0.3))


def scene_ship(size, r):
    w, h = size
    img = studio(size, r, wall=(210, 218, 226), floor=(196, 190, 180), horizon=0.82)
    W, H = int(w * 0.86), int(h * 0.8)
    layer = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    cream, rope = (238, 226, 200), (70, 60, 50)
    m1, m2 = W * 0.4, W * 0.6
    for m in (m1, m2):
        d.rectangle([m - 7, H * 0.06, m + 7, H * 0.66], fill=(120, 80, 44, 255))
    sails = [[(m1 + 10, H * 0.16), (m1 + W * 0.17, H * 0.2), (m1 + W * 0.18, H * 0.58), (m1 + 10, H * 0.58)],
             [(m2 + 10, H * 0.12), (m2 + W * 0.15, H * 0.17), (m2 + W * 0.16, H * 0.56), (m2 + 10, H * 0.56)],
             [(m2, H * 0.08), (W * 0.97, H * 0.56), (m2 + W * 0.18, H * 0.58)],
             [(m2 + 10, H * 0.1), (W * 0.93, H * 0.5), (m2 + W * 0.2, H * 0.52)],
             [(m1 + 10, H * 0.06), (m1 + W * 0.13, H * 0.16), (m1 + 10, H * 0.16)]]
    for i, s in enumerate(sails):
        d.polygon(s, fill=shade(cream, 0.92 + 0.03 * (i % 3)) + (255,), outline=(170, 150, 120, 255))
    for a, b in (((m1, H * 0.06), (W * 0.08, H * 0.62)), ((m2, H * 0.06), (W * 0.99, H * 0.6)),
                 ((m1, H * 0.06), (m2, H * 0.06))):
        d.line([a, b], fill=rope + (255,), width=3)
    hull_pts = smooth(scaled([(0.06, 0.6), (0.3, 0.66), (0.6, 0.66), (0.96, 0.58), (0.88, 0.72), (0.6, 0.8),
                              (0.3, 0.8), (0.14, 0.74)], W, H), 8)
    hmask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(hmask).polygon(hull_pts, fill=255)
    htex = planks((W, H), r, (120, 76, 44), (74, 44, 24), plank=22)
    hd = ImageDraw.Draw(htex)
    hd.line([(0, H * 0.68), (W, H * 0.66)], fill=(236, 232, 220), width=10)
    hd.line([(0, H * 0.71), (W, H * 0.69)], fill=(170, 40, 36), width=6)
    htex = ImageChops.multiply(htex, vgradient((W, H), (255, 255, 255), (150, 150, 150)))
    layer.paste(htex, (0, 0), hmask)
    d = ImageDraw.Draw(layer)
    for x in (0.32, 0.62):  # the stand
        d.rectangle([W * x, H * 0.78, W * x + 30, H * 0.9], fill=(150, 104, 60, 255))
    d.rectangle([W * 0.2, H * 0.9, W * 0.8, H * 0.96], fill=(128, 86, 48, 255))
    img = paste_shadowed(img, layer, ((w - W) // 2, int(h * 0.06)), offset=(24, 10), blur=18)
    return finish(img, r, light=(0.35, 0.2))


def landscape(size, r):
    w, h = size
    img = vgradient(size, (104, 150, 204), (244, 206, 160))
    d = ImageDraw.Draw(img)
    sx, sy = w * r.uniform(0.6, 0.8), h * 0.3
    d.ellipse([sx - 50, sy - 50, sx + 50, sy + 50], fill=(252, 236, 180))
    for base, amp, colour in ((0.45, 0.18, (110, 130, 168)), (0.55, 0.12, (70, 110, 96))):
        ph = [r.uniform(0, 6.28) for _ in range(3)]
        ridge = [(x, h * base - h * amp * (0.6 * math.sin(x / w * 5 + ph[0]) + 0.3 * math.sin(x / w * 13 + ph[1])
                                          + 0.1 * math.sin(x / w * 31 + ph[2]) + 0.5)) for x in range(0, w + 20, 20)]
        d.polygon(ridge + [(w, h), (0, h)], fill=colour)
    for k in range(9):  # rice terraces
        y = h * 0.6 + k * h * 0.05
        g = (80 + (k % 3) * 30, 150 + (k % 2) * 30, 60)
        d.polygon([(x, y + 18 * math.sin(x / 120 + k)) for x in range(0, w + 20, 20)] + [(w, h), (0, h)], fill=g)
    # paint it: short strokes in the colour underneath
    src = img.copy()
    for _ in range(w * h // 70):
        x, y = r.uniform(0, w - 1), r.uniform(0, h - 1)
        c = jitter(src.getpixel((int(x), int(y))), r, 14)
        a = r.uniform(-0.4, 0.4)
        length = r.uniform(8, 22)
        d.line([(x, y), (x + length * math.cos(a), y + length * math.sin(a))], fill=c, width=r.randint(3, 6))
    return img


def scene_painting(size, r):
    w, h = size
    img = studio(size, r, wall=(224, 220, 212), floor=(170, 150, 130), horizon=0.86)
    d = ImageDraw.Draw(img)
    leg = (140, 96, 58)
    d.line([(w * 0.5, h * 0.04), (w * 0.28, h * 0.95)], fill=leg, width=22)
    d.line([(w * 0.5, h * 0.04), (w * 0.72, h * 0.95)], fill=leg, width=22)
    d.line([(w * 0.5, h * 0.04), (w * 0.52, h * 0.9)], fill=shade(leg, 0.8), width=18)
    W, H = int(w * 0.72), int(h * 0.56)
    canvas = landscape((W, H), r)
    ImageDraw.Draw(canvas).rectangle([0, 0, W - 1, H - 1], outline=(236, 232, 222), width=10)
    obj = canvas.convert("RGBA")
    img = paste_shadowed(img, obj, ((w - W) // 2, int(h * 0.12)), offset=(14, 16), blur=14, contact=False)
    d = ImageDraw.Draw(img)
    d.rectangle([w * 0.22, h * 0.12 + H, w * 0.78, h * 0.12 + H + 26], fill=leg)
    return finish(img, r, light=(0.4, 0.2))


def scene_coir_pot(size, r, phone=False):
    w, h = size
    img = tabletop(size, r, horizon=0.5) if not phone else studio(size, r, wall=(190, 200, 180),
                                                                  floor=(150, 140, 120), horizon=0.55)
    W, H = int(w * 0.5), int(h * 0.34)
    tex = coir_texture((W, H), r, (150, 100, 56), density=70)
    tex = ImageChops.multiply(tex, cyl_shade((W, H), dark=0.55))
    mask = Image.new("L", (W, H), 0)
    md = ImageDraw.Draw(mask)
    md.polygon([(0, H * 0.08), (W, H * 0.08), (W * 0.86, H * 0.94), (W * 0.14, H * 0.94)], fill=255)
    md.ellipse([W * 0.14, H * 0.88, W * 0.86, H], fill=255)
    md.ellipse([0, 0, W, H * 0.16], fill=255)
    td = ImageDraw.Draw(tex)
    td.ellipse([W * 0.04, H * 0.01, W * 0.96, H * 0.15], fill=(60, 40, 28))
    x0, y0 = (w - W) // 2, int(h * 0.56)
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    ld = ImageDraw.Draw(layer)
    for k in range(11):  # leaves
        a = math.radians(-160 + k * 14 + r.uniform(-5, 5))
        length = r.uniform(0.22, 0.36) * h
        bx, by = w / 2 + r.uniform(-30, 30), y0 + 20
        tx, ty = bx + length * math.cos(a), by + length * math.sin(a)
        leaf = Image.new("RGBA", (int(length), 90), (0, 0, 0, 0))
        lfd = ImageDraw.Draw(leaf)
        g = jitter((70, 140, 66), r, 20)
        lfd.ellipse([0, 10, length, 80], fill=g + (255,))
        lfd.line([(0, 45), (length, 45)], fill=shade(g, 1.25) + (255,), width=4)
        leaf = leaf.rotate(-math.degrees(a), expand=True, resample=BICUBIC)
        layer.alpha_composite(leaf, (int((bx + tx) / 2 - leaf.width / 2), int((by + ty) / 2 - leaf.height / 2)))
    img = paste_shadowed(img, layer, (0, 0), offset=(18, 14), blur=16, contact=False)
    img = paste_shadowed(img, as_object(tex, mask), (x0, y0), offset=(22, 10))
    if phone:
        return finish(img, r, light=(0.6, 0.2), strength=0.55, grain=3, tint=(246, 252, 240))
    return finish(img, r, light=(0.35, 0.2))


# ---------------------------------------------------------------------------
# products: gloves


def glove_mask(W, H, long_cuff=False):
    m = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(m)
    px0, px1 = W * 0.2, W * 0.82
    py0, py1 = H * 0.36, H * 0.74
    pw = px1 - px0
    d.rounded_rectangle([px0, py0, px1, py1], radius=int(W * 0.12), fill=255)
    fw = pw / 4 * 0.92
    for i, (length, ang) in enumerate(((0.24, -6), (0.31, -2), (0.29, 2), (0.22, 7))):
        cx = px0 + pw * (i + 0.5) / 4
        base = (cx, py0 + fw * 0.6)
        a = math.radians(ang)
        tip = (cx + H * length * math.sin(a), base[1] - H * length * math.cos(a))
        capsule(d, base, tip, fw)
    tb = (px0 + pw * 0.12, py0 + (py1 - py0) * 0.6)
    capsule(d, tb, (tb[0] - W * 0.17, tb[1] - H * 0.16), fw * 1.12)
    if long_cuff:
        d.polygon([(px0 + 6, py1 - H * 0.06), (px1 - 6, py1 - H * 0.06), (px1 + W * 0.1, H * 0.99),
                   (px0 - W * 0.1, H * 0.99)], fill=255)
    else:
        d.rectangle([px0 + pw * 0.05, py1 - H * 0.05, px1 - pw * 0.05, H * 0.93], fill=255)
    return m


def glove_object(W, H, r, kind):
    long_cuff = kind == "las"
    mask = glove_mask(W, H, long_cuff)
    if kind == "rajut":
        tex = knit_texture((W, H), r, (236, 234, 226), stitch=9)
        d = ImageDraw.Draw(tex)
        d.rectangle([0, H * 0.86, W, H * 0.88], fill=(190, 40, 40))
        d.rectangle([0, H * 0.9, W, H * 0.91], fill=(40, 70, 150))
    elif kind == "las":
        tex = leather_texture((W, H), r, (200, 156, 102), pebble=18)
        d = ImageDraw.Draw(tex)
        stitches(d, [(W * 0.2, H * 0.7), (W * 0.84, H * 0.7)], (120, 80, 40), 10, 7, 3)
        d.rectangle([W * 0.1, H * 0.69, W * 0.9, H * 0.71], fill=(150, 110, 70))
    elif kind == "berkebun":
        tex = knit_texture((W, H), r, (90, 140, 80), stitch=9)
        d = ImageDraw.Draw(tex)
        for y in range(int(H * 0.1), int(H * 0.8), 26):
            for x in range(int(W * 0.05), W, 26):
                d.ellipse([x - 7, y - 7, x + 7, y + 7], fill=(236, 190, 50))
        d.rectangle([0, H * 0.8, W, H], fill=(60, 100, 56))
    else:  # motor
        tex = leather_texture((W, H), r, (40, 40, 44), pebble=8)
        d = ImageDraw.Draw(tex)
        d.rounded_rectangle([W * 0.24, H * 0.38, W * 0.78, H * 0.5], radius=26, fill=(90, 92, 100))
        d.rectangle([W * 0.2, H * 0.8, W * 0.82, H * 0.86], fill=(180, 30, 36))
    tex = ImageChops.multiply(tex, cyl_shade((W, H), dark=0.7))
    return as_object(rim_darken(tex, mask, 11, 0.62), mask)


def scene_gloves(size, r, kind="rajut", pile=False):
    w, h = size
    img = tabletop(size, r, light=(200, 190, 176), dark=(160, 148, 134), wall=(214, 214, 210), horizon=0.0)
    W, H = int(w * 0.34), int(h * 0.82)
    if pile:  # a bundle of a dozen pairs, as sold by the kodi
        for k in range(5):
            g = rotated(glove_object(W, H, r, kind), r.uniform(-70, 70))
            img = paste_shadowed(img, g, (int(w * r.uniform(0.0, 0.5)), int(h * r.uniform(-0.1, 0.2))),
                                 offset=(10, 10), blur=10, contact=False)
    left = rotated(glove_object(W, H, r, kind).transpose(Image.Transpose.FLIP_LEFT_RIGHT), 10)
    right = rotated(glove_object(W, H, r, kind), -10)
    img = paste_shadowed(img, left, (int(w * 0.1), int(h * 0.04)), offset=(14, 14), blur=14, contact=False)
    img = paste_shadowed(img, right, (int(w * 0.46), int(h * 0.06)), offset=(14, 14), blur=14, contact=False)
    return finish(img, r, light=(0.35, 0.2))


# ---------------------------------------------------------------------------
# products: food


def pouch_object(W, H, r, body, label_lines, label_colour=(250, 246, 236), ink=(60, 36, 24), window=None):
    tex = kraft_texture((W, H), r) if body == "kraft" else plain_texture((W, H), r, body, amp=8)
    d = ImageDraw.Draw(tex)
    d.rectangle([0, 0, W, H * 0.1], fill=shade(tex.getpixel((5, int(H * 0.5))), 0.9))
    for y in (H * 0.03, H * 0.06):
        d.line([(0, y), (W, y)], fill=shade(tex.getpixel((5, int(H * 0.5))), 0.75), width=2)
    lx0, ly0, lx1, ly1 = W * 0.12, H * 0.24, W * 0.88, H * 0.7
    d.rounded_rectangle([lx0, ly0, lx1, ly1], radius=22, fill=label_colour)
    y = ly0 + (ly1 - ly0) * 0.2
    for text, rel, bold in label_lines:
        text_center(d, (W / 2, y), text, W * rel, ink, bold=bold, max_width=(lx1 - lx0) * 0.9)
        y += W * rel * 1.5
    if window:
        d.rounded_rectangle([W * 0.25, H * 0.74, W * 0.75, H * 0.94], radius=18, fill=window)
    tex = ImageChops.multiply(tex, cyl_shade((W, H), dark=0.62, highlight=0.4))
    mask = Image.new("L", (W, H), 0)
    md = ImageDraw.Draw(mask)
    md.rounded_rectangle([0, H * 0.03, W, H], radius=30, fill=255)
    for x in range(0, W, 16):  # the zigzag of the heat seal
        md.polygon([(x, H * 0.03), (x + 8, 0), (x + 16, H * 0.03)], fill=255)
    return as_object(tex, mask)


def chips(d, cx, cy, spread_x, spread_y, r, colour, n=60, dots=None):
    for _ in range(n):
        x = cx + r.gauss(0, spread_x / 2.5)
        y = cy + r.gauss(0, spread_y / 2.5)
        rad = r.uniform(26, 44)
        pts = [(x + rad * math.cos(a) * r.uniform(0.75, 1.0), y + rad * 0.6 * math.sin(a) * r.uniform(0.75, 1.0))
               for a in [k * math.pi / 5 + r.uniform(0, 0.3) for k in range(10)]]
        c = jitter(colour, r, 16)
        d.polygon(pts, fill=c, outline=shade(c, 0.8))
        if dots:
            for _ in range(4):
                dx, dy = r.uniform(-rad * 0.5, rad * 0.5), r.uniform(-rad * 0.25, rad * 0.25)
                d.ellipse([x + dx - 6, y + dy - 4, x + dx + 6, y + dy + 4], fill=dots)


def bowl(img, r, cx, cy, rw, colour, chip_colour, dots=None):
    d = ImageDraw.Draw(img)
    d.ellipse([cx - rw * 0.8, cy + rw * 0.36, cx + rw * 0.8, cy + rw * 0.56], fill=(120, 110, 100))
    d.pieslice([cx - rw, cy - rw * 0.6, cx + rw, cy + rw * 0.6], 0, 180, fill=colour)
    d.ellipse([cx - rw, cy - rw * 0.22, cx + rw, cy + rw * 0.22], fill=shade(colour, 0.86))
    chips(d, cx, cy - rw * 0.05, rw * 1.2, rw * 0.25, r, chip_colour, n=45, dots=dots)
    d.arc([cx - rw, cy - rw * 0.6, cx + rw, cy + rw * 0.6], 20, 70, fill=(255, 255, 255), width=8)


def scene_pouch(size, r, body, label_lines, chip_colour=None, dots=None, window=None, beans=False, phone=False):
    w, h = size
    img = tabletop(size, r, horizon=0.55)
    W, H = int(w * 0.46), int(h * 0.56)
    obj = pouch_object(W, H, r, body, label_lines, window=window)
    img = paste_shadowed(img, obj, (int(w * 0.12), int(h * 0.22)), offset=(26, 10))
    if chip_colour:
        bowl(img, r, w * 0.72, h * 0.76, w * 0.22, (240, 240, 236), chip_colour, dots)
    if beans:
        d = ImageDraw.Draw(img)
        for _ in range(70):
            x, y = r.uniform(w * 0.56, w * 0.95), r.uniform(h * 0.7, h * 0.95)
            bean = Image.new("RGBA", (60, 42), (0, 0, 0, 0))
            bd = ImageDraw.Draw(bean)
            c = jitter((84, 50, 30), r, 12)
            bd.ellipse([2, 2, 58, 40], fill=c + (255,))
            bd.arc([14, 6, 46, 36], 250, 110, fill=shade(c, 0.5) + (255,), width=4)
            bd.ellipse([12, 8, 30, 18], fill=shade(c, 1.4) + (120,))
            bean = bean.rotate(r.uniform(0, 360), expand=True, resample=BICUBIC)
            img.paste(bean, (int(x), int(y)), bean)
    if phone:
        return finish(img, r, light=(0.7, 0.3), strength=0.55, grain=3, tint=(255, 246, 226))
    return finish(img, r, light=(0.3, 0.2))


def scene_coffee_cup(size, r):
    w, h = size
    img = tabletop(size, r, light=(150, 104, 70), dark=(92, 60, 38), horizon=0.35)
    d = ImageDraw.Draw(img)
    cx, cy = w * 0.5, h * 0.6
    d.ellipse([cx - 340, cy + 80, cx + 340, cy + 230], fill=(110, 80, 60))
    d.ellipse([cx - 330, cy + 60, cx + 330, cy + 200], fill=(244, 242, 236))
    d.pieslice([cx - 230, cy - 260, cx + 230, cy + 180], 0, 180, fill=(250, 248, 244))
    d.rectangle([cx - 230, cy - 160, cx + 230, cy - 40], fill=(250, 248, 244))
    d.arc([cx + 170, cy - 140, cx + 330, cy + 20], 270, 90, fill=(244, 242, 236), width=34)
    d.ellipse([cx - 230, cy - 210, cx + 230, cy - 110], fill=(236, 234, 228))
    d.ellipse([cx - 210, cy - 200, cx + 210, cy - 120], fill=(150, 96, 56))
    d.ellipse([cx - 160, cy - 186, cx + 160, cy - 134], fill=(94, 56, 30))
    shade_mask = Image.new("L", size, 0)
    ImageDraw.Draw(shade_mask).pieslice([cx - 230, cy - 260, cx + 230, cy + 180], 0, 90, fill=90)
    img = Image.composite(Image.new("RGB", size, (150, 140, 130)), img, shade_mask.filter(ImageFilter.GaussianBlur(40)))
    d = ImageDraw.Draw(img)
    for _ in range(26):
        x, y = r.uniform(w * 0.05, w * 0.3), r.uniform(h * 0.7, h * 0.95)
        c = jitter((70, 40, 22), r, 10)
        d.ellipse([x, y, x + 46, y + 32], fill=c)
        d.line([(x + 8, y + 16), (x + 38, y + 16)], fill=shade(c, 0.5), width=3)
    return finish(img, r, light=(0.3, 0.2), tint=(255, 244, 228))


def jar_object(W, H, r, fill_fn, lid, label_lines, label_colour=(250, 246, 236), ink=(60, 30, 24)):
    body = Image.new("RGB", (W, H), (230, 230, 226))
    fill_fn(body)
    d = ImageDraw.Draw(body)
    d.rectangle([0, 0, W, H * 0.16], fill=lid)
    for x in range(0, W, 12):
        d.line([(x, 0), (x, H * 0.16)], fill=shade(lid, 0.8), width=3)
    d.rectangle([0, H * 0.38, W, H * 0.7], fill=label_colour)
    y = H * 0.45
    for text, rel, bold in label_lines:
        text_center(d, (W / 2, y), text, W * rel, ink, bold=bold, max_width=W * 0.84)
        y += W * rel * 1.45
    body = ImageChops.multiply(body, cyl_shade((W, H), dark=0.55))
    gl = Image.new("L", (W, H), 0)
    ImageDraw.Draw(gl).rounded_rectangle([W * 0.16, H * 0.2, W * 0.24, H * 0.92], radius=10, fill=170)
    body = Image.composite(Image.new("RGB", (W, H), (255, 255, 255)), body, gl.filter(ImageFilter.GaussianBlur(8)))
    mask = Image.new("L", (W, H), 0)
    md = ImageDraw.Draw(mask)
    md.rounded_rectangle([0, H * 0.14, W, H], radius=int(W * 0.14), fill=255)
    md.rounded_rectangle([W * 0.02, 0, W * 0.98, H * 0.18], radius=14, fill=255)
    return as_object(body, mask)


def scene_jar(size, r, kind="sambal", sold_out=False):
    w, h = size
    img = tabletop(size, r, horizon=0.5)
    W, H = int(w * 0.4), int(h * 0.62)
    if kind == "sambal":
        def fill(im):
            im.paste(add_noise(Image.new("RGB", im.size, (186, 50, 30)), r, 40, scale=6), (0, 0))
            dd = ImageDraw.Draw(im)
            for _ in range(220):
                x, y = r.uniform(0, im.width), r.uniform(im.height * 0.16, im.height)
                dd.ellipse([x, y, x + 8, y + 5], fill=(236, 200, 120))
        obj = jar_object(W, H, r, fill, (190, 150, 60), [("SAMBAL", 0.14, 2), ("BAWANG", 0.14, 2),
                                                          ("pedas · 200 g", 0.07, 0)])
    else:
        def fill(im):
            im.paste((236, 226, 206), (0, 0, im.width, im.height))
            dd = ImageDraw.Draw(im)
            for y in range(int(im.height * 0.18), im.height + 60, 66):
                for x in range(-20, im.width + 40, 70):
                    xx = x + (35 if (y // 66) % 2 else 0)
                    c = jitter((216, 160, 72), r, 10)
                    dd.ellipse([xx, y, xx + 62, y + 58], fill=c, outline=shade(c, 0.8), width=3)
                    dd.ellipse([xx + 22, y + 16, xx + 40, y + 34], fill=(196, 110, 40))
        obj = jar_object(W, H, r, fill, (180, 30, 40), [("NASTAR", 0.15, 2), ("Rutan Pondok Bambu", 0.06, 0),
                                                          ("500 g", 0.07, 0)])
    img = paste_shadowed(img, obj, ((w - W) // 2, int(h * 0.26)), offset=(26, 10))
    return finish(img, r, light=(0.35, 0.2))


# ---------------------------------------------------------------------------
# booths: logos and stall scenes


def emblem(size, code, primary, secondary, ring_text, transparent):
    S = size * 2  # drawn twice as large, then reduced: smooth edges
    bg = (0, 0, 0, 0) if transparent else (255, 255, 255, 255)
    img = Image.new("RGBA", (S, S), bg)
    d = ImageDraw.Draw(img)
    m = S * 0.04
    d.ellipse([m, m, S - m, S - m], fill=primary + (255,))
    d.ellipse([S * 0.1, S * 0.1, S * 0.9, S * 0.9], outline=(255, 255, 255, 255), width=int(S * 0.012))
    d.ellipse([S * 0.16, S * 0.16, S * 0.84, S * 0.84], fill=secondary + (255,))
    for k in range(24):  # a ring of dots
        a = math.radians(k * 15)
        x, y = S / 2 + S * 0.37 * math.cos(a), S / 2 + S * 0.37 * math.sin(a)
        if 30 < k * 15 < 150:
            continue
        d.ellipse([x - S * 0.008, y - S * 0.008, x + S * 0.008, y + S * 0.008], fill=(255, 255, 255, 255))
    f = fit_font(code, S * 0.56, S * 0.26)
    d.text((S / 2, S * 0.49), code, font=f, fill=(255, 255, 255, 255), anchor="mm",
           stroke_width=int(S * 0.006), stroke_fill=(255, 255, 255, 255))
    d.line([(S * 0.3, S * 0.63), (S * 0.7, S * 0.63)], fill=primary + (255,), width=int(S * 0.01))
    f2 = fit_font(ring_text, S * 0.5, S * 0.06)
    d.text((S / 2, S * 0.71), ring_text, font=f2, fill=(255, 255, 255, 255), anchor="mm")
    # three leaves: the growing of new skills
    for k, a in enumerate((-30, 0, 30)):
        leaf = Image.new("RGBA", (int(S * 0.1), int(S * 0.05)), (0, 0, 0, 0))
        ImageDraw.Draw(leaf).ellipse([0, 0, leaf.width - 1, leaf.height - 1], fill=(255, 255, 255, 255))
        leaf = leaf.rotate(90 + a, expand=True, resample=BICUBIC)
        x = S / 2 + math.sin(math.radians(a)) * S * 0.06 - leaf.width / 2
        y = S * 0.25 - math.cos(math.radians(a)) * S * 0.02 - leaf.height / 2
        img.alpha_composite(leaf, (int(x), int(y)))
    return img.resize((size, size), LANCZOS)


def scene_logo(size, r, code, primary, secondary, ring_text="KARYA", transparent=True):
    img = emblem(size[0], code, primary, secondary, ring_text, transparent)
    if transparent:  # a flat emblem needs few colours: keeps the PNG small
        return img.quantize(colors=96, method=Image.Quantize.FASTOCTREE)
    return img.convert("RGB")


def banner_texture(name, code, primary, secondary, tagline="Karya Warga Binaan Pemasyarakatan"):
    W, H = 1200, 640
    img = hgradient((W, H), primary, shade(primary, 0.7))
    d = ImageDraw.Draw(img)
    d.polygon([(W * 0.62, 0), (W, 0), (W, H), (W * 0.48, H)], fill=shade(secondary, 1.0))
    logo = emblem(300, code, primary, secondary, "KARYA", True)
    img.paste(logo, (60, 60), logo)
    text_center(d, (W * 0.33, H * 0.7), name.upper(), 46, (255, 255, 255), bold=1, max_width=W * 0.6)
    text_center(d, (W * 0.33, H * 0.82), tagline, 30, (250, 236, 200), max_width=W * 0.6)
    for k in range(3):
        x0 = W * 0.66 + (k % 2) * W * 0.16
        y0 = H * 0.1 + k * H * 0.28
        d.rounded_rectangle([x0, y0, x0 + W * 0.14, y0 + H * 0.22], radius=14, fill=(250, 248, 240))
        d.rounded_rectangle([x0 + 10, y0 + 10, x0 + W * 0.14 - 10, y0 + H * 0.22 - 10], radius=10,
                            fill=shade(primary, 1.3))
    return img


def fascia_texture(name, stand, primary):
    W, H = 1800, 170
    img = Image.new("RGB", (W, H), (250, 250, 248))
    d = ImageDraw.Draw(img)
    text_center(d, (W * 0.43, H / 2), name.upper(), 84, primary, bold=2, max_width=W * 0.78)
    d.rectangle([W * 0.86, 16, W - 16, H - 16], fill=primary)
    text_center(d, (W * 0.93, H / 2), stand, 70, (255, 255, 255), bold=1)
    return img


COUNTER = (-20, 0, 45, 100, 90, 95)  # x0, y0, z0, x1, y1, z1 of the sales counter


def cover_items(theme, r, tex):
    """What stands in a booth of a given trade: furniture, goods and racks, as boxes."""
    wood = tex["wood"]
    cx0, _, cz0, cx1, top, cz1 = COUNTER
    out = []

    def on_counter(n, depth, height, colour, width=None):
        step = (cx1 - cx0 - 10) / n
        for k in range(n):
            x = cx0 + 6 + k * step
            hh = height() if callable(height) else height
            c = colour(k) if callable(colour) else colour
            out.append(Box(x, top, cz0 + 14, x + (width or step * 0.7), top + hh, cz0 + 14 + depth, c))

    if theme == "mebel":
        out += chair_boxes(wood, ox=-100, oz=55)
        out += table_boxes(wood, ox=-90, oz=-85, w=80, d=50)
        on_counter(3, 20, 3, wood.h.crop((0, 0, 200, 200)))
    elif theme == "keset":
        for k in range(6):
            y = k * 3
            out.append(Box(-135 + r.uniform(-3, 3), y, 20, -65, y + 3, 62, tex["coir"], shadow=k == 0))
        on_counter(4, 18, 18, tex["coir"])
    elif theme in ("batik", "busana"):
        out.append(Box(-140, 150, -90, -138, 152, 60, (180, 182, 188), shadow=False))  # rail
        for k, z in enumerate(range(-85, 60, 14)):
            t = tex["cloth"][k % len(tex["cloth"])]
            out.append(Box(-136, 70, z, -134, 150, z + 11, t, shadow=False, layer=1))
        on_counter(3, 26, lambda: r.uniform(4, 8), lambda k: tex["cloth"][k % 2])
    elif theme == "kuliner":
        on_counter(7, 8, lambda: r.uniform(16, 24),
                   lambda k: [(186, 146, 100), (200, 50, 40), (236, 190, 60), (60, 40, 30)][k % 4])
    elif theme == "sarung-tangan":
        on_counter(4, 28, lambda: r.uniform(6, 10), (236, 234, 226))
        out.append(Box(-135, 0, 10, -95, 60, 60, (160, 120, 80)))
        out.append(Box(-133, 60, 14, -97, 66, 56, (236, 234, 226)))
    elif theme == "kerajinan":
        out.append(Box(-148, 100, -120, -146, 160, -40, tex["painting"], shadow=False, layer=1))
        out.append(Box(-148, 100, -20, -146, 150, 50, tex["painting"], shadow=False, layer=1))
        on_counter(3, 14, 14, lambda k: [(230, 180, 60), (40, 110, 70), (236, 236, 230)][k])
    elif theme == "kulit":
        on_counter(4, 12, 18, lambda k: shade((130, 80, 44), 0.8 + 0.1 * k))
        out.append(Box(-140, 0, 0, -90, 110, 40, (236, 236, 234)))  # a display column
        out.append(Box(-130, 110, 8, -100, 135, 28, (110, 64, 36)))
    # shelving on the back right, with goods
    for y in (40, 80, 120):
        out.append(Box(60, y, -148, 140, y + 2, -118, (236, 236, 234), shadow=False, layer=1))
        for k in range(4):
            c = jitter(tex["goods"], r, 30)
            out.append(Box(64 + k * 19, y + 2, -142, 78 + k * 19, y + 2 + r.uniform(10, 22), -126, c, shadow=False))
    return out


def scene_cover(size, r, name, code, stand, primary, secondary, theme):
    w, h = size
    cam = Cam((70, 160, 700), (0, 140, 0), 54, size)
    img = vgradient(size, (44, 48, 58), (120, 122, 130))
    d = ImageDraw.Draw(img)
    for k in range(9):  # hall lights far above
        x = w * (0.05 + k * 0.12)
        d.ellipse([x - 16, 20, x + 16, 36], fill=(255, 250, 230))
    img = img.filter(ImageFilter.GaussianBlur(6))
    draw_quad(img, [cam.p(p) for p in ((-900, 0, -400), (900, 0, -400), (900, 0, 380), (-900, 0, 380))],
              carpet((1600, 1600), r, (92, 96, 108)))
    white = plain_texture((200, 200), r, (240, 240, 236), amp=4)
    post = (186, 188, 194)
    tex = {
        "wood": Wood(r, (196, 142, 88), (122, 74, 40)),
        "coir": coir_texture((300, 200), r),
        "cloth": [kawung((300, 400), r, cell=60), parang((300, 400), r, band=50)],
        "painting": landscape((400, 300), r),
        "goods": shade(primary, 1.2),
    }
    counter_front = Image.new("RGB", (800, 500), primary)
    cd = ImageDraw.Draw(counter_front)
    cd.rectangle([0, 0, 800, 60], fill=secondary)
    text_center(cd, (400, 280), "PRODUK UNGGULAN", 64, (255, 255, 255), bold=2, max_width=700)
    text_center(cd, (400, 370), "karya warga binaan", 40, (250, 236, 200))
    boxes = [
        Box(-152, 0, -152, 152, 250, -148, white, shadow=False, layer=0),
        Box(-152, 0, -148, -148, 250, 150, white, shadow=False, layer=0),
        Box(148, 0, -148, 152, 250, 150, white, shadow=False, layer=0),
        Box(-150, 250, 146, 150, 282, 152, white, faces={"front": fascia_texture(name, stand, primary)},
            shadow=False),
        Box(-120, 120, -148, 40, 232, -147, white, faces={"front": banner_texture(name, code, primary, secondary)},
            shadow=False, layer=1),
        Box(*COUNTER, (240, 240, 236), faces={"front": counter_front}),
    ]
    for x, z in ((-155, 148), (148, 148), (-155, -155), (148, -155)):
        boxes.append(Box(x, 0, z, x + 7, 284, z + 7, post, shadow=False))
    boxes += cover_items(theme, r, tex)
    render_boxes(img, cam, boxes, shadow_opacity=0.35, shadow_blur=20)
    return finish(img, r, light=(0.45, 0.3), strength=0.35, tint=(255, 252, 244))


# ---------------------------------------------------------------------------
# the photos of the sample exhibition, by final file name

# slug -> (code, name on the fascia, stand, primary colour, secondary colour, trade) of every booth
BOOTH_STYLE = {
    "lapas-cipinang": ("CPN", "Lapas Kelas I Cipinang", "A-01", (24, 74, 128), (200, 140, 40), "mebel"),
    "lapas-sukamiskin": ("SMK", "Lapas Kelas I Sukamiskin", "A-05", (110, 54, 30), (30, 80, 70), "kulit"),
    "rutan-pondok-bambu": ("PBB", "Rutan Perempuan Pondok Bambu", "B-02", (140, 50, 110), (40, 120, 130), "busana"),
    "lpka-tangerang": ("LPKTGR", "LPKA Kelas I Tangerang", "B-07", (30, 120, 70), (230, 150, 30), "kerajinan"),
    "lapas-perempuan-malang": ("LPM", "Lapas Perempuan Malang", "C-03", (92, 54, 30), (180, 120, 50), "batik"),
    "lapas-nusakambangan": ("NKB", "Lapas Terbuka Nusakambangan", "C-08", (20, 96, 110), (170, 110, 50), "keset"),
    "lapas-tangerang": ("TGR", "Lapas Kelas I Tangerang", "D-01", (40, 60, 140), (200, 50, 50), "sarung-tangan"),
    "rutan-salemba": ("SLB", "Rutan Kelas I Salemba", "D-06", (120, 30, 30), (60, 40, 30), "kuliner"),
}

SOGAN = ((88, 54, 30), (236, 218, 180), (58, 34, 18), (160, 104, 52))
INDIGO = ((34, 44, 90), (226, 222, 206), (20, 26, 56), (150, 120, 70))
PARANG_SOGAN = ((238, 226, 200), (104, 60, 30), (44, 34, 64))
PARANG_PASTEL = ((236, 230, 214), (150, 90, 120), (60, 90, 110))

# Phone-like photos: stored on their side (EXIF Orientation 6) with camera and GPS tags,
# so that the build must rotate them upright and strip what they reveal.
PHONE_PHOTOS = {
    "booths/rutan-pondok-bambu/tas-rajut/IMG_20190320_101532.jpg":
        ("Xiaomi", "Redmi Note 7", "2019:03:20 10:15:32"),
    "booths/lapas-nusakambangan/pot-sabut-kelapa/IMG_20190321_083044.jpg":
        ("samsung", "SM-A505F", "2019:03:21 08:30:44"),
    "booths/rutan-salemba/keripik-tempe/IMG_20190322_140210.jpg":
        ("OPPO", "CPH1909", "2019:03:22 14:02:10"),
}


def manifest():
    """Every photo: (path under content/, size, drawing function, keyword arguments)."""
    P = []

    def add(path, size, fn, **kw):
        P.append((path, size, fn, kw))

    for slug, (code, name, stand, primary, secondary, theme) in BOOTH_STYLE.items():
        add(f"booths/{slug}/cover.jpg", WIDE, scene_cover, name=name, code=code, stand=stand, primary=primary,
            secondary=secondary, theme=theme)
        if slug == "lapas-tangerang":
            continue  # this booth has no logo: the site must cope
        transparent = slug not in ("rutan-pondok-bambu", "lapas-nusakambangan")
        ext = "png" if transparent else "jpg"
        add(f"booths/{slug}/logo.{ext}", (800, 800), scene_logo, code=code, primary=primary, secondary=secondary,
            transparent=transparent)

    b = "booths/lapas-cipinang"
    add(f"{b}/kursi-jati-minimalis/kursi-depan.jpg", PORTRAIT, scene_chair, view=0)
    add(f"{b}/kursi-jati-minimalis/kursi-samping.jpg", LANDSCAPE, scene_chair, view=1)
    add(f"{b}/meja-tamu-trembesi/meja-1.jpg", LANDSCAPE, scene_table, view=0)
    add(f"{b}/meja-tamu-trembesi/meja-2.jpg", LANDSCAPE, scene_table, view=1)
    add(f"{b}/rak-buku-susun/rak.jpg", PORTRAIT, scene_shelf)
    add(f"{b}/talenan-kayu-jati/talenan.jpg", LANDSCAPE, scene_cutting_board)

    b = "booths/lapas-sukamiskin"
    add(f"{b}/dompet-kulit-sapi/dompet.jpg", LANDSCAPE, scene_wallet)
    add(f"{b}/dompet-kulit-sapi/dompet-dalam.jpg", LANDSCAPE, scene_wallet, open_=True)
    add(f"{b}/tas-selempang-kulit/tas-selempang.jpg", LANDSCAPE, scene_sling_bag)
    add(f"{b}/sabuk-kulit/sabuk.jpg", LANDSCAPE, scene_belt)
    add(f"{b}/sepatu-pantofel/sepatu.jpg", LANDSCAPE, scene_shoes)

    b = "booths/rutan-pondok-bambu"
    add(f"{b}/mukena-bordir/mukena.jpg", PORTRAIT, scene_mukena)
    add(f"{b}/mukena-bordir/bordir-detail.jpg", LANDSCAPE, scene_embroidery_detail)
    add(f"{b}/tas-rajut/IMG_20190320_101532.jpg", PORTRAIT, scene_knit_bag)
    add(f"{b}/taplak-meja-sulam/taplak.jpg", LANDSCAPE, scene_tablecloth)
    add(f"{b}/kue-nastar/nastar.jpg", LANDSCAPE, scene_jar, kind="nastar")

    b = "booths/lpka-tangerang"
    add(f"{b}/kaos-sablon/kaos-hitam.jpg", LANDSCAPE, scene_tshirt)
    add(f"{b}/kaos-sablon/kaos-putih.jpg", LANDSCAPE, scene_tshirt, colour=(238, 238, 234), ink=(30, 60, 120),
        ink2=(30, 60, 120))
    add(f"{b}/miniatur-kapal-pinisi/kapal.jpg", LANDSCAPE, scene_ship)
    add(f"{b}/lukisan-kanvas/lukisan.jpg", PORTRAIT, scene_painting)
    add(f"{b}/topi-rajut/topi.jpg", LANDSCAPE, scene_beanie)

    b = "booths/lapas-perempuan-malang"
    add(f"{b}/batik-tulis-kawung/batik-kawung.jpg", PORTRAIT, scene_batik_hanging, motif="kawung", colours=SOGAN)
    add(f"{b}/batik-tulis-kawung/batik-kawung-detail.jpg", LANDSCAPE, scene_batik_detail, motif="kawung",
        colours=SOGAN)
    add(f"{b}/batik-tulis-kawung/batik-kawung-lipat.jpg", LANDSCAPE, scene_batik_folded,
        stack=[("kawung", SOGAN), ("kawung", INDIGO), ("kawung", SOGAN)])
    add(f"{b}/kain-batik-cap-parang/parang.jpg", LANDSCAPE, scene_batik_folded,
        stack=[("parang", PARANG_SOGAN), ("parang", PARANG_PASTEL), ("parang", PARANG_SOGAN),
               ("parang", PARANG_PASTEL)])
    add(f"{b}/syal-batik/syal.jpg", PORTRAIT, scene_scarf, motif="parang", colours=PARANG_PASTEL)
    add(f"{b}/tas-anyaman-pandan/tas-pandan.jpg", PORTRAIT, scene_pandan_bag)
    add(f"{b}/kemeja-batik-pria/kemeja.jpg", PORTRAIT, scene_shirt_batik, motif="parang", colours=PARANG_SOGAN)

    b = "booths/lapas-nusakambangan"
    add(f"{b}/keset-sabut-welcome/keset-welcome.jpg", LANDSCAPE, scene_doormat, text="WELCOME")
    add(f"{b}/keset-sabut-welcome/keset-tekstur.jpg", LANDSCAPE, scene_doormat_detail, text="WELCOME")
    add(f"{b}/keset-sabut-selamat-datang/keset-selamat-datang.jpg", LANDSCAPE, scene_doormat,
        lines=["SELAMAT", "DATANG"], base=(160, 104, 54))
    add(f"{b}/pot-sabut-kelapa/IMG_20190321_083044.jpg", PORTRAIT, scene_coir_pot, phone=True)
    add(f"{b}/pot-sabut-kelapa/pot-sabut.jpg", LANDSCAPE, scene_coir_pot)
    add(f"{b}/bangku-kayu-panjang/bangku.jpg", LANDSCAPE, scene_bench)

    b = "booths/lapas-tangerang"
    add(f"{b}/sarung-tangan-rajut/sarung-tangan-rajut.jpg", LANDSCAPE, scene_gloves, kind="rajut", pile=True)
    add(f"{b}/sarung-tangan-las/sarung-tangan-las.jpg", LANDSCAPE, scene_gloves, kind="las")
    add(f"{b}/sarung-tangan-berkebun/berkebun.jpg", LANDSCAPE, scene_gloves, kind="berkebun")
    add(f"{b}/keset-kain-perca/keset-perca.jpg", LANDSCAPE, scene_rag_rug)
    add(f"{b}/sarung-tangan-motor/sarung-tangan-motor.jpg", LANDSCAPE, scene_gloves, kind="motor")

    b = "booths/rutan-salemba"
    add(f"{b}/kopi-robusta/kopi.jpg", LANDSCAPE, scene_pouch, body="kraft", beans=True,
        label_lines=[("KOPI", 0.13, 3), ("ROBUSTA", 0.1, 2), ("bubuk · 250 g", 0.05, 0), ("Rutan Salemba", 0.05, 0)])
    add(f"{b}/kopi-robusta/kopi-seduh.jpg", LANDSCAPE, scene_coffee_cup)
    add(f"{b}/keripik-tempe/IMG_20190322_140210.jpg", PORTRAIT, scene_pouch, body=(236, 186, 40),
        chip_colour=(222, 180, 110), dots=(240, 226, 180), window=(230, 200, 140), phone=True,
        label_lines=[("KERIPIK", 0.11, 2), ("TEMPE", 0.13, 3), ("renyah · 200 g", 0.05, 0)])
    add(f"{b}/keripik-singkong-balado/keripik-singkong.jpg", LANDSCAPE, scene_pouch, body=(190, 36, 30),
        chip_colour=(214, 96, 40), window=(220, 110, 60),
        label_lines=[("KERIPIK", 0.1, 2), ("SINGKONG", 0.1, 2), ("balado · 200 g", 0.05, 0)])
    add(f"{b}/sambal-bawang/sambal.jpg", LANDSCAPE, scene_jar, kind="sambal")
    return P


# ---------------------------------------------------------------------------
# writing


def phone_exif(make, model, when):
    exif = Image.Exif()
    exif[0x010F] = make  # Make
    exif[0x0110] = model  # Model
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    exif[0x0131] = "MediaTek Camera Application"  # Software
    exif[0x0132] = when  # DateTime
    exif.get_ifd(0x8769)[0x9003] = when  # Exif IFD: DateTimeOriginal
    return exif


def encode(img, path):
    buf = io.BytesIO()
    if path.endswith(".png"):
        img.save(buf, "PNG", optimize=True)
        return buf.getvalue()
    phone = PHONE_PHOTOS.get(path)
    if phone:
        make, model, when = phone
        # the sensor's pixels are landscape: the picture is stored turned a quarter to the left
        img.transpose(Image.Transpose.ROTATE_90).save(
            buf, "JPEG", quality=JPEG_QUALITY, optimize=True, exif=phone_exif(make, model, when))
    else:
        img.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buf.getvalue()


def main(argv):
    only = argv[1:]  # optional substrings of paths, to redraw a few while working on them
    total = 0
    count = 0
    for path, size, fn, kw in manifest():
        if only and not any(s in path for s in only):
            continue
        r = random.Random(zlib.crc32(path.encode()))
        img = fn(size, r, **kw)
        assert img.size == size, (path, img.size, size)
        data = encode(img, path)
        assert len(data) < MAX_BYTES, f"{path}: {len(data)} bytes, the limit is {MAX_BYTES}"
        dest = CONTENT / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not dest.exists() or dest.read_bytes() != data:
            dest.write_bytes(data)
        total += len(data)
        count += 1
        print(f"{len(data) // 1024:5d} KB  {path}")
    print(f"{count} photos, {total / 1024 / 1024:.2f} MB")
    if not only:
        assert total < MAX_TOTAL, f"all photos together are {total} bytes, the limit is {MAX_TOTAL}"
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

